import type { Delivery } from "./notification-types.ts";

const STATE_STYLE: Record<Delivery["state"], string> = {
  delivered: "text-emerald-700 dark:text-emerald-400",
  pending: "text-amber-700 dark:text-amber-400",
  sending: "text-slate-600 dark:text-slate-400",
  failed: "text-red-700 dark:text-red-400",
};

/** A delivery's state and each attempt: when, what the receiver answered, or the error. */
export function DeliveryResult({ delivery }: { delivery: Delivery }) {
  return (
    <div
      className="space-y-1 text-sm"
      data-testid="delivery-result"
      data-state={delivery.state}
      data-channel={delivery.channelName}
    >
      <p>
        <span className="font-medium">{delivery.channelName}</span>{" "}
        <span className="text-slate-500">{delivery.event}</span>{" "}
        <span className={`font-medium ${STATE_STYLE[delivery.state]}`}>{delivery.state}</span>
        {delivery.state === "pending" && delivery.nextAttemptAt ? (
          <span className="text-slate-500">
            {" "}
            (next attempt {delivery.nextAttemptAt.toLocaleTimeString()})
          </span>
        ) : null}
      </p>
      <ol className="space-y-0.5 pl-4 text-xs text-slate-600 dark:text-slate-400">
        {delivery.attempts.map((attempt) => (
          <li key={attempt.number} data-testid="delivery-attempt" data-ok={attempt.ok}>
            #{attempt.number} {attempt.startedAt.toLocaleTimeString()}{" "}
            {attempt.ok ? "ok" : "failed"}
            {attempt.responseCode !== null ? ` · ${attempt.responseCode}` : ""} ·{" "}
            {attempt.durationMs} ms
            {attempt.error ? ` · ${attempt.error}` : ""}
          </li>
        ))}
      </ol>
    </div>
  );
}
