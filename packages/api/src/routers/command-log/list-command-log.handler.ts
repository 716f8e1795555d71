import type { AuthenticatedContext } from "../../trpc.ts";
import {
  EXPORT_LIMIT,
  type ExportCommandLogInput,
  type ListCommandLogInput,
} from "./list-command-log.schema.ts";

function filterOf({ polling, ...filter }: ExportCommandLogInput) {
  return { ...filter, hidePolling: !polling };
}

export function listCommandLogHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ListCommandLogInput;
}) {
  const { limit, cursor, ...filter } = input;
  return ctx.server.commandLog.repository.list(filterOf(filter), { limit, cursor });
}

/** The entries the filters select, for the page's CSV and JSON downloads. */
export async function exportCommandLogHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ExportCommandLogInput;
}) {
  const { entries, nextCursor } = await ctx.server.commandLog.repository.list(filterOf(input), {
    limit: EXPORT_LIMIT,
  });
  return { entries, truncated: nextCursor !== null };
}
