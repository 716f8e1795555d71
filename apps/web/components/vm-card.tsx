import type { InventoryVm } from "@corral/core";
import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { isCardWhole } from "@/lib/vm-filter.ts";
import { VmAlarms } from "./alarm-banner.tsx";

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
            <dd data-testid="vm-resource-role">
              {vm.resource.role}
              {vm.resource.nodes.length ? ` on ${vm.resource.nodes.join(", ")}` : ""}
              {vm.resource.failed ? " (failed)" : ""}
              {vm.resource.managed ? "" : " (unmanaged)"}
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
          {vm.vcpus ?? "?"} vCPU, {vm.memoryKiB ? Math.round(vm.memoryKiB / 1024) : "?"} MiB
        </dd>
      </dl>
      {vm.resource?.constraints.length ? (
        <p className="text-amber-700 dark:text-amber-400" data-testid="vm-constraints">
          Constraints:{" "}
          {vm.resource.constraints
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
