"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDuration } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { RetestView } from "@/lib/trpc-types.ts";

const PHASES: Record<RetestView["phase"], string> = {
  distributing: "Copying the config file to the added nodes and checking its SHA-256",
  disabling: "Disabling the resource and waiting until it is Stopped",
  testing: "Testing",
  tested: "Tested",
  enabling: "Enabling the resource and waiting until it is Started",
  binding: "Writing the new allowed-nodes constraint and waiting until Pacemaker placed the VM",
};

/**
 * A re-test or a change of allowed nodes as it runs and after: the phase, each node's result,
 * and the outcome in the cluster's words (where Pacemaker started the VM, or why it did not).
 */
export function RetestProgress({ view }: { view: RetestView }) {
  return (
    <div className="text-xs" data-testid="retest-progress" data-state={view.state}>
      {view.state === "running" ? (
        <p>
          {PHASES[view.phase]}
          {view.phase === "testing" && view.node ? ` on ${view.node}` : ""}…
        </p>
      ) : view.state === "succeeded" ? (
        <p className="text-emerald-700 dark:text-emerald-400">
          {view.allowedNodes
            ? `Allowed on ${view.allowedNodes.join(", ")}; ${view.resource} runs on ${view.startedOn}.`
            : `Re-tested; ${view.resource} is Started on ${view.startedOn} again.`}
        </p>
      ) : (
        <p className="text-red-700 dark:text-red-400">{view.error}</p>
      )}
      <ul>
        {view.results.map((result) => (
          <li key={result.id}>
            {result.node}: {result.outcome === "succeeded" ? "pass" : "fail"} · start{" "}
            {formatDuration(result.startMs)} · stop {formatDuration(result.stopMs)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Follows a re-test (or a change of allowed nodes) started here, every second while it runs. */
export function useRetestStatus(started: RetestView | undefined) {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.testResults.retestStatus.queryOptions({ retestId: started?.id ?? "" }),
    enabled: started !== undefined,
    refetchInterval: (query) => (query.state.data?.state === "running" ? 1_000 : false),
  });
  return { view: status.data ?? started, error: status.error };
}
