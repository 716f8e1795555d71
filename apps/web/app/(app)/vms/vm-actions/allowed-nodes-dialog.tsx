"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { RetestProgress, useRetestStatus } from "@/components/retest-progress.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

/**
 * Changes the nodes a managed VM may run on. Review asks the cluster for the plan: newly allowed
 * nodes get the config file and pass the start/stop test first (the resource is disabled
 * meanwhile), and only then is the new constraint written; a removed node the VM runs on is left
 * by Pacemaker's own move. Followed to the end like a re-test.
 */
export function AllowedNodesDialog({
  clusterId,
  vm,
  clusterNodes,
  allowed,
  onClose,
}: {
  clusterId: string;
  vm: string;
  clusterNodes: string[];
  /** What the cluster's constraints allow now; null: any node. */
  allowed: string[] | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<string[]>(allowed ?? clusterNodes);
  const [reviewed, setReviewed] = useState<string[] | null>(null);
  const plan = useQuery({
    ...trpc.testResults.allowedNodesPlan.queryOptions({ clusterId, vm, next: reviewed ?? [] }),
    enabled: reviewed !== null,
    retry: false,
  });
  const change = useMutation(trpc.testResults.changeAllowedNodes.mutationOptions());
  const status = useRetestStatus(change.data);
  const view = status.view;
  const toggle = (node: string) => {
    setReviewed(null);
    setChosen((before) =>
      before.includes(node)
        ? before.filter((n) => n !== node)
        : clusterNodes.filter((n) => n === node || before.includes(n)),
    );
  };
  const ready = reviewed !== null && plan.data !== undefined;
  return (
    <ConfirmDialog
      title={`Allowed nodes of ${vm}`}
      testId="allowed-nodes-dialog"
      error={plan.error ?? change.error ?? status.error}
      errorTestId="allowed-nodes-error"
      review={{
        reviewed: ready,
        onClick: () => setReviewed(chosen),
        disabled: chosen.length === 0 || (reviewed !== null && plan.isFetching),
        testId: "allowed-nodes-review",
      }}
      confirm={{
        label: plan.data?.added.length ? "Disable, test and change" : "Change",
        variant: plan.data?.added.length || plan.data?.movesOff.length ? "danger" : "primary",
        onClick: () => change.mutate({ clusterId, vm, next: chosen }),
        disabled: !ready || change.isPending || view !== undefined,
        testId: "allowed-nodes-confirm",
      }}
      dismiss={{ label: view ? "Close" : "Cancel", onClick: onClose }}
    >
      <fieldset className="flex flex-wrap gap-3" disabled={view !== undefined}>
        {clusterNodes.map((node) => (
          <label key={node} className="flex items-center gap-1">
            <input
              type="checkbox"
              data-testid={`allowed-node-${node}`}
              checked={chosen.includes(node)}
              onChange={() => toggle(node)}
            />
            {node}
          </label>
        ))}
      </fieldset>
      {ready && plan.data ? (
        <div data-testid="allowed-nodes-plan" className="space-y-1">
          {plan.data.added.length ? (
            <p className="font-medium text-amber-800 dark:text-amber-300">
              Downtime: {vm} is stopped while {plan.data.added.join(", ")}{" "}
              {plan.data.added.length > 1 ? "are tested one after another" : "is tested"}, and
              started again before the new constraint is written. A failed copy or test leaves the
              allowed nodes as they are.
            </p>
          ) : null}
          {plan.data.movesOff.length ? (
            <p className="font-medium text-amber-800 dark:text-amber-300">
              {vm} runs on {plan.data.movesOff.join(", ")}, which it may no longer: Pacemaker moves
              it to an allowed node as soon as the constraint is written.
            </p>
          ) : null}
          {plan.data.removed.length ? (
            <p>
              No longer allowed: {plan.data.removed.join(", ")} (its copy of the config file is
              kept).
            </p>
          ) : null}
          <ol className="list-decimal pl-5 font-mono text-xs">
            {plan.data.commands.map((command) => (
              <li key={command}>{command}</li>
            ))}
          </ol>
        </div>
      ) : null}
      {view ? <RetestProgress view={view} /> : null}
    </ConfirmDialog>
  );
}
