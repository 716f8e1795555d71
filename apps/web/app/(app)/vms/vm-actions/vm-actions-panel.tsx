"use client";

import { useQuery } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { type ReactNode, useEffect, useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { formatTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { InventoryVm, VmAction, VmActivity } from "@/lib/trpc-types.ts";
import { MigrationHistory } from "../migration-history.tsx";
import { AllowedNodesDialog } from "./allowed-nodes-dialog.tsx";
import { MigrateDialog } from "./migrate-dialog.tsx";
import { MigrationPanel } from "./migration-panel.tsx";
import { ResourcePanel } from "./resource-panel.tsx";
import { ResyncDialog } from "./resync-dialog.tsx";
import { RunActionDialog } from "./run-action-dialog.tsx";

const ACTION_LABELS: Record<VmAction, string> = {
  enable: "Enable / start",
  disable: "Disable / stop",
  restart: "Restart",
  cleanup: "Cleanup",
  clear: "Clear constraints",
  manage: "Manage (Pacemaker takes it back)",
  unmanage: "Unmanage (Pacemaker leaves it as is)",
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
  /** The cluster's nodes, their states and libvirt's, as one string: a change re-reads the targets. */
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
  // Each read asks every node (config copies, storage): read when opened and when Pacemaker's
  // view changes, never on a timer. A running migration's second path beside its SSE stream is
  // the cluster's activity, read every 2 s while a move runs and asking no node.
  const details = useQuery({
    ...trpc.vms.details.queryOptions({ clusterId, vm: name }),
    enabled: open,
  });
  const { refetch } = details;
  useEffect(() => {
    if (stateKey && open) void refetch();
  }, [stateKey, open, refetch]);
  const [dialog, setDialog] = useState<
    | { kind: "migrate" }
    | { kind: "action"; action: VmAction }
    | { kind: "resync" }
    | { kind: "allowed-nodes" }
    | null
  >(null);
  const [migrationId, setMigrationId] = useState<string | null>(null);
  const data = details.data;
  // The cluster's activity is read every few seconds while a move is recent: fresher than the
  // details, which stop at the move's first result (recovery may say more afterwards).
  const polled = activity?.migrations.findLast((m) => m.vm === name) ?? data?.migration ?? null;
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
  // The running move's own cli-prefer- is not a leftover: it goes when the move ends. Nor is a
  // move Pacemaker still carries out (its Corral gone): clearing it mid-move can double-run.
  const moving =
    polled?.state === "running" ||
    ["Migrating", "Starting", "Stopping"].includes(resource?.role ?? "");
  const leftovers =
    vm.resource?.constraints.filter(
      (c) => c.origin === "ban" || (c.origin === "move" && !moving),
    ) ?? [];
  const allowedBy = resource?.constraints.filter((c) => c.origin === "allowed-nodes") ?? [];
  const clusterNodes = nodeStates
    .split(",")
    .filter(Boolean)
    .map((entry) => entry.slice(0, entry.lastIndexOf("=")));

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
          <dd>
            <span data-testid="vm-allowed-nodes">
              {resource.allowedNodes
                ? `${resource.allowedNodes.join(", ")} (constraint ${allowedBy.map((c) => c.id).join(" and ")})`
                : "any node (no allowed-nodes constraint)"}
            </span>
            {canAct ? (
              <FixButton
                testId="action-allowed-nodes"
                onClick={() => setDialog({ kind: "allowed-nodes" })}
              >
                Change
              </FixButton>
            ) : null}
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
                  <FixButton
                    testId="action-cleanup-failures"
                    onClick={() => setDialog({ kind: "action", action: "cleanup" })}
                  >
                    Cleanup
                  </FixButton>
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
          Pinned by a move or ban{leftovers.length > 1 ? " (several)" : ""}:{" "}
          {leftovers.map((c) => `${c.id} (${c.node ?? "rule"} ${c.score ?? ""})`).join(", ")}
          {canAct ? (
            <FixButton
              testId="action-clear-leftover"
              onClick={() => openDialog({ kind: "action", action: "clear" })}
            >
              Clear
            </FixButton>
          ) : null}
        </p>
      ) : null}
      {activeId ? (
        <MigrationPanel
          key={activeId}
          migrationId={activeId}
          polled={polled?.id === activeId ? polled : null}
          canAct={canAct}
          constraintIds={vm.resource?.constraints.map((c) => c.id) ?? []}
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
          {(Object.keys(ACTION_LABELS) as VmAction[])
            // By the is-managed attribute, not crm_mon's view (maintenance mode shows all unmanaged).
            .filter((action) => action !== (resource?.isManaged === false ? "unmanage" : "manage"))
            .map((action) => (
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
        <RunActionDialog
          title={ACTION_LABELS[dialog.action]}
          command={data.commands.vm[dialog.action] ?? ""}
          input={{ kind: "vm", clusterId, vm: name, action: dialog.action }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {(dialog?.kind === "migrate" || dialog?.kind === "action") && !data && !details.error ? (
        <p data-testid="vm-details-loading" className="text-xs text-slate-500">
          Asking the nodes for the targets and commands…
        </p>
      ) : null}
      {dialog?.kind === "allowed-nodes" && resource ? (
        <AllowedNodesDialog
          clusterId={clusterId}
          vm={name}
          clusterNodes={clusterNodes}
          allowed={resource.allowedNodes}
          onClose={() => setDialog(null)}
        />
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
      <Link
        href={
          `/timeline?cluster=${encodeURIComponent(clusterId)}&vm=${encodeURIComponent(name)}` as Route
        }
        className="text-xs underline"
        data-testid="vm-timeline-link"
      >
        Timeline of {name}
      </Link>
    </div>
  );
}

/** A small button beside what it resolves (the fail counts, a left-over constraint). */
function FixButton({
  testId,
  onClick,
  children,
}: {
  testId: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button
      variant="secondary"
      className="ml-2 px-2 py-0.5 text-xs"
      data-testid={testId}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}
