"use client";

import type { Route } from "next";
import Link from "next/link";
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
