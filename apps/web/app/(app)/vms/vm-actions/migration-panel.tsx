"use client";

import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/button.tsx";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { formatDuration, formatMiB } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { MigrationView } from "@/lib/trpc-types.ts";

const PHASE_LABELS: Record<string, string> = {
  requested: "Requested: waiting for pacemaker",
  migrate_to: "migrate_to: memory transfer from the source",
  migrate_from: "migrate_from: the target takes over",
  stopping_source: "Stopping the old instance on the source",
  stopping: "Stopping on the source",
  starting: "Starting on the target",
  started: "Started on the target",
};

/**
 * A migration as it runs (phase, memory transfer, the abort of the transfer while it can still
 * be aborted) and how it ended, from the SSE stream, else from the details polled beside it.
 */
export function MigrationPanel({
  migrationId,
  polled,
  canAct,
  constraintIds,
  onSettled,
}: {
  migrationId: string;
  polled: MigrationView | null;
  canAct: boolean;
  /** The VM's constraints now: a kept one is named only while it is still there. */
  constraintIds: readonly string[];
  onSettled: () => unknown;
}) {
  const trpc = useTRPC();
  const stream = useSubscription(trpc.vms.migration.subscriptionOptions({ migrationId }));
  const cancel = useMutation(trpc.vms.cancelMigration.mutationOptions());
  const [confirmCancel, setConfirmCancel] = useState(false);
  // The stream ends at the first result; after it, the polled state is the latest word (an
  // interrupted move gains where the VM runs once Pacemaker settled it).
  const streamed = stream.data;
  const view =
    streamed && streamed.state !== "running" && polled && polled.state !== "running"
      ? polled
      : (streamed ?? polled ?? undefined);
  const settled = view !== undefined && view.state !== "running";
  // The lock and the leftover constraint change when it settles: read the details again.
  useEffect(() => {
    if (settled) void onSettled();
  }, [settled, onSettled]);
  if (!view) return <ErrorBanner error={stream.error} testId="migration-error" />;
  const percent = view.transferFraction === null ? null : Math.round(view.transferFraction * 100);
  return (
    <section
      data-testid="migration"
      data-state={view.state}
      data-phase={view.phase}
      className="space-y-1 rounded-md border border-indigo-200 p-2 dark:border-indigo-900"
    >
      <p>
        {view.live ? "Live migration" : "Move"} {view.fromNode ?? "?"} → {view.toNode}:{" "}
        <span data-testid="migration-phase">{PHASE_LABELS[view.phase] ?? view.phase}</span>
      </p>
      {view.state === "running" && percent !== null ? (
        <div
          role="progressbar"
          aria-valuenow={percent}
          aria-valuemin={0}
          aria-valuemax={100}
          data-testid="migration-progress"
          className="h-2 w-full rounded bg-slate-200 dark:bg-slate-800"
        >
          <div className="h-2 rounded bg-indigo-600" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      {view.state === "running" && view.transferredBytes !== null && view.totalBytes ? (
        <p className="text-xs">
          {formatMiB(view.transferredBytes)} of {formatMiB(view.totalBytes)} MiB sent
        </p>
      ) : null}
      {view.state === "running" &&
      view.phase === "migrate_to" &&
      view.transferActive &&
      view.live &&
      canAct ? (
        confirmCancel ? (
          <ConfirmDialog
            title="Abort the memory transfer?"
            testId="cancel-dialog"
            confirm={{
              label: "Abort the transfer (virsh domjobabort)",
              variant: "danger",
              onClick: () => cancel.mutate({ migrationId }),
              disabled: cancel.isPending || view.cancelling,
              testId: "confirm-cancel-migration",
            }}
            dismiss={{ label: "Let it finish", onClick: () => setConfirmCancel(false) }}
          >
            <p className="text-xs">
              Pacemaker records a failed migrate_to and recovers {view.vm} by stopping and starting
              it (the guest restarts). The move constraint is removed only once Pacemaker settled
              and {view.vm} runs on exactly one node.
            </p>
          </ConfirmDialog>
        ) : (
          <Button
            variant="danger"
            className="px-2 py-1 text-xs"
            data-testid="action-cancel-migration"
            disabled={view.cancelling}
            onClick={() => setConfirmCancel(true)}
          >
            Cancel…
          </Button>
        )
      ) : null}
      {view.cancelling && view.state === "running" ? (
        <p className="text-xs text-amber-700" data-testid="migration-cancelling">
          Transfer aborted; waiting for Pacemaker to settle and for {view.vm} to run on one node.
        </p>
      ) : null}
      <ErrorBanner error={cancel.error} testId="cancel-error" />
      {view.state !== "running" ? (
        <p
          data-testid="migration-result"
          data-result={view.state}
          className={
            view.state === "succeeded" || view.state === "cancelled"
              ? ""
              : "font-medium text-red-700 dark:text-red-400"
          }
        >
          {migrationResultText(view)}
        </p>
      ) : null}
      {view.keptConstraint && constraintIds.includes(view.keptConstraint.id) ? (
        <p data-testid="migration-kept-constraint" className="text-xs">
          {view.keptConstraint.id} keeps {view.vm} on {view.toNode}
          {view.constraint === "keep"
            ? " until someone clears it (Clear on this card)"
            : ` for ${view.constraint === "PT1H" ? "1 hour" : view.constraint === "PT8H" ? "8 hours" : "1 day"} (or until cleared)`}
          , as asked.
        </p>
      ) : null}
    </section>
  );
}

/** The result as Pacemaker recorded it: live only when its history proves a live migration. */
function migrationResultText(view: MigrationView): string {
  switch (view.state) {
    case "succeeded":
      return `${view.live ? "Migrated live" : "Moved (stop and start)"}: started on ${view.toNode} after ${formatDuration(view.startedAfterMs ?? 0)} (done in ${formatDuration(view.durationMs ?? 0)}).`;
    case "restarted":
      return `Not live: Pacemaker stopped ${view.vm} and started it on ${view.toNode} (its guest rebooted): ${view.error ?? ""}.`;
    case "cancelled":
      return `Cancelled after ${formatDuration(view.durationMs ?? 0)}: ${view.error ?? ""}`;
    case "interrupted":
      return `Interrupted: ${view.error ?? ""}`;
    default:
      return `Failed after ${formatDuration(view.durationMs ?? 0)}: ${view.error ?? ""}`;
  }
}
