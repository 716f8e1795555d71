"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select } from "@/components/field.tsx";
import { formatTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { BulkActionName, BulkRun, Inventory } from "@/lib/trpc-types.ts";

const ACTIONS: Record<BulkActionName, { label: string; runs: string; warning: string | null }> = {
  start: { label: "Start", runs: "pcs resource enable VM --wait=180", warning: null },
  stop: {
    label: "Stop",
    runs: "pcs resource disable VM --wait=180",
    warning: "Each VM shuts down and stays down until started again.",
  },
  cleanup: {
    label: "Clean up",
    runs: "pcs resource cleanup VM",
    warning: "Forgets each VM's failures: Pacemaker then tries again where it had given up.",
  },
  migrate: {
    label: "Migrate",
    runs: "pcs resource move VM NODE (live where allow-migrate=true)",
    warning: "A VM without allow-migrate is stopped and started on the node (its guest reboots).",
  },
};

/** How long a finished bulk action stays on the page. */
const OVER_SHOWN_MS = 30 * 60_000;

/**
 * One action on the managed VMs the filter shows, a few at a time, each under its own lock as
 * its card would run it, then the result of each as the cluster answered.
 */
export function BulkActions({
  inventory,
  shown,
}: {
  inventory: Inventory;
  /** The managed VMs the filter shows. */
  shown: Inventory["vms"];
}) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const [open, setOpen] = useState(false);
  const latest = useQuery({
    ...trpc.bulk.latest.queryOptions({ clusterId: inventory.clusterId }),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 2_000 : 15_000),
  });
  const run = latest.data ?? null;
  const showRun =
    run && (run.status === "running" || Date.now() - (run.finishedAt ?? 0) < OVER_SHOWN_MS);
  const resources = shown.flatMap((vm) => (vm.resource ? [vm.resource.id] : []));
  return (
    <div className="space-y-2">
      {canAct && resources.length && !open ? (
        <Button
          variant="secondary"
          className="px-2 py-1 text-xs"
          data-testid="action-bulk"
          onClick={() => setOpen(true)}
        >
          Act on the {resources.length} managed VM{resources.length > 1 ? "s" : ""} shown…
        </Button>
      ) : null}
      {open ? (
        <BulkDialog
          inventory={inventory}
          resources={resources}
          onClose={() => setOpen(false)}
          onStarted={() => {
            setOpen(false);
            void latest.refetch();
          }}
        />
      ) : null}
      {showRun ? <BulkView run={run} /> : null}
      <ErrorBanner error={latest.error} />
    </div>
  );
}

function BulkDialog({
  inventory,
  resources,
  onClose,
  onStarted,
}: {
  inventory: Inventory;
  resources: string[];
  onClose: () => void;
  onStarted: () => void;
}) {
  const trpc = useTRPC();
  const [action, setAction] = useState<BulkActionName>("start");
  const online = inventory.nodes.filter((node) => node.state === "online").map((n) => n.name);
  const [target, setTarget] = useState(online[0] ?? "");
  const [concurrency, setConcurrency] = useState(2);
  const start = useMutation(trpc.bulk.start.mutationOptions({ onSuccess: onStarted }));
  const { label, runs, warning } = ACTIONS[action];
  return (
    <ConfirmDialog
      title={`${label} ${resources.length} VM${resources.length > 1 ? "s" : ""} of ${inventory.clusterName}`}
      testId="bulk-dialog"
      command={runs.replace("NODE", action === "migrate" ? target : "NODE")}
      error={start.error}
      errorTestId="bulk-error"
      confirm={{
        label: `${label} ${resources.length}`,
        testId: "confirm-bulk",
        variant: action === "stop" ? "danger" : "primary",
        disabled: start.isPending || (action === "migrate" && !target),
        onClick: () =>
          start.mutate({
            clusterId: inventory.clusterId,
            resources,
            action,
            target: action === "migrate" ? target : null,
            concurrency,
          }),
      }}
      dismiss={{ label: "Cancel", onClick: onClose, testId: "cancel-bulk" }}
    >
      <p className="text-xs" data-testid="bulk-vms">
        {resources.join(", ")}
      </p>
      <div className="grid grid-cols-3 gap-2 text-xs">
        <Field label="Action">
          <Select
            value={action}
            onChange={(e) => setAction(e.target.value as BulkActionName)}
            data-testid="input-bulk-action"
          >
            {(Object.keys(ACTIONS) as BulkActionName[]).map((name) => (
              <option key={name} value={name}>
                {ACTIONS[name].label}
              </option>
            ))}
          </Select>
        </Field>
        {action === "migrate" ? (
          <Field label="To node">
            <Select
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              data-testid="input-bulk-target"
            >
              {online.map((node) => (
                <option key={node} value={node}>
                  {node}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field label="At a time">
          <Select
            value={String(concurrency)}
            onChange={(e) => setConcurrency(Number(e.target.value))}
            data-testid="input-bulk-concurrency"
          >
            {[1, 2, 3, 4, 6, 8].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <p className="text-xs">
        Each VM under its own lock, as its card would run it; VMs the action would not change are
        left out, saying why.
      </p>
      {warning ? <p className="text-xs text-amber-800 dark:text-amber-300">{warning}</p> : null}
    </ConfirmDialog>
  );
}

const ITEM_STYLE: Record<BulkRun["items"][number]["state"], string> = {
  pending: "text-slate-500",
  running: "font-medium",
  succeeded: "text-emerald-700 dark:text-emerald-400",
  failed: "text-red-700 dark:text-red-400",
  skipped: "text-slate-500",
  "not-run": "text-amber-800 dark:text-amber-300",
};

function BulkView({ run }: { run: BulkRun }) {
  const counts = run.items.reduce<Record<string, number>>((acc, item) => {
    acc[item.state] = (acc[item.state] ?? 0) + 1;
    return acc;
  }, {});
  return (
    <section
      className="space-y-1 rounded-md border border-slate-200 p-3 text-xs dark:border-slate-800"
      data-testid="bulk-run"
      data-status={run.status}
    >
      <p className="font-medium">
        {ACTIONS[run.action].label}
        {run.target ? ` to ${run.target}` : ""} of {run.items.length} VMs
        {run.actorName ? ` by ${run.actorName}` : ""} at {formatTime(new Date(run.startedAt))},{" "}
        {run.concurrency} at a time: {run.status}
        {" · "}
        {Object.entries(counts)
          .map(([state, count]) => `${count} ${state}`)
          .join(", ")}
      </p>
      <ul className="space-y-0.5">
        {run.items.map((item) => (
          <li
            key={item.resource}
            data-testid="bulk-item"
            data-resource={item.resource}
            data-state={item.state}
            className={ITEM_STYLE[item.state]}
          >
            {item.resource}: {item.state}
            {item.message ? ` (${item.message})` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
