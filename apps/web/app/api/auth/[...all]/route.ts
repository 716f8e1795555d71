import { getCorralServer } from "@corral/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints: sign-in, sign-out, session, and its admin plugin's. */
async function handler(request: Request) {
  const server = await getCorralServer();
  return server.auth.handler(request);
}

export { handler as GET, handler as POST };
