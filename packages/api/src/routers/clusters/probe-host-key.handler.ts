import { AppError, probeHostKey } from "@corral/core";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { ProbeHostKeyInput } from "./probe-host-key.schema.ts";

const NAME_LOOKUP_FAILURES = new Set(["ENOTFOUND", "EAI_AGAIN"]);

/**
 * The host key the operator must confirm before Corral connects with credentials. Probes are
 * limited per operator, and every port that presents no SSH host key gets the same answer, so
 * the probe cannot map which ports of a host are closed, filtered or serve something else.
 */
export async function probeHostKeyHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ProbeHostKeyInput;
}) {
  if (!ctx.server.hostKeyProbes.take(ctx.user.id)) {
    throw new AppError("RATE_LIMITED", "Too many host key checks in a minute; wait a little.");
  }
  const probed = await probeHostKey(input.host, input.port);
  if (!probed.ok && probed.error.code === "NODE_UNREACHABLE") {
    const cause = (probed.error.cause as { code?: string } | undefined)?.code;
    if (!cause || !NAME_LOOKUP_FAILURES.has(cause)) {
      throw new AppError(
        "NODE_UNREACHABLE",
        `No SSH server presented a host key at ${input.host}:${input.port}: nothing answers there, or it does not speak SSH.`,
        { node: input.host },
      );
    }
  }
  return resultOrThrow(probed);
}
