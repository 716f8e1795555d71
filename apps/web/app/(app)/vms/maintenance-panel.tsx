"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { CheckboxField, TextField } from "@/components/field.tsx";
import { formatTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type {
  InventoryNode,
  Maintenance,
  MaintenancePlan,
  MaintenanceWork,
} from "@/lib/trpc-types.ts";
import { maintenanceActive } from "./operation-records.ts";

/** How long a finished maintenance stays on the page. */
const OVER_SHOWN_MS = 60 * 60_000;

const STEP_LABEL: Record<Maintenance["state"]["step"], string> = {
  gate: "checks it may go out",
  evacuate: "drain",
  work: "work on the node",
  rejoin: "back in the cluster",
  retest: "start/stop test",
  unstandby: "unstandby",
  "return-home": "VMs home",
};

const STATUS_LABEL: Record<Maintenance["state"]["status"], string> = {
  running: "running",
  waiting: "waiting for your work",
  paused: "paused",
  succeeded: "done",
  stopped: "stopped",
};

/**
 * Rolling maintenance of the cluster's nodes, one at a time: the form and its plan before the
 * click, then the maintenance as its record says (read by ClusterNodeControls), with Continue,
 * Resume and Stop.
 */
export function MaintenancePanel({
  clusterId,
  nodes,
  latest,
}: {
  clusterId: string;
  nodes: readonly Pick<InventoryNode, "name">[];
  /** The cluster's latest maintenance record, or why it could not be read. */
  latest: { data: Maintenance | null | undefined; error: unknown };
}) {
  const canAct = useCan("operator");
  const [open, setOpen] = useState(false);
  const current = latest.data ?? null;
  const active = maintenanceActive(current);
  const shown =
    current && (active || Date.now() - (current.state.finishedAt ?? Date.now()) < OVER_SHOWN_MS);
  return (
    <div className="space-y-2">
      {shown ? <MaintenanceView maintenance={current} canAct={canAct} /> : null}
      {canAct && !active && !open ? (
        <Button
          variant="secondary"
          className="px-2 py-1 text-xs"
          data-testid="action-rolling-maintenance"
          onClick={() => setOpen(true)}
        >
          Rolling maintenance…
        </Button>
      ) : null}
      {open && !active ? (
        <MaintenanceForm clusterId={clusterId} nodes={nodes} onClose={() => setOpen(false)} />
      ) : null}
      <ErrorBanner error={latest.error} />
    </div>
  );
}

function MaintenanceForm({
  clusterId,
  nodes,
  onClose,
}: {
  clusterId: string;
  nodes: readonly Pick<InventoryNode, "name">[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<string[]>(nodes.map((node) => node.name));
  const [hook, setHook] = useState(false);
  const [command, setCommand] = useState("");
  const [retest, setRetest] = useState(true);
  const [stopConsent, setStopConsent] = useState(false);
  const [reviewed, setReviewed] = useState<MaintenanceWork | null>(null);
  const work: MaintenanceWork = hook ? { kind: "hook", command } : { kind: "pause" };
  const plan = useQuery({
    ...trpc.maintenance.plan.queryOptions({ clusterId, work: reviewed ?? { kind: "pause" } }),
    enabled: reviewed !== null,
    staleTime: 0,
    gcTime: 0,
  });
  const queryClient = useQueryClient();
  const start = useMutation(
    trpc.maintenance.start.mutationOptions({
      onSuccess: async () => {
        onClose();
        await queryClient.invalidateQueries(trpc.maintenance.latest.pathFilter());
      },
    }),
  );
  const planned = (plan.data?.nodes ?? []).filter((entry) => chosen.includes(entry.node));
  const wouldStop = planned.flatMap((entry) => entry.wouldStop.map((stop) => stop.resource));
  const stale = reviewed !== null && JSON.stringify(reviewed) !== JSON.stringify(work);
  return (
    <ConfirmDialog
      title="Rolling maintenance: one node at a time"
      testId="maintenance-form"
      error={start.error ?? plan.error}
      errorTestId="maintenance-error"
      review={{
        reviewed: reviewed !== null && !stale && Boolean(plan.data),
        onClick: () => setReviewed(work),
        disabled: !chosen.length || (hook && !command.trim()) || plan.isFetching,
        testId: "action-maintenance-review",
      }}
      confirm={{
        label: `Start with ${chosen[0] ?? "…"}`,
        testId: "confirm-maintenance-start",
        disabled: start.isPending || (wouldStop.length > 0 && !stopConsent),
        onClick: () =>
          start.mutate({
            clusterId,
            nodes: chosen,
            work,
            retest,
            stopVms: stopConsent ? wouldStop : [],
          }),
      }}
      dismiss={{ label: "Cancel", onClick: onClose, testId: "cancel-maintenance" }}
    >
      <p className="text-xs">
        Each node in turn: Corral checks that quorum holds without it and that every VM has
        somewhere to go, drains it (standby), lets the work be done, waits until it is back, tests
        the VMs allowed there on it, takes it back (unstandby) and brings its VMs home. Any failure
        pauses the maintenance with the reason; Resume carries on from that step.
      </p>
      <fieldset className="space-y-1 text-xs" data-testid="maintenance-nodes">
        <legend className="font-medium">Nodes, in this order</legend>
        {nodes.map((node) => (
          <CheckboxField
            key={node.name}
            checked={chosen.includes(node.name)}
            onCheckedChange={(on) =>
              setChosen(
                nodes
                  .map((n) => n.name)
                  .filter((name) => (name === node.name ? on : chosen.includes(name))),
              )
            }
            testId={`input-maintenance-node-${node.name}`}
          >
            {node.name}
          </CheckboxField>
        ))}
      </fieldset>
      <fieldset className="space-y-1 text-xs">
        <legend className="font-medium">The work on each node, once it is empty</legend>
        <CheckboxField checked={hook} onCheckedChange={setHook} testId="input-maintenance-hook-on">
          Run a command on the node (an upgrade, a reboot); otherwise Corral waits for you to say
          the work is done
        </CheckboxField>
        {hook ? (
          <TextField
            label="Command (run as the cluster's SSH user by sh -c; a reboot is detected)"
            value={command}
            onValueChange={setCommand}
            testId="input-maintenance-hook"
          />
        ) : null}
      </fieldset>
      <CheckboxField
        checked={retest}
        onCheckedChange={setRetest}
        testId="input-maintenance-retest"
        className="flex items-center gap-2 text-xs"
      >
        Test each VM allowed on the node there before it takes VMs again (each VM is stopped during
        its test)
      </CheckboxField>
      {plan.data && !stale ? (
        <PlanTable plan={plan.data} chosen={chosen} retest={retest} />
      ) : reviewed && !stale ? (
        <p className="text-xs text-slate-500">Asking Pacemaker's scheduler about each node…</p>
      ) : null}
      {plan.data && !stale && wouldStop.length ? (
        <CheckboxField
          checked={stopConsent}
          onCheckedChange={setStopConsent}
          testId="input-maintenance-stop-consent"
          className="flex items-center gap-2 text-xs text-red-700 dark:text-red-400"
        >
          Let {wouldStop.join(", ")} stop while {wouldStop.length > 1 ? "their" : "its"} node is out
        </CheckboxField>
      ) : null}
    </ConfirmDialog>
  );
}

function PlanTable({
  plan,
  chosen,
  retest,
}: {
  plan: MaintenancePlan;
  chosen: readonly string[];
  retest: boolean;
}) {
  return (
    <div className="space-y-1 text-xs" data-testid="maintenance-plan">
      <ul className="list-disc pl-5">
        {chosen.map((name) => {
          const entry = plan.nodes.find((candidate) => candidate.node === name);
          if (!entry) return null;
          return (
            <li key={name} data-testid="maintenance-plan-node" data-node={name}>
              <span className="font-medium">{name}</span>
              {entry.vms.length ? (
                <>
                  :{" "}
                  {entry.moves
                    .map((m) => `${m.resource} → ${m.to} ${m.live ? "live" : "by restart"}`)
                    .join(", ") || "the scheduler moves nothing"}
                </>
              ) : (
                ": no VM runs there"
              )}
              {entry.planError ? (
                <span className="text-amber-700"> (scheduler not asked: {entry.planError})</span>
              ) : null}
              {entry.wouldStop.map((stop) => (
                <span
                  key={stop.resource}
                  data-testid="maintenance-plan-stop"
                  data-resource={stop.resource}
                  className="block text-red-700 dark:text-red-400"
                >
                  {stop.resource} would stop: {stop.reason}
                </span>
              ))}
              {entry.outsidePacemaker.length ? (
                <span
                  data-testid="maintenance-plan-outside"
                  className="block text-red-700 dark:text-red-400"
                >
                  {entry.outsidePacemaker.join(", ")}{" "}
                  {entry.outsidePacemaker.length > 1 ? "run" : "runs"} there outside Pacemaker: the
                  maintenance stops before draining {name} until{" "}
                  {entry.outsidePacemaker.length > 1 ? "they are" : "it is"} shut down or moved
                </span>
              ) : null}
              {retest && entry.retested.length ? (
                <span className="block text-slate-600 dark:text-slate-400">
                  Tested there afterwards: {entry.retested.join(", ")}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <p className="font-medium">On each node it runs:</p>
      <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-slate-900 px-2 py-1 font-mono text-slate-100">
        {plan.commands.join("\n")}
      </pre>
    </div>
  );
}

function MaintenanceView({ maintenance, canAct }: { maintenance: Maintenance; canAct: boolean }) {
  const trpc = useTRPC();
  const resume = useMutation(trpc.maintenance.continue.mutationOptions());
  const stop = useMutation(trpc.maintenance.stop.mutationOptions());
  const { state, stopRequestedBy } = maintenance;
  const node = state.nodes[state.current] ?? "";
  const over = state.status === "succeeded" || state.status === "stopped";
  const ref = { clusterId: state.clusterId, id: state.id };
  return (
    <section
      className="space-y-2 rounded-md border border-slate-200 p-3 text-xs dark:border-slate-800"
      data-testid="maintenance"
      data-status={state.status}
      data-node={node}
      data-step={state.step}
    >
      <p className="font-medium">
        Rolling maintenance{state.actorName ? ` by ${state.actorName}` : ""} since{" "}
        {formatTime(new Date(state.startedAt))}: {STATUS_LABEL[state.status]}
        {over ? "" : `, ${node}: ${STEP_LABEL[state.step]}`}
        {state.work.kind === "hook" ? ` (hook: ${state.work.command})` : ""}
      </p>
      <ol className="flex flex-wrap gap-2" data-testid="maintenance-nodes-progress">
        {state.nodes.map((name, index) => (
          <li
            key={name}
            data-testid="maintenance-node"
            data-node={name}
            data-progress={
              index < state.current || state.status === "succeeded"
                ? "done"
                : index === state.current && !over
                  ? "current"
                  : "pending"
            }
            className={
              index < state.current || state.status === "succeeded"
                ? "text-emerald-700 dark:text-emerald-400"
                : index === state.current && !over
                  ? "font-medium"
                  : "text-slate-500"
            }
          >
            {index + 1}. {name}
          </li>
        ))}
      </ol>
      {state.status === "waiting" ? (
        <p
          className="font-medium text-indigo-700 dark:text-indigo-300"
          data-testid="maintenance-waiting"
        >
          {node} is empty and in standby: do your work on it, then Continue. Corral then waits until
          it is back in the cluster.
        </p>
      ) : null}
      {state.reason && state.status !== "succeeded" ? (
        <p className="text-red-700 dark:text-red-400" data-testid="maintenance-reason">
          {state.reason}
        </p>
      ) : null}
      {stopRequestedBy && !over ? (
        <p data-testid="maintenance-stopping">
          {stopRequestedBy} asked it to stop: it stops once the current step is over.
        </p>
      ) : null}
      <ol className="space-y-0.5" data-testid="maintenance-log">
        {state.log.map((entry, index) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows
            key={index}
            data-testid="maintenance-log-entry"
            data-node={entry.node}
            data-step={entry.step}
            data-ok={entry.ok}
            className={entry.ok ? "" : "text-red-700 dark:text-red-400"}
          >
            {formatTime(new Date(entry.at))} · {entry.node} · {STEP_LABEL[entry.step]}:{" "}
            {entry.message}
          </li>
        ))}
      </ol>
      {canAct && !over ? (
        <div className="flex gap-2">
          {state.status === "waiting" || state.status === "paused" ? (
            <Button
              className="px-2 py-1 text-xs"
              data-testid={
                state.status === "waiting"
                  ? "action-maintenance-continue"
                  : "action-maintenance-resume"
              }
              disabled={resume.isPending}
              onClick={() => resume.mutate(ref)}
            >
              {state.status === "waiting"
                ? `The work on ${node} is done: Continue`
                : `Resume at ${STEP_LABEL[state.step]} on ${node}`}
            </Button>
          ) : null}
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            data-testid="action-maintenance-stop"
            disabled={stop.isPending || Boolean(stopRequestedBy)}
            onClick={() => stop.mutate(ref)}
          >
            Stop
          </Button>
        </div>
      ) : null}
      <ErrorBanner error={resume.error ?? stop.error} testId="maintenance-action-error" />
    </section>
  );
}
