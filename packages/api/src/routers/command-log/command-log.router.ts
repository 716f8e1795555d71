import { router, viewerProcedure } from "../../trpc.ts";
import { exportCommandLogHandler, listCommandLogHandler } from "./list-command-log.handler.ts";
import { exportCommandLogInput, listCommandLogInput } from "./list-command-log.schema.ts";

export const commandLogRouter = router({
  list: viewerProcedure.input(listCommandLogInput).query(listCommandLogHandler),
  export: viewerProcedure.input(exportCommandLogInput).query(exportCommandLogHandler),
  facets: viewerProcedure.query(({ ctx }) => ctx.server.commandLog.repository.facets()),
  /** Ticks whenever an entry is written, so the page refreshes live (over SSE). */
  onChange: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    for await (const _ of ctx.server.commandLog.changes(signal)) yield { at: Date.now() };
  }),
});
