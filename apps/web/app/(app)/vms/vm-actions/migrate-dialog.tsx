"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

/** Live migration (or a move by stop and start) to the target the operator picks. */
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
      dismiss={{ label: "Cancel", onClick: onClose }}
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
    </ConfirmDialog>
  );
}
