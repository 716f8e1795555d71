import type { AuthenticatedContext } from "../../trpc.ts";
import type { ListCommandLogInput } from "./list-command-log.schema.ts";

export function listCommandLogHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ListCommandLogInput;
}) {
  const { limit, cursor, ...filter } = input;
  return ctx.server.commandLog.repository.list(filter, { limit, cursor });
}
