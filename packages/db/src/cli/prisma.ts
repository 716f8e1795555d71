// `pnpm --filter @corral/db prisma <sqlite|postgres> <prisma args...>`, e.g.
// `prisma sqlite migrate dev --name add-clusters` (see ARCHITECTURE.md, "Changing the models").
import { runPrismaCli } from "./run-prisma-cli.ts";

const [provider, ...args] = process.argv.slice(2);
if (provider !== "sqlite" && provider !== "postgres") {
  console.error("usage: prisma <sqlite|postgres> <prisma arguments>");
  process.exit(2);
}
process.exit(runPrismaCli(provider, args));
