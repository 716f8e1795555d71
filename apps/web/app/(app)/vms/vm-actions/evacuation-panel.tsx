"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { formatTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Evacuation, InventoryNode, InventoryVm } from "@/lib/trpc-types.ts";
import { evacuationActive, RETURN_SHOWN_MS, readEvery } from "../operation-records.ts";

const HOW: Record<NonNullable<Evacuation["outcome"]>["vms"][number]["how"], string> = {
  live: "live migration",
  restarted: "stopped and started (the guest rebooted)",
  stopped: "stopped: runs nowhere",
  held: "held: stopped as chosen, Bring back starts it",
  stayed: "still on the node",
  moving: "still moving when the drain ended",
};

/**
 * Each drained node's latest drain, as Pacemaker recorded it: where each VM went and how, and
 * whether the node is safe to reboot; once the node is back, Bring back moves its VMs home.
 * A drain whose VMs are all home again is no longer shown.
 */
export function EvacuationPanels({
  clusterId,
  busy,
  nodes,
  vms,
  maintained,
}: {
  clusterId: string;
  /** Some VM of the cluster is locked or moving: a drain may be running. */
  busy: boolean;
  nodes: readonly Pick<InventoryNode, "name" | "state">[];
  /** Where Pacemaker has each VM now, shown while a drain runs. */
  vms: readonly Pick<InventoryVm, "resource">[];
  /** The node a rolling maintenance has out: it brings its VMs back, not Bring back. */
  maintained: string | null;
}) {
  const trpc = useTRPC();
  const evacuations = useQuery({
    ...trpc.vms.evacuations.queryOptions({ clusterId }),
    refetchInterval: (query) =>
      readEvery(busy || maintained !== null || (query.state.data ?? []).some(evacuationActive)),
  });
  const shown = (evacuations.data ?? []).filter((evacuation) => {
    const node = nodes.find((candidate) => candidate.name === evacuation.node);
    // Brought back lately and not all home yet: the panel says what is left and why.
    const returning =
      evacuation.returnedAt !== null &&
      Date.now() - new Date(evacuation.returnedAt).getTime() < RETURN_SHOWN_MS &&
      (evacuation.returnHome?.left.some((left) => left.reason !== "already home") ?? false);
    return (
      evacuation.state === "running" ||
      node?.state === "standby" ||
      (evacuation.returnHome?.moves.length ?? 0) > 0 ||
      (evacuation.returnHome?.starts.length ?? 0) > 0 ||
      returning
    );
  });
  if (!shown.length) return <ErrorBanner error={evacuations.error} />;
  return (
    <div className="space-y-2">
      {shown.map((evacuation) => (
        <EvacuationPanel
          key={evacuation.id}
          evacuation={evacuation}
          vms={vms}
          maintained={evacuation.node === maintained}
        />
      ))}
    </div>
  );
}

function EvacuationPanel({
  evacuation,
  vms,
  maintained,
}: {
  evacuation: Evacuation;
  vms: readonly Pick<InventoryVm, "resource">[];
  maintained: boolean;
}) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const queryClient = useQueryClient();
  const bringBack = useMutation(
    trpc.vms.returnHome.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.vms.evacuations.pathFilter()),
    }),
  );
  const { node, outcome, returnHome } = evacuation;
  const moves = maintained ? [] : (returnHome?.moves ?? []);
  const starts = maintained ? [] : (returnHome?.starts ?? []);
  const back = [...moves, ...starts].map((vm) => vm.resource);
  return (
    <section
      className="space-y-1 rounded-md border border-slate-200 p-3 text-xs dark:border-slate-800"
      data-testid="evacuation"
      data-node={node}
      data-state={evacuation.state}
    >
      <p className="font-medium">
        Drain of {node}
        {evacuation.actorName ? ` by ${evacuation.actorName}` : ""} at{" "}
        {formatTime(evacuation.startedAt)}:{" "}
        {evacuation.state === "running"
          ? "its VMs are leaving (each live move on its card)…"
          : evacuation.state === "drained"
            ? "done, as Pacemaker recorded it"
            : evacuation.state}
      </p>
      {evacuation.state === "running" ? (
        <ul className="list-disc pl-5" data-testid="evacuation-progress">
          {evacuation.resources.map((resource) => {
            const now = vms.find((vm) => vm.resource?.id === resource)?.resource;
            return (
              <li
                key={resource}
                data-testid="evacuating-vm"
                data-resource={resource}
                data-role={now?.role ?? ""}
              >
                {resource}:{" "}
                {now
                  ? `${now.role}${now.nodes.length ? ` on ${now.nodes.join(", ")}` : ""}`
                  : "no longer a resource"}
              </li>
            );
          })}
        </ul>
      ) : null}
      {evacuation.error ? (
        <p className="text-red-700 dark:text-red-400" data-testid="evacuation-error">
          {evacuation.error}
        </p>
      ) : null}
      {outcome ? (
        <>
          <ul className="list-disc pl-5">
            {outcome.vms.map((vm) => (
              <li
                key={vm.resource}
                data-testid="evacuated-vm"
                data-resource={vm.resource}
                data-how={vm.how}
                data-to={vm.to ?? ""}
                className={vm.how === "live" ? "" : "text-amber-800 dark:text-amber-300"}
              >
                {vm.resource}
                {vm.to && vm.how !== "stayed" ? ` → ${vm.to}` : ""}: {HOW[vm.how]}
                {vm.reason ? ` (${vm.reason})` : ""}
              </li>
            ))}
          </ul>
          <p
            data-testid="evacuation-safe"
            data-safe={outcome.safeToReboot}
            className={
              outcome.safeToReboot
                ? "font-medium text-emerald-700 dark:text-emerald-400"
                : "font-medium text-red-700 dark:text-red-400"
            }
          >
            {outcome.safeToReboot
              ? `Safe to reboot ${node}: its own libvirt ran no VM and Pacemaker moved nothing when the drain ended.`
              : outcome.stillRunning === null
                ? `Not known to be safe to reboot: ${node}'s libvirt could not be asked.`
                : outcome.stillRunning.length
                  ? `Not safe to reboot ${node}: its libvirt still runs ${outcome.stillRunning.join(", ")}.`
                  : `Not safe to reboot ${node} yet: Pacemaker was still moving resources.`}
          </p>
        </>
      ) : null}
      {maintained ? (
        <p className="text-slate-600 dark:text-slate-400" data-testid="return-home-by-maintenance">
          The rolling maintenance brings {node}'s VMs back once {node} is back.
        </p>
      ) : returnHome?.blocked &&
        returnHome.left.length === 0 &&
        outcome?.vms.some((vm) => vm.to || vm.how === "held") ? (
        <p className="text-slate-600 dark:text-slate-400" data-testid="return-home-later">
          Once {node} is back (Unstandby), Corral offers to bring its VMs back.
        </p>
      ) : null}
      {!back.length && evacuation.returnedAt && returnHome?.left.length ? (
        <p data-testid="return-home-left">
          Bringing back to {node}:{" "}
          {returnHome.left.map((left) => `${left.resource}, ${left.reason}`).join("; ")}.
        </p>
      ) : null}
      {back.length ? (
        <div className="space-y-1" data-testid="return-home">
          <p>
            {node} is back:{" "}
            {[
              ...moves.map(
                (move) =>
                  `${move.resource} (${move.live ? "live" : "stop and start"} from ${move.from})`,
              ),
              ...starts.map((start) => `${start.resource} (held: Bring back starts it)`),
            ].join(", ")}{" "}
            can come home.
          </p>
          {returnHome?.left.length ? (
            <p className="text-slate-600 dark:text-slate-400">
              Left: {returnHome.left.map((left) => `${left.resource}, ${left.reason}`).join("; ")}.
            </p>
          ) : null}
          {canAct ? (
            <Button
              variant="secondary"
              className="px-2 py-1 text-xs"
              data-testid="action-return-home"
              disabled={bringBack.isPending || Boolean(bringBack.data)}
              onClick={() =>
                bringBack.mutate({ clusterId: evacuation.clusterId, evacuationId: evacuation.id })
              }
            >
              Bring back {back.join(", ")} to {node}
            </Button>
          ) : null}
        </div>
      ) : null}
      {bringBack.data ? (
        <p data-testid="return-home-started">
          Bringing{" "}
          {[...bringBack.data.starts, ...bringBack.data.moves].map((vm) => vm.resource).join(", ")}{" "}
          back to {node}, the held ones started first, then one move at a time: each shows on its
          VM's card.
        </p>
      ) : null}
      <ErrorBanner error={bringBack.error} testId="return-home-error" />
    </section>
  );
}
