import { setTimeout as sleep } from "node:timers/promises";
import { TRPCError } from "@trpc/server";

/** How often a live stream asks whether its session still stands. */
export const LIVE_SESSION_RECHECK_MS = 5_000;

/**
 * Passes a subscription's events through while `stillAllowed()` (asked every `everyMs`) says the
 * session that opened it stands: signed out, disabled, removed or demoted, the stream ends with
 * UNAUTHORIZED instead of streaming on for as long as the connection lasts.
 */
export async function* whileSessionStands<T>(
  stream: AsyncIterable<T>,
  stillAllowed: () => Promise<boolean>,
  everyMs = LIVE_SESSION_RECHECK_MS,
): AsyncGenerator<T> {
  const iterator = stream[Symbol.asyncIterator]();
  const ended = new AbortController();
  const revoked = new Promise<never>((_, reject) => {
    ended.signal.addEventListener("abort", () => reject(ended.signal.reason), { once: true });
  });
  revoked.catch(() => {});
  const watch = (async () => {
    while (!ended.signal.aborted) {
      await sleep(everyMs, undefined, { signal: ended.signal }).catch(() => {});
      if (ended.signal.aborted) return;
      if (!(await stillAllowed().catch(() => false))) {
        ended.abort(new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended." }));
      }
    }
  })();
  try {
    while (true) {
      const step = await Promise.race([iterator.next(), revoked]);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    ended.abort();
    await watch;
    // Not awaited: a source waiting for its next event finishes when the request's signal aborts.
    iterator.return?.().catch(() => {});
  }
}
