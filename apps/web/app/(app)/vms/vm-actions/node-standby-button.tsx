"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { CheckboxField } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { StandbyPlan } from "@/lib/trpc-types.ts";
import { type DrainChoices, DrainChoicesForm, defaultChoices } from "./drain-choices.tsx";
import { RunActionDialog } from "./run-action-dialog.tsx";

/**
 * Drain a node (standby moves its VMs away) or take it back, confirmed with the command. Before
 * a standby, Pacemaker's own scheduler says what it would do (crm_simulate on a copy of the
 * CIB): which VM goes where, live or stopped and started, and which would stop.
 */
export function NodeStandbyButton({
  clusterId,
  node,
  standby,
  command,
  outsidePacemaker,
}: {
  clusterId: string;
  node: string;
  standby: boolean;
  command: string;
  /** VMs libvirt runs on the node that Pacemaker does not manage: a drain leaves them there. */
  outsidePacemaker: string[];
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [stopConsent, setStopConsent] = useState(false);
  const action = standby ? "unstandby" : "standby";
  const planned = useQuery({
    ...trpc.vms.standbyPlan.queryOptions({ clusterId, node }),
    enabled: open && !standby,
    staleTime: 0,
    gcTime: 0,
  });
  const stranded = planned.data?.stranded ?? [];
  const strands = !standby && stranded.length > 0;
  const [choices, setChoices] = useState<DrainChoices | null>(null);
  const moves = planned.data?.plan?.moves ?? [];
  // The scheduler's plan as the first choice: its strategy per VM, its order, 2 at a time.
  const chosen = choices ?? (moves.length ? defaultChoices(moves) : null);
  return (
    <span className="inline-flex flex-col gap-2">
      <Button
        variant="secondary"
        className="px-2 py-1 text-xs"
        data-testid={`action-node-${action}`}
        data-node={node}
        onClick={() => setOpen(true)}
      >
        {standby ? `Unstandby ${node}` : `Standby ${node} (drain)`}
      </Button>
      {open ? (
        <RunActionDialog
          title={standby ? `Take ${node} back` : `Drain ${node}: its VMs move away`}
          command={command}
          input={{
            kind: "node",
            clusterId,
            node,
            action,
            ...(strands && stopConsent ? { stopVms: stranded.map((s) => s.resource) } : {}),
            ...(!standby && chosen ? { evacuate: chosen } : {}),
          }}
          onClose={() => {
            setOpen(false);
            // The next opening asks the scheduler again: its plan is the first choice again.
            setChoices(null);
          }}
          blocked={!standby && (!planned.data || (strands && !stopConsent))}
        >
          {!standby ? (
            planned.data ? (
              <>
                <PlanView plan={planned.data.plan} error={planned.data.error} />
                {chosen ? (
                  <DrainChoicesForm moves={moves} value={chosen} onChange={setChoices} />
                ) : null}
              </>
            ) : (
              <p className="text-xs text-slate-500" data-testid="standby-plan-loading">
                Asking Pacemaker's scheduler what this standby would do…
              </p>
            )
          ) : null}
          {!standby && outsidePacemaker.length ? (
            <p
              data-testid="standby-outside-pacemaker"
              className="text-xs text-amber-800 dark:text-amber-300"
            >
              {outsidePacemaker.join(", ")} {outsidePacemaker.length > 1 ? "run" : "runs"} on {node}{" "}
              outside Pacemaker: the drain leaves {outsidePacemaker.length > 1 ? "them" : "it"}{" "}
              running there, and a reboot of {node} would take{" "}
              {outsidePacemaker.length > 1 ? "them" : "it"} down.
            </p>
          ) : null}
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
              <CheckboxField
                className="flex items-center gap-2 text-xs"
                checked={stopConsent}
                onCheckedChange={setStopConsent}
                testId="input-standby-stop-consent"
              >
                Stop {stranded.map((s) => s.resource).join(", ")} with the standby
              </CheckboxField>
            </div>
          ) : null}
        </RunActionDialog>
      ) : null}
    </span>
  );
}

/** The scheduler's plan, resource by resource, or why it could not be had. */
function PlanView({ plan, error }: { plan: StandbyPlan | null; error: string | null }) {
  if (!plan) {
    return (
      <p className="text-xs text-amber-700" data-testid="standby-plan-error">
        Pacemaker's scheduler could not be asked ({error}); the VMs below are named from their
        constraints.
      </p>
    );
  }
  if (!plan.moves.length && !plan.stops.length && !plan.others.length) {
    return (
      <p className="text-xs" data-testid="standby-plan">
        Pacemaker's scheduler plans nothing: no resource runs on {plan.node}.
      </p>
    );
  }
  return (
    <div className="text-xs" data-testid="standby-plan">
      <p>Pacemaker's scheduler plans (crm_simulate on a copy of the CIB):</p>
      <ul className="list-disc pl-5">
        {plan.moves.map((move) => (
          <li key={move.resource} data-testid="standby-plan-move" data-resource={move.resource}>
            {move.resource} → {move.to} ({move.live ? "live migration" : "stopped and started"})
          </li>
        ))}
        {plan.stops.map((stop) => (
          <li
            key={stop.resource}
            data-testid="standby-plan-stop"
            data-resource={stop.resource}
            className="text-red-700 dark:text-red-400"
          >
            {stop.resource} stops{stop.reason ? ` (${stop.reason})` : ""}
          </li>
        ))}
        {plan.others.map((other) => (
          <li key={`${other.action}-${other.resource}`}>
            {other.action} {other.resource}
            {other.source ? ` on ${other.source}` : ""}
            {other.dest ? ` → ${other.dest}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
