"use client";

import { useQuery } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { useTRPC } from "@/lib/trpc.tsx";
import { useInventories } from "@/lib/use-inventories.ts";

/**
 * On every page: each managed VM that runs twice, outside Pacemaker's placement, or is left
 * defined on a node, from the live inventory (every node's libvirt against Pacemaker).
 */
export function AlarmBanner() {
  const { inventories } = useInventories();
  const alarms = (inventories ?? []).flatMap((inventory) =>
    inventory.vms.flatMap((vm) =>
      vm.alarms.map((alarm) => ({ cluster: inventory.clusterName, vm: vm.name, alarm })),
    ),
  );
  if (alarms.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="alarm-banner"
      className="space-y-1 border-b border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      {alarms.map(({ cluster, vm, alarm }) => (
        <p
          key={`${cluster}:${vm}:${alarm.kind}`}
          data-testid="alarm"
          data-vm={vm}
          data-kind={alarm.kind}
        >
          <strong>{cluster}:</strong> {alarm.message}{" "}
          <Link href={"/vms" as Route} className="underline">
            See the VM
          </Link>
        </p>
      ))}
    </div>
  );
}

/** One VM's alarms on its card, with the commands that resolve each. */
export function VmAlarms({
  alarms,
}: {
  alarms: { kind: string; message: string; fix: string[] }[];
}) {
  if (alarms.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="vm-alarms"
      className="space-y-2 rounded-md border border-red-400 bg-red-50 p-2 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100"
    >
      {alarms.map((alarm) => (
        <div key={alarm.kind} data-testid="vm-alarm" data-kind={alarm.kind}>
          <p className="font-medium">{alarm.message}</p>
          <p className="text-xs">To resolve it:</p>
          <pre className="overflow-x-auto rounded bg-slate-900 px-2 py-1 font-mono text-xs text-slate-100">
            {alarm.fix.join("\n")}
          </pre>
        </div>
      ))}
    </div>
  );
}

/**
 * On every page: per cluster, maintenance mode while it is on (Pacemaker then recovers nothing)
 * and the critical findings nobody set aside, linking to Needs attention.
 */
export function FindingsBanner() {
  const trpc = useTRPC();
  const findings = useQuery({
    ...trpc.findings.list.queryOptions({ state: "open", limit: 500 }),
    refetchInterval: 10_000,
  });
  const { inventories } = useInventories();
  const now = Date.now();
  // Maintenance mode from the live inventory (within 2 s of the change), the rest from the
  // findings the watch recorded.
  const maintenance = (inventories ?? []).filter((inventory) => inventory.summary?.maintenanceMode);
  const loud = (findings.data ?? []).filter(
    (finding) =>
      finding.severity === "critical" &&
      !(
        finding.acknowledgement &&
        (finding.acknowledgement.until === null ||
          new Date(finding.acknowledgement.until).getTime() > now)
      ),
  );
  const byCluster = new Map<string, string[]>(
    maintenance.map((inventory) => [
      inventory.clusterId,
      [`${inventory.clusterName} is in maintenance mode: Pacemaker recovers nothing.`],
    ]),
  );
  for (const finding of loud) {
    byCluster.set(finding.clusterId, [
      ...(byCluster.get(finding.clusterId) ?? []),
      finding.summary,
    ]);
  }
  if (byCluster.size === 0) return null;
  return (
    <div
      role="status"
      data-testid="findings-banner"
      className="space-y-1 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      {[...byCluster].map(([clusterId, list]) => (
        <p key={clusterId} data-testid="findings-banner-cluster" data-cluster={clusterId}>
          <strong>
            {inventories?.find((inventory) => inventory.clusterId === clusterId)?.clusterName ??
              clusterId}
            :
          </strong>{" "}
          {list.join(" ")}{" "}
          <Link href={"/attention" as Route} className="underline">
            Needs attention
          </Link>
        </p>
      ))}
    </div>
  );
}
