"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { Field, Select } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { MoveConstraint, MovePrecheck, VmDetails } from "@/lib/trpc-types.ts";

const CONSTRAINT_LABEL: Record<MoveConstraint, string> = {
  clear: "cleared once it is there: Pacemaker may move it again as it sees fit",
  keep: "kept: it stays there until someone clears the constraint",
  PT1H: "kept for 1 hour",
  PT8H: "kept for 8 hours",
  P1D: "kept for 1 day",
};

/**
 * Live migration (or a move by stop and start) to the target the operator picks; for the
 * picked target, what Pacemaker's scheduler and the node's memory say before the click.
 */
export function MigrateDialog({
  clusterId,
  vm,
  live,
  targets,
  commands,
  onClose,
  onStarted,
}: {
  clusterId: string;
  vm: string;
  live: boolean;
  targets: { node: string; allowed: boolean; reason: string | null }[];
  commands: VmDetails["commands"]["move"];
  onClose: () => void;
  onStarted: (migrationId: string) => void;
}) {
  const trpc = useTRPC();
  const [target, setTarget] = useState(targets.find((t) => t.allowed)?.node ?? "");
  const [constraint, setConstraint] = useState<MoveConstraint>("clear");
  const move = useMutation(
    trpc.vms.move.mutationOptions({ onSuccess: (view) => onStarted(view.id) }),
  );
  // The targets are read again when a node changes: the one picked may have been ruled out since.
  const ruledOut = targets.find((t) => t.node === target && !t.allowed) ?? null;
  const precheck = useQuery({
    ...trpc.vms.movePrecheck.queryOptions({ clusterId, vm, target }),
    enabled: target !== "",
    staleTime: 0,
    gcTime: 0,
  });
  return (
    <ConfirmDialog
      title={live ? `Live migrate ${vm}` : `Move ${vm} (stop and start)`}
      testId="migrate-dialog"
      command={target ? (commands[target]?.[constraint] ?? "") : null}
      error={move.error}
      errorTestId="migrate-error"
      confirm={{
        label: live ? "Migrate" : "Move",
        onClick: () => move.mutate({ clusterId, vm, target, constraint }),
        disabled: !target || ruledOut !== null || move.isPending,
        testId: "action-confirm-migrate",
      }}
      dismiss={{ label: "Cancel", onClick: onClose, testId: "action-cancel-migrate" }}
    >
      {live ? null : (
        <p data-testid="downtime-warning" className="font-medium text-red-700 dark:text-red-400">
          allow-migrate is false: pacemaker stops {vm} and starts it on the target. The VM is down
          meanwhile and its guest reboots.
        </p>
      )}
      <fieldset className="space-y-1">
        <legend className="text-xs text-slate-500">Target node</legend>
        {targets.map((t) => (
          <label
            key={t.node}
            data-testid="migrate-target"
            data-node={t.node}
            data-allowed={t.allowed ? "yes" : "no"}
            className={`flex items-center gap-2 ${t.allowed ? "" : "text-slate-400"}`}
          >
            <input
              type="radio"
              name={`target-${vm}`}
              value={t.node}
              disabled={!t.allowed}
              checked={target === t.node}
              onChange={() => setTarget(t.node)}
            />
            {t.node}
            {t.reason ? <span className="text-xs">({t.reason})</span> : null}
          </label>
        ))}
      </fieldset>
      <Field label={`The move's location constraint, once ${vm} is there`}>
        <Select
          value={constraint}
          onChange={(e) => setConstraint(e.target.value as MoveConstraint)}
          data-testid="input-move-constraint"
        >
          {(Object.keys(CONSTRAINT_LABEL) as MoveConstraint[]).map((mode) => (
            <option key={mode} value={mode}>
              {CONSTRAINT_LABEL[mode]}
            </option>
          ))}
        </Select>
      </Field>
      {ruledOut ? (
        <p
          data-testid="target-ruled-out"
          className="text-xs font-medium text-red-700 dark:text-red-400"
        >
          {target} can no longer take {vm}: {ruledOut.reason}. Pick another node.
        </p>
      ) : target ? (
        <div className="space-y-1 text-xs" data-testid="move-precheck" data-target={target}>
          {precheck.isPending ? (
            <p className="text-slate-500" data-testid="move-precheck-loading">
              Asking Pacemaker's scheduler what a move to {target} would do…
            </p>
          ) : precheck.error ? (
            <p className="text-amber-700 dark:text-amber-300">
              The pre-check could not run: {precheck.error.message}
            </p>
          ) : precheck.data?.warnings.length ? (
            <ul className="list-disc space-y-1 pl-5 text-amber-800 dark:text-amber-300">
              {precheck.data.warnings.map((warning) => (
                <li key={warning.message} data-testid="precheck-warning" data-kind={warning.kind}>
                  {warning.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-emerald-700 dark:text-emerald-400" data-testid="move-precheck-clear">
              Pacemaker's scheduler places {vm} on {target} and keeps it there once the move's
              constraint is cleared; {target} has the memory it needs.
            </p>
          )}
          {precheck.data?.estimate ? <Estimate estimate={precheck.data.estimate} vm={vm} /> : null}
        </div>
      ) : null}
    </ConfirmDialog>
  );
}

/** How long the memory copy would take, from this cluster's recorded live migrations. */
function Estimate({
  estimate,
  vm,
}: {
  estimate: NonNullable<MovePrecheck["estimate"]>;
  vm: string;
}) {
  const timeout =
    estimate.timeoutSeconds === null
      ? "the resource sets no migrate_to timeout (Pacemaker's default, 20 s unless op defaults say otherwise)"
      : `migrate_to times out after ${Math.round(estimate.timeoutSeconds)} s`;
  return (
    <p className="text-slate-600 dark:text-slate-400" data-testid="move-estimate">
      {estimate.seconds === null
        ? `No live migration of this cluster is in Pacemaker's record yet to estimate the memory copy from; ${timeout}.`
        : `Copying ${vm}'s memory takes about ${Math.max(1, Math.round(estimate.seconds))} s at the ${Math.round((estimate.bytesPerSecond ?? 0) / 1024 ** 2)} MiB/s of the last ${estimate.samples} live migration${estimate.samples > 1 ? "s" : ""} (a guest busy writing memory takes longer); ${timeout}.`}
    </p>
  );
}
