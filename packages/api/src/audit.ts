import type { AuditAction } from "@corral/core";
import type { AuthenticatedContext } from "./trpc.ts";

/** Where on a cluster an action applies, for filtering the log. */
export interface ActionTarget {
  clusterId?: string | null;
  node?: string | null;
  vm?: string | null;
}

/**
 * Runs an operator's action and writes its command-log entry, success or failure, with who,
 * what and when. `detail` is the action's input; the repository redacts secrets from it.
 */
export async function audited<T>(
  ctx: Pick<AuthenticatedContext, "server" | "user">,
  action: AuditAction,
  detail: Record<string, unknown>,
  run: () => Promise<T>,
  target: ActionTarget = {},
): Promise<T> {
  const startedAt = new Date();
  const write = (ok: boolean, error?: string) =>
    ctx.server.commandLog.recordAction({
      actorId: ctx.user.id,
      actorName: ctx.user.email,
      action,
      ...target,
      detail,
      ok,
      error,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
    });
  try {
    const result = await run();
    await write(true);
    return result;
  } catch (error) {
    await write(false, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
