"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Button } from "@/components/button.tsx";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select } from "@/components/field.tsx";
import { RetestProgress, useRetestStatus } from "@/components/retest-progress.tsx";
import { formatDateTime, formatDuration } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { NodeTestResult } from "@/lib/trpc-types.ts";

/** The VM x node matrix of a cluster: pass / fail / not tested, with start and stop times. */
export function TestMatrix() {
  const trpc = useTRPC();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const [clusterId, setClusterId] = useState<string | null>(null);
  const chosen = clusterId ?? clusters.data?.[0]?.clusterId ?? null;
  const matrix = useQuery({
    ...trpc.testResults.matrix.queryOptions({ clusterId: chosen ?? "" }),
    enabled: chosen !== null,
    // Cells follow a running test or re-test as each node's result is recorded.
    refetchInterval: 3_000,
  });
  const [cell, setCell] = useState<NodeTestResult | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);

  if (clusters.data?.length === 0) {
    return (
      <EmptyState title="No tests have run yet" testId="empty-test-results">
        <p>Register a cluster and onboard a VM: its start/stop tests per node are kept here.</p>
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      <div className="max-w-xs">
        <Field label="Cluster">
          <Select
            value={chosen ?? ""}
            onChange={(e) => setClusterId(e.target.value)}
            data-testid="results-cluster"
          >
            {clusters.data?.map((c) => (
              <option key={c.clusterId} value={c.clusterId}>
                {c.clusterName}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <ErrorBanner error={matrix.error} />
      {matrix.data && matrix.data.rows.length === 0 ? (
        <EmptyState title="No tests have run yet" testId="empty-test-results">
          <p>Tests run in step 7 of onboarding a VM.</p>
        </EmptyState>
      ) : null}
      {matrix.data && matrix.data.rows.length > 0 ? (
        <table className="w-full border-collapse text-sm" data-testid="test-matrix">
          <thead>
            <tr>
              <th className="p-2 text-left">VM</th>
              {matrix.data.nodes.map((node) => (
                <th key={node} className="p-2 text-left">
                  {node}
                </th>
              ))}
              <th className="p-2" />
            </tr>
          </thead>
          <tbody>
            {matrix.data.rows.map((row) => (
              <tr
                key={row.vm}
                data-testid="matrix-row"
                data-vm={row.vm}
                className="border-t border-slate-200 dark:border-slate-800"
              >
                <td className="p-2 font-medium">{row.vm}</td>
                {row.cells.map(({ allowed, result }, i) => (
                  <td key={matrix.data.nodes[i]} className="p-2">
                    <button
                      type="button"
                      disabled={!result}
                      onClick={() => result && setCell(result)}
                      data-testid={`cell-${matrix.data.nodes[i]}`}
                      data-outcome={
                        result
                          ? result.outcome === "succeeded"
                            ? "pass"
                            : "fail"
                          : allowed
                            ? "untested"
                            : "not-allowed"
                      }
                      className={`w-full rounded px-2 py-1 text-left ${
                        !result
                          ? "bg-slate-100 text-slate-500 dark:bg-slate-800"
                          : result.outcome === "succeeded"
                            ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
                            : "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100"
                      }`}
                    >
                      {!result
                        ? allowed
                          ? "not tested"
                          : "not allowed"
                        : `${result.outcome === "succeeded" ? "pass" : "fail"} · start ${formatDuration(result.startMs)} · stop ${formatDuration(result.stopMs)}${allowed ? "" : " · not allowed now"}`}
                    </button>
                  </td>
                ))}
                <td className="p-2 text-right">
                  <div className="flex justify-end gap-2">
                    <Button
                      variant="secondary"
                      onClick={() => setHistoryOf(row.vm)}
                      data-testid="action-history"
                    >
                      History
                    </Button>
                    {row.managed && chosen ? (
                      <RetestManaged clusterId={chosen} vm={row.vm} />
                    ) : row.job ? (
                      <RerunButton
                        jobId={row.job.id}
                        state={row.job.state}
                        canRetest={row.job.canRetest}
                      />
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {cell ? <CellDetails result={cell} onClose={() => setCell(null)} /> : null}
      {historyOf && chosen ? <History clusterId={chosen} vm={historyOf} onOpen={setCell} /> : null}
    </div>
  );
}

/**
 * A VM not yet managed is tested again through its open onboarding job, once the steps before
 * the test succeeded there; otherwise the job is where to go on.
 */
function RerunButton({
  jobId,
  state,
  canRetest,
}: {
  jobId: string;
  state: string;
  canRetest: boolean;
}) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const rerun = useMutation(trpc.onboarding.runStep.mutationOptions());
  if (!canAct) return null;
  if (!canRetest) {
    return (
      <Link href={`/onboard?job=${jobId}` as Route} className="text-xs text-indigo-700 underline">
        open its onboarding ({state})
      </Link>
    );
  }
  return (
    <>
      <Button
        onClick={() => rerun.mutate({ jobId, request: { step: "test" } })}
        disabled={rerun.isPending}
        data-testid="action-rerun"
      >
        Re-run tests
      </Button>
      <ErrorBanner error={rerun.error} />
    </>
  );
}

/**
 * A managed VM is re-tested with downtime: the resource is disabled, each allowed node tested in
 * turn, then the resource enabled again. The warning shows every command before anything runs.
 */
function RetestManaged({ clusterId, vm }: { clusterId: string; vm: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canAct = useCan("operator");
  const [confirming, setConfirming] = useState(false);
  const plan = useQuery({
    ...trpc.testResults.retestPlan.queryOptions({ clusterId, vm }),
    enabled: confirming,
  });
  const retest = useMutation(trpc.testResults.retest.mutationOptions());
  const status = useRetestStatus(retest.data);
  const view = status.view;
  const settled = view !== undefined && view.state !== "running";
  useEffect(() => {
    if (settled) void queryClient.invalidateQueries(trpc.testResults.pathFilter());
  }, [settled, queryClient, trpc]);
  if (!canAct) return null;
  return (
    <div className="space-y-2 text-left" data-testid="retest-managed">
      {!confirming && !view ? (
        <Button variant="secondary" onClick={() => setConfirming(true)} data-testid="action-retest">
          Re-test (disables the resource)
        </Button>
      ) : null}
      {confirming && !view ? (
        <ConfirmDialog
          title={`Re-test ${vm}`}
          testId="retest-warning"
          error={plan.error}
          confirm={{
            label: "Disable and re-test",
            onClick: () => retest.mutate({ clusterId, vm }),
            disabled: !plan.data || retest.isPending,
            testId: "confirm-retest",
          }}
          dismiss={{ label: "Cancel", onClick: () => setConfirming(false) }}
        >
          <p className="font-medium text-amber-800 dark:text-amber-300">
            Downtime: {vm} is stopped for the whole re-test
            {plan.data ? ` (${plan.data.nodes.join(", ")} one after another)` : ""} and started
            again at the end.
          </p>
          <ol className="list-decimal pl-5 font-mono text-xs">
            {plan.data?.commands.map((command) => (
              <li key={command}>{command}</li>
            ))}
          </ol>
        </ConfirmDialog>
      ) : null}
      <ErrorBanner error={retest.error ?? status.error} />
      {view ? <RetestProgress view={view} /> : null}
    </div>
  );
}

function CellDetails({ result, onClose }: { result: NodeTestResult; onClose: () => void }) {
  return (
    <section
      data-testid="cell-details"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex justify-between">
        <h2 className="font-medium">
          {result.vm} on {result.node}: {result.outcome}
        </h2>
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </header>
      <p>
        Tested {formatDateTime(result.testedAt)} by {result.actorName}. Start{" "}
        {result.startOk ? "ok" : "failed"} ({formatDuration(result.startMs)}); stop{" "}
        {result.stopMethod === "graceful"
          ? "graceful"
          : result.stopMethod === "destroy"
            ? "by destroy (graceful shutdown failed)"
            : "not reached"}{" "}
        ({formatDuration(result.stopMs)}).
      </p>
      {result.error ? <p className="text-red-700 dark:text-red-400">{result.error}</p> : null}
      <ul data-testid="cell-phases">
        {result.phases.map((phase) => (
          <li key={`${phase.name}-${phase.ms}`}>
            {phase.name}: {phase.ok ? "ok" : "failed"} in {formatDuration(phase.ms)}
            {phase.detail ? ` (${phase.detail})` : ""}
          </li>
        ))}
      </ul>
      <pre
        className="max-h-72 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-3 text-xs text-slate-100"
        data-testid="cell-output"
      >
        {result.output}
      </pre>
    </section>
  );
}

function History({
  clusterId,
  vm,
  onOpen,
}: {
  clusterId: string;
  vm: string;
  onOpen: (r: NodeTestResult) => void;
}) {
  const trpc = useTRPC();
  const history = useQuery(trpc.testResults.history.queryOptions({ clusterId, vm }));
  return (
    <section
      data-testid="test-history"
      className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="mb-2 font-medium">History of {vm}</h2>
      <ErrorBanner error={history.error} />
      <ol className="space-y-1">
        {history.data?.map((r) => (
          <li key={r.id}>
            <button type="button" className="underline" onClick={() => onOpen(r)}>
              {formatDateTime(r.testedAt)} · {r.node} · {r.outcome} · start{" "}
              {formatDuration(r.startMs)} · stop {formatDuration(r.stopMs)}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
