"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/button.tsx";
import { CommandText, ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { formatDuration, formatMiB, formatTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { InventoryVm, MigrationView, VmActivity } from "@/lib/trpc-types.ts";
import { MigrationHistory } from "./migration-history.tsx";
import { ResourcePanel } from "./resource-panel.tsx";

type VmAction = "enable" | "disable" | "restart" | "cleanup" | "clear";

const ACTION_LABELS: Record<VmAction, string> = {
  enable: "Enable / start",
  disable: "Disable / stop",
  restart: "Restart",
  cleanup: "Cleanup",
  clear: "Clear constraints",
};

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
 * The actions of a managed VM's card: live migration (or move with stop and start), the
 * resource actions, drift and leftovers, each confirmed with the exact command it runs. What
 * the card shows comes from the live inventory and the cluster's activity; the details that
 * need the nodes (targets with their storage, the exact commands) load once the card is opened.
 */
export function VmActionsPanel({
  vm,
  clusterId,
  nodeStates,
  activity,
}: {
  vm: InventoryVm;
  clusterId: string;
  /** The cluster's nodes and their states, as one string: a change re-reads the targets. */
  nodeStates: string;
  activity: VmActivity | undefined;
}) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const name = vm.resource?.id ?? vm.name;
  // Re-read when pacemaker's view of the VM or of a node changes (the inventory is live): the
  // migration targets depend on both.
  const stateKey = `${vm.resource?.role}:${vm.resource?.nodes.join(",")}:${vm.resource?.constraints.length}:${nodeStates}`;
  const [open, setOpen] = useState(false);
  const details = useQuery({
    ...trpc.vms.details.queryOptions({ clusterId, vm: name }),
    enabled: open,
    // While a migration runs the details carry its view too: a second path beside the SSE
    // stream, so the card keeps showing it even if the stream drops.
    refetchInterval: (query) => (query.state.data?.migration?.state === "running" ? 2_000 : false),
  });
  const { refetch } = details;
  useEffect(() => {
    if (stateKey && open) void refetch();
  }, [stateKey, open, refetch]);
  const [dialog, setDialog] = useState<
    { kind: "migrate" } | { kind: "action"; action: VmAction } | { kind: "resync" } | null
  >(null);
  const [migrationId, setMigrationId] = useState<string | null>(null);
  const data = details.data;
  const polled = data?.migration ?? activity?.migrations.findLast((m) => m.vm === name) ?? null;
  const activeId = migrationId ?? polled?.id ?? null;
  const lock = data?.lock ?? activity?.locks.find((l) => l.vm === name) ?? null;
  const resource = vm.resource;
  const live = data?.config?.allowMigrate ?? resource?.allowMigrate ?? false;
  const check = resource?.configCheck ?? null;
  const autostartOn = vm.placements.filter((p) => p.autostart).map((p) => p.node);
  const openDialog = (next: NonNullable<typeof dialog>) => {
    setOpen(true);
    setDialog(next);
  };
  // The running move's own cli-prefer- is not a leftover: it goes when the move ends.
  const moving = polled?.state === "running";
  const leftovers =
    vm.resource?.constraints.filter(
      (c) => c.origin === "ban" || (c.origin === "move" && !moving),
    ) ?? [];
  const allowedNodes = vm.resource?.constraints.find((c) => c.origin === "allowed-nodes");

  return (
    <div className="w-full space-y-2" data-testid="vm-actions" data-vm={name}>
      <ErrorBanner error={details.error} testId="vm-details-error" />
      {resource ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-600 dark:text-slate-400">
          <dt>Live migration</dt>
          <dd data-testid="vm-allow-migrate">
            {resource.allowMigrate === null
              ? "?"
              : live
                ? "allowed (allow-migrate=true)"
                : "off (allow-migrate=false)"}
          </dd>
          <dt>Allowed nodes</dt>
          <dd data-testid="vm-allowed-nodes">
            {allowedNodes?.allowedNodes
              ? `${allowedNodes.allowedNodes.join(", ")} (constraint ${allowedNodes.id})`
              : "any node (no allowed-nodes constraint)"}
          </dd>
          <dt>Config</dt>
          <dd>
            <span className="break-all">{resource.configPath ?? "?"}</span>{" "}
            {check ? (
              check.identical ? (
                <span data-testid="vm-drift" data-drift="no" className="text-emerald-700">
                  identical on all nodes
                </span>
              ) : (
                <span data-testid="vm-drift" data-drift="yes" className="text-red-700">
                  differs:{" "}
                  {check.copies
                    .map((c) => `${c.node} ${c.sha256 ? c.sha256.slice(0, 8) : "missing"}`)
                    .join(", ")}
                </span>
              )
            ) : null}
          </dd>
          {data?.storageWarnings.length ? (
            <>
              <dt>Storage</dt>
              <dd data-testid="vm-storage-warnings" className="text-amber-700">
                {data.storageWarnings.join("; ")}
              </dd>
            </>
          ) : null}
          {autostartOn.length ? (
            <>
              <dt>Autostart</dt>
              <dd data-testid="vm-autostart" className="font-medium text-red-700">
                on {autostartOn.join(", ")}: libvirt may start it beside pacemaker
              </dd>
            </>
          ) : null}
          {vm.resource?.failCounts.length ? (
            <>
              <dt>Fail counts</dt>
              <dd data-testid="vm-fail-counts" className="text-red-700 dark:text-red-400">
                {vm.resource.failCounts
                  .map(
                    (f) =>
                      `${f.node}: ${f.failCount >= 1_000_000 ? "INFINITY (banned there until a cleanup)" : f.failCount}`,
                  )
                  .join(", ")}
                {canAct ? (
                  <Button
                    variant="secondary"
                    className="ml-2 px-2 py-0.5 text-xs"
                    data-testid="action-cleanup-failures"
                    onClick={() => setDialog({ kind: "action", action: "cleanup" })}
                  >
                    Cleanup
                  </Button>
                ) : null}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {lock ? (
        <p data-testid="vm-busy" className="text-amber-700 dark:text-amber-400">
          Busy: {lock.operation} by {lock.holderName} since {formatTime(lock.since)}
        </p>
      ) : null}
      {leftovers.length ? (
        <p data-testid="vm-leftover-constraint" className="text-amber-700 dark:text-amber-400">
          Left-over constraint{leftovers.length > 1 ? "s" : ""}:{" "}
          {leftovers.map((c) => `${c.id} (${c.node ?? "rule"} ${c.score ?? ""})`).join(", ")}
          {canAct ? (
            <Button
              variant="secondary"
              className="ml-2 px-2 py-0.5 text-xs"
              data-testid="action-clear-leftover"
              onClick={() => openDialog({ kind: "action", action: "clear" })}
            >
              Clear
            </Button>
          ) : null}
        </p>
      ) : null}
      {activeId ? (
        <MigrationPanel
          key={activeId}
          migrationId={activeId}
          polled={polled?.id === activeId ? polled : null}
          canAct={canAct}
          onSettled={refetch}
        />
      ) : null}
      {canAct ? (
        <div className="flex flex-wrap gap-2">
          <Button
            data-testid="action-migrate"
            className="px-2 py-1 text-xs"
            variant={live ? "primary" : "danger"}
            onClick={() => {
              // Storage and config copies can change without pacemaker noticing: ask again.
              if (open) void refetch();
              openDialog({ kind: "migrate" });
            }}
          >
            {live ? "Live migrate" : "Move (stop and start)"}
          </Button>
          {(Object.keys(ACTION_LABELS) as VmAction[]).map((action) => (
            <Button
              key={action}
              variant="secondary"
              className="px-2 py-1 text-xs"
              data-testid={`action-vm-${action}`}
              onClick={() => openDialog({ kind: "action", action })}
            >
              {ACTION_LABELS[action]}
            </Button>
          ))}
          {check && !check.identical ? (
            <Button
              variant="secondary"
              className="px-2 py-1 text-xs"
              data-testid="action-resync"
              onClick={() => openDialog({ kind: "resync" })}
            >
              Re-sync config
            </Button>
          ) : null}
        </div>
      ) : null}
      {dialog?.kind === "migrate" && data ? (
        <MigrateDialog
          clusterId={clusterId}
          vm={name}
          live={live}
          targets={data.targets}
          commands={data.commands.move}
          onClose={() => setDialog(null)}
          onStarted={(id) => {
            setMigrationId(id);
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === "action" && data ? (
        <ConfirmAction
          title={ACTION_LABELS[dialog.action]}
          command={data.commands.vm[dialog.action] ?? ""}
          input={{ kind: "vm", clusterId, vm: name, action: dialog.action }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog && dialog.kind !== "resync" && !data && !details.error ? (
        <p data-testid="vm-details-loading" className="text-xs text-slate-500">
          Asking the nodes for the targets and commands…
        </p>
      ) : null}
      {dialog?.kind === "resync" ? (
        <ResyncDialog
          clusterId={clusterId}
          vm={name}
          nodes={vm.resource?.nodes ?? []}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {resource ? (
        <ResourcePanel
          clusterId={clusterId}
          vm={name}
          config={data?.config ?? null}
          nodes={data?.targets.map((t) => t.node) ?? []}
          runningOn={vm.runningOn}
          canAct={canAct}
          onOpen={() => setOpen(true)}
        />
      ) : null}
      <MigrationHistory clusterId={clusterId} vm={name} />
    </div>
  );
}

function MigrateDialog({
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
      {target ? <CommandText text={commands[target] ?? ""} /> : null}
      <ErrorBanner error={move.error} testId="migrate-error" />
      <div className="flex gap-2">
        <Button
          data-testid="action-confirm-migrate"
          disabled={!target || move.isPending}
          onClick={() => move.mutate({ clusterId, vm, target })}
        >
          {live ? "Migrate" : "Move"}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </ConfirmDialog>
  );
}

function ConfirmAction({
  title,
  command,
  input,
  onClose,
  blocked = false,
  children,
}: {
  title: string;
  command: string;
  input:
    | { kind: "vm"; clusterId: string; vm: string; action: VmAction }
    | {
        kind: "node";
        clusterId: string;
        node: string;
        action: "standby" | "unstandby";
        stopVms?: string[];
      };
  onClose: () => void;
  /** The Run button stays off until the operator answered what `children` ask. */
  blocked?: boolean;
  children?: React.ReactNode;
}) {
  const trpc = useTRPC();
  const run = useMutation(trpc.vms.action.mutationOptions());
  return (
    <ConfirmDialog title={title} testId="confirm-dialog">
      <CommandText text={command} />
      {children}
      <ErrorBanner error={run.error} testId="action-error" />
      {run.data ? (
        <p data-testid="action-result" className="text-emerald-700">
          Done in {formatDuration(run.data.durationMs)}.
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button
          data-testid="action-confirm"
          disabled={blocked || run.isPending || Boolean(run.data)}
          onClick={() => run.mutate(input)}
        >
          {run.isPending ? "Running…" : "Run"}
        </Button>
        <Button variant="secondary" onClick={onClose} data-testid="confirm-close">
          Close
        </Button>
      </div>
    </ConfirmDialog>
  );
}

export function NodeStandbyButton({
  clusterId,
  node,
  standby,
  command,
  stranded,
  onOpen,
}: {
  clusterId: string;
  node: string;
  standby: boolean;
  command: string;
  /** VMs this standby would leave stopped: named before the click, confirmed one by one. */
  stranded: { resource: string; reason: string }[];
  onOpen: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [stopConsent, setStopConsent] = useState(false);
  const action = standby ? "unstandby" : "standby";
  const strands = !standby && stranded.length > 0;
  return (
    <span className="inline-flex flex-col gap-2">
      <Button
        variant="secondary"
        className="px-2 py-1 text-xs"
        data-testid={`action-node-${action}`}
        data-node={node}
        onClick={() => {
          onOpen();
          setOpen(true);
        }}
      >
        {standby ? `Unstandby ${node}` : `Standby ${node} (drain)`}
      </Button>
      {open ? (
        <ConfirmAction
          title={standby ? `Take ${node} back` : `Drain ${node}: its VMs move away`}
          command={command}
          input={{
            kind: "node",
            clusterId,
            node,
            action,
            ...(strands && stopConsent ? { stopVms: stranded.map((s) => s.resource) } : {}),
          }}
          onClose={() => setOpen(false)}
          blocked={strands && !stopConsent}
        >
          {strands ? (
            <div data-testid="standby-strands" className="space-y-1 text-red-700 dark:text-red-400">
              <p className="font-medium">
                No other node can take {stranded.map((s) => s.resource).join(", ")}: the standby
                stops {stranded.length > 1 ? "them" : "it"}.
              </p>
              <ul className="list-disc pl-5 text-xs">
                {stranded.map((s) => (
                  <li key={s.resource}>
                    {s.resource}: {s.reason}
                  </li>
                ))}
              </ul>
              <label className="flex items-center gap-2 text-xs">
                <input
                  type="checkbox"
                  checked={stopConsent}
                  onChange={(e) => setStopConsent(e.target.checked)}
                  data-testid="input-standby-stop-consent"
                />
                Stop {stranded.map((s) => s.resource).join(", ")} with the standby
              </label>
            </div>
          ) : null}
        </ConfirmAction>
      ) : null}
    </span>
  );
}

function ResyncDialog({
  clusterId,
  vm,
  nodes,
  onClose,
}: {
  clusterId: string;
  vm: string;
  nodes: string[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [source, setSource] = useState(nodes[0] ?? "");
  const resync = useMutation(trpc.vms.resyncConfig.mutationOptions());
  return (
    <ConfirmDialog title={`Re-sync ${vm}'s config`} testId="resync-dialog">
      <label className="flex items-center gap-2">
        Copy from
        <input
          className="rounded border px-1"
          data-testid="resync-source"
          value={source}
          onChange={(event) => setSource(event.target.value)}
        />
        to every other node (written atomically, verified by SHA-256).
      </label>
      <ErrorBanner error={resync.error} testId="resync-error" />
      {resync.data ? (
        <p data-testid="resync-result">Copied to {resync.data.nodes.join(", ")}.</p>
      ) : null}
      <div className="flex gap-2">
        <Button
          data-testid="action-confirm-resync"
          disabled={!source || resync.isPending}
          onClick={() => resync.mutate({ clusterId, vm, source })}
        >
          Re-sync
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </ConfirmDialog>
  );
}

function MigrationPanel({
  migrationId,
  polled,
  canAct,
  onSettled,
}: {
  migrationId: string;
  polled: MigrationView | null;
  canAct: boolean;
  onSettled: () => unknown;
}) {
  const trpc = useTRPC();
  const stream = useSubscription(trpc.vms.migration.subscriptionOptions({ migrationId }));
  const cancel = useMutation(trpc.vms.cancelMigration.mutationOptions());
  const [confirmCancel, setConfirmCancel] = useState(false);
  const view = stream.data ?? polled ?? undefined;
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
          <div className="space-y-1" data-testid="cancel-dialog">
            <p className="text-xs">
              Abort the memory transfer? Pacemaker records a failed migrate_to and recovers{" "}
              {view.vm} by stopping and starting it (the guest restarts). The move constraint is
              removed only once Pacemaker settled and {view.vm} runs on exactly one node.
            </p>
            <div className="flex gap-2">
              <Button
                variant="danger"
                className="px-2 py-1 text-xs"
                data-testid="confirm-cancel-migration"
                disabled={cancel.isPending || view.cancelling}
                onClick={() => cancel.mutate({ migrationId })}
              >
                Abort the transfer (virsh domjobabort)
              </Button>
              <Button
                variant="secondary"
                className="px-2 py-1 text-xs"
                onClick={() => setConfirmCancel(false)}
              >
                Let it finish
              </Button>
            </div>
          </div>
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
