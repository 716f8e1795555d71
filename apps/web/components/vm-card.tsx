import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { formatMiB } from "@/lib/format.ts";
import type { InventoryVm } from "@/lib/trpc-types.ts";
import { isCardWhole } from "@/lib/vm-filter.ts";
import { VmAlarms } from "./alarm-banner.tsx";

type Health = "ok" | "warning" | "failed";

/** Red: failed, blocked, or stopped with failures; amber: unmanaged or with failures recorded. */
function health(resource: NonNullable<InventoryVm["resource"]>): Health {
  const failures = resource.failCounts.length > 0 || resource.failedActions.length > 0;
  if (resource.failed || (resource.role === "Stopped" && failures)) return "failed";
  if (!resource.managed || failures) return "warning";
  return "ok";
}

const HEALTH_CLASS: Record<Health, string> = {
  ok: "",
  warning: "font-medium text-amber-700 dark:text-amber-400",
  failed: "font-medium text-red-700 dark:text-red-400",
};

/**
 * One VM: whether Pacemaker manages it, where it runs or is defined, its size. Pages add their
 * actions as children (live migration, resource actions, …); a VM not managed yet links to the
 * onboarding wizard.
 */
export function VmCard({
  vm,
  clusterId,
  canOnboard,
  children,
}: {
  vm: InventoryVm;
  clusterId: string;
  canOnboard: boolean;
  children?: ReactNode;
}) {
  const managed = vm.resource !== null;
  // Corral's own allowed-nodes rule is shown with the VM's details, not as a pin.
  const pinning = vm.resource?.constraints.filter((c) => c.origin !== "allowed-nodes") ?? [];
  const home = vm.runningOn[0] ?? vm.placements[0]?.node;
  const onboardHref =
    `/onboard?cluster=${encodeURIComponent(clusterId)}&node=${encodeURIComponent(home ?? "")}&vm=${encodeURIComponent(vm.name)}` as Route;
  return (
    <article
      data-testid="vm-card"
      data-vm={vm.name}
      data-managed={managed ? "yes" : "no"}
      data-whole={isCardWhole(vm) ? "yes" : "no"}
      data-alarm={vm.alarms.length ? "yes" : "no"}
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">{vm.name}</h3>
        <span
          data-testid="vm-managed"
          className={`rounded-full px-2 py-0.5 text-xs ${
            managed
              ? "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
              : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"
          }`}
        >
          {managed ? `Resource ${vm.resource?.id}` : "Not managed yet"}
        </span>
      </header>
      <VmAlarms alarms={vm.alarms} />
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-600 dark:text-slate-400">
        <dt>Running on</dt>
        <dd data-testid="vm-running-on">{vm.runningOn.join(", ") || "nowhere"}</dd>
        {vm.resource ? (
          <>
            <dt>Pacemaker</dt>
            <dd
              data-testid="vm-resource-role"
              data-health={health(vm.resource)}
              className={HEALTH_CLASS[health(vm.resource)]}
            >
              {vm.resource.role}
              {vm.resource.nodes.length ? ` on ${vm.resource.nodes.join(", ")}` : ""}
              {vm.resource.failed ? " (failed)" : ""}
              {vm.resource.managed ? "" : " (unmanaged)"}
              {vm.resource.targetRole === "Stopped" ? " (disabled)" : ""}
              {vm.resource.orphaned ? " (orphaned: no longer in the configuration)" : ""}
              {vm.resource.role === "Stopped" && vm.resource.failCounts.length
                ? " after failures"
                : ""}
            </dd>
          </>
        ) : null}
        <dt>Defined on</dt>
        <dd>
          {vm.placements
            .map((p) => `${p.node} (${p.state}${p.persistent ? "" : ", transient"})`)
            .join(", ") || "no node"}
        </dd>
        <dt>Size</dt>
        <dd>
          {vm.vcpus ?? "?"} vCPU, {vm.memoryKiB ? formatMiB(vm.memoryKiB * 1024, 0) : "?"} MiB
        </dd>
      </dl>
      {vm.resource?.failedActions.length ? (
        <div data-testid="vm-failed-actions" className="text-red-700 dark:text-red-400">
          <p className="font-medium">Failed operations (Pacemaker's record)</p>
          <ul className="list-disc pl-5 text-xs">
            {vm.resource.failedActions.map((action) => (
              <li key={`${action.operation}:${action.node}:${action.at}`}>
                {action.operation} on {action.node}: {action.exitReason || action.exitStatus}{" "}
                <span className="text-slate-500">({action.at})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {pinning.length ? (
        <p className="text-amber-700 dark:text-amber-400" data-testid="vm-constraints">
          Constraints:{" "}
          {pinning
            .map((c) => `${c.id} (${c.origin}${c.node ? ` ${c.node}` : ""} ${c.score ?? ""})`)
            .join(", ")}
        </p>
      ) : null}
      {vm.resource?.stickiness === "0" ? (
        <p className="text-amber-700 dark:text-amber-400" data-testid="vm-stickiness-warning">
          resource-stickiness is 0: Pacemaker may move this healthy VM to rebalance whenever a node
          or another resource changes. RHEL 9 clusters default to 1:{" "}
          <code>pcs resource defaults update resource-stickiness=1</code>
        </p>
      ) : null}
      {vm.resource?.problem ? (
        <p className="text-red-700 dark:text-red-400">{vm.resource.problem}</p>
      ) : null}
      <footer className="flex flex-wrap gap-2">
        {!managed && canOnboard ? (
          <Link
            href={onboardHref}
            data-testid="action-onboard"
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-indigo-500"
          >
            Onboard
          </Link>
        ) : null}
        {children}
      </footer>
    </article>
  );
}
