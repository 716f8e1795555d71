// A Corral instance in a process of its own, for the tests that kill one (kill -9) while it runs
// an operation. Built from the environment like any instance (DATABASE_URL, CORRAL_DATA_DIR...),
// it signs in as CORRAL_TEST_OPERATOR and runs the tRPC calls it reads on stdin, one JSON line
// each ({"id":1,"path":"vms.move","input":{...}}), answering each with a JSON line
// ({"id":1,"ok":true,"value":...}). The first line it prints is {"ready":true}.
import readline from "node:readline";
import { loadConfig } from "../config.ts";
import { appRouter } from "../routers/app.router.ts";
import { createCorralServer } from "../server.ts";
import { createCallerFactory, createContext } from "../trpc.ts";
import { signIn } from "./test-server.ts";

const email = process.env.CORRAL_TEST_OPERATOR ?? "";
const server = await createCorralServer(loadConfig());
await server.recovered;
const caller = createCallerFactory(appRouter)(
  await createContext(server, await signIn(server, email), { clientAddress: "127.0.0.1" }),
);
const answer = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
answer({ ready: true });
for await (const line of readline.createInterface({ input: process.stdin })) {
  const { id, path, input } = JSON.parse(line) as { id: number; path: string; input: unknown };
  const procedure = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input: unknown,
  ) => Promise<unknown>;
  procedure(input).then(
    (value) => answer({ id, ok: true, value }),
    (error: unknown) => answer({ id, ok: false, error: (error as Error).message ?? String(error) }),
  );
}
await server.close();
