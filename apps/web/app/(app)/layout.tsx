import { getCorralServer } from "@corral/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell.tsx";

export const dynamic = "force-dynamic";

/** Everything behind sign-in. The session is checked here, on the server, before any page. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const server = await getCorralServer();
  const session = await server.auth.api.getSession({ headers: await headers() });
  if (!session) redirect("/sign-in");
  const { id, name, email, role } = session.user;
  return <AppShell user={{ id, name, email, role: role ?? "viewer" }}>{children}</AppShell>;
}
