"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

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
  commands: Record<string, string>;
  onClose: () => void;
  onStarted: (migrationId: string) => void;
}) {
  const trpc = useTRPC();
  const [target, setTarget] = useState(targets.find((t) => t.allowed)?.node ?? "");
  const move = useMutation(
    trpc.vms.move.mutationOptions({ onSuccess: (view) => onStarted(view.id) }),
  );
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
      command={target ? (commands[target] ?? "") : null}
      error={move.error}
      errorTestId="migrate-error"
      confirm={{
        label: live ? "Migrate" : "Move",
        onClick: () => move.mutate({ clusterId, vm, target }),
        disabled: !target || move.isPending,
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
      {target ? (
        <div className="space-y-1 text-xs" data-testid="move-precheck" data-target={target}>
          {precheck.isPending ? (
            <p className="text-slate-500" data-testid="move-precheck-loading">
              Asking Pacemaker's scheduler what a move to {target} would do…
            </p>
          ) : precheck.error ? (
            <p className="text-amber-700 dark:text-amber-300">
              The pre-check could not run: {precheck.error.message}
            </p>
          ) : precheck.data?.length ? (
            <ul className="list-disc space-y-1 pl-5 text-amber-800 dark:text-amber-300">
              {precheck.data.map((warning) => (
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
        </div>
      ) : null}
    </ConfirmDialog>
  );
}
