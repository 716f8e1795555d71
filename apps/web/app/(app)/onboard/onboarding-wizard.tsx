"use client";

import type { OnboardingJob, OnboardingStep, PreflightCheck } from "@corral/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { Route } from "next";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { ResourceOptionsForm } from "./resource-options-form.tsx";
import { StepPanel } from "./step-panel.tsx";

// Forms load after the page: their zod schemas (about 34 kB gzipped) stay out of the
// first-load JavaScript of every page (apps/web/scripts/check-first-load-js.mjs).
const ChooseVmForm = dynamic(() =>
  import("./choose-vm-form.tsx").then((module) => module.ChooseVmForm),
);

const TITLES: Record<OnboardingStep, string> = {
  preflight: "2. Preflight",
  dump: "3. Dump the configuration",
  distribute: "4. Distribute to every allowed node",
  storage: "5. Storage",
  migration: "6. Migration readiness",
  test: "7. Start/stop test on each node",
  create: "9. Create the resource",
};
const ORDER = Object.keys(TITLES) as OnboardingStep[];

export function OnboardingWizard({
  clusterId,
  vm,
  jobId,
}: {
  clusterId: string | null;
  vm: string | null;
  jobId: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  // Leave and come back: the VM's open job is picked up again.
  const open = useQuery({
    ...trpc.onboarding.list.queryOptions({
      clusterId: clusterId ?? undefined,
      vm: vm ?? undefined,
    }),
    enabled: !jobId && clusterId !== null && vm !== null,
  });
  const openJob = open.data?.find((j) => ["running", "waiting", "interrupted"].includes(j.state));
  const id = jobId ?? openJob?.id ?? null;
  const go = (next: string) => router.replace(`/onboard?job=${encodeURIComponent(next)}` as Route);

  if (id) return <JobView jobId={id} />;
  if (!clusterId || !vm) {
    return (
      <EmptyState title="Choose a VM to onboard" testId="empty-onboard">
        <p>Open VMs and press Onboard on a VM that Pacemaker does not manage yet.</p>
      </EmptyState>
    );
  }
  if (open.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  return <ChooseVmForm clusterId={clusterId} vm={vm} onStarted={go} />;
}

function JobView({ jobId }: { jobId: string }) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const [job, setJob] = useState<OnboardingJob | null>(null);
  const live = useSubscription(
    trpc.onboarding.live.subscriptionOptions(
      { jobId },
      { onData: (data) => setJob(data as OnboardingJob) },
    ),
  );
  const runStep = useMutation(trpc.onboarding.runStep.mutationOptions());
  const settle = useMutation(trpc.onboarding.settle.mutationOptions());
  const update = useMutation(trpc.onboarding.update.mutationOptions());
  const [destroyConsent, setDestroyConsent] = useState(false);

  if (live.error) return <ErrorBanner error={live.error} />;
  if (!job) return <p className="text-sm text-slate-500">Loading the onboarding…</p>;
  const busy = job.state === "running" || runStep.isPending;
  const nextStep = ORDER.find((s) => job.steps[s].state !== "succeeded") ?? null;
  const canRun = (step: OnboardingStep) =>
    canAct &&
    job.state === "waiting" &&
    !busy &&
    ORDER.slice(0, ORDER.indexOf(step)).every((s) => job.steps[s].state === "succeeded");
  const run = (request: Parameters<typeof runStep.mutate>[0]["request"]) =>
    runStep.mutate({ jobId: job.id, request });
  const checks = (job.steps.preflight.detail as { checks?: PreflightCheck[] } | null)?.checks ?? [];
  const fixes = new Set(checks.filter((c) => !c.ok).map((c) => c.fix));

  return (
    <div className="space-y-4" data-testid="onboarding-job" data-state={job.state}>
      <header className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <div>
          <h2 className="text-lg font-medium">
            {job.vm} → resource {job.resourceName}
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Allowed nodes: <span data-testid="allowed-nodes">{job.allowedNodes.join(", ")}</span> ·
            config {job.settings.configPath} · started by {job.actorName}
          </p>
        </div>
        <span
          data-testid="job-state"
          className="rounded-full bg-slate-100 px-2 py-0.5 text-sm dark:bg-slate-800"
        >
          {job.state}
          {job.currentStep ? `: ${job.currentStep}` : ""}
        </span>
      </header>

      {job.state === "interrupted" && job.interruption ? (
        <div
          role="alert"
          data-testid="interrupted"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <p>
            Corral stopped during {job.interruption.step ?? "the job"}.{" "}
            <span data-testid="interruption-note">{job.interruption.note}</span>
          </p>
          {canAct ? (
            <div className="flex gap-2">
              <Button
                onClick={() => settle.mutate({ jobId: job.id, decision: "resume" })}
                data-testid="action-resume"
              >
                Resume
              </Button>
              <Button
                variant="danger"
                onClick={() => settle.mutate({ jobId: job.id, decision: "abandon" })}
                data-testid="action-abandon"
              >
                Abandon (nothing is removed)
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}
      {job.state === "succeeded" ? (
        <p
          data-testid="onboarding-done"
          className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
        >
          {job.steps.create.message}
        </p>
      ) : null}
      <ErrorBanner error={runStep.error ?? settle.error ?? update.error} />

      {canAct && job.state === "waiting" && nextStep !== "preflight" && nextStep !== "dump" ? (
        <AllowedNodesEditor
          job={job}
          onSave={(allowedNodes) => update.mutate({ jobId: job.id, allowedNodes })}
        />
      ) : null}

      {ORDER.map((step) => (
        <div key={step} className="space-y-2">
          {step === "create" ? (
            <section
              className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
              data-testid="step-options"
            >
              <h2 className="mb-2 font-medium">8. Resource options</h2>
              {job.steps.test.state === "succeeded" || job.settings.resourceOptions ? (
                <ResourceOptionsForm job={job} canAct={canAct} />
              ) : (
                <p className="text-sm text-slate-500">
                  Available once every node passed the start/stop test.
                </p>
              )}
            </section>
          ) : null}
          <StepPanel name={step} title={TITLES[step]} step={job.steps[step]}>
            {canAct ? (
              <div className="flex flex-wrap items-center gap-2">
                <Button
                  variant={step === nextStep ? "primary" : "secondary"}
                  disabled={!canRun(step) || (step === "create" && !job.settings.resourceOptions)}
                  onClick={() => run({ step } as never)}
                  data-testid={`action-run-${step}`}
                >
                  {job.steps[step].state === "pending" ? "Run" : "Run again"}
                </Button>
                {step === "preflight" && fixes.has("shutdown") ? (
                  <>
                    <label className="flex items-center gap-1 text-sm">
                      <input
                        type="checkbox"
                        checked={destroyConsent}
                        onChange={(e) => setDestroyConsent(e.target.checked)}
                        data-testid="input-destroy-consent"
                      />
                      destroy it if it has not shut down after {job.settings.shutdownTimeoutS} s
                    </label>
                    <Button
                      variant="danger"
                      disabled={!canRun("preflight")}
                      onClick={() =>
                        run({
                          step: "preflight",
                          shutdown: { destroyAfterTimeout: destroyConsent },
                        })
                      }
                      data-testid="action-fix-shutdown"
                    >
                      Shut it down
                    </Button>
                  </>
                ) : null}
                {step === "preflight" && fixes.has("disable-autostart") ? (
                  <Button
                    disabled={!canRun("preflight")}
                    onClick={() => run({ step: "preflight", disableAutostart: true })}
                    data-testid="action-fix-autostart"
                  >
                    Turn autostart off
                  </Button>
                ) : null}
              </div>
            ) : null}
          </StepPanel>
        </div>
      ))}

      <details
        className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
        open
      >
        <summary className="cursor-pointer font-medium">Log</summary>
        <ol
          className="mt-2 max-h-72 space-y-1 overflow-y-auto font-mono text-xs"
          data-testid="job-log"
        >
          {job.log.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows; position is identity
            <li key={i} className={line.level === "error" ? "text-red-700 dark:text-red-400" : ""}>
              {line.at.slice(11, 19)} {line.node ? `[${line.node}] ` : ""}
              {line.message}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}

/** Limits (or widens) the nodes allowed to run the VM; the checks from distribution on rerun. */
function AllowedNodesEditor({
  job,
  onSave,
}: {
  job: OnboardingJob;
  onSave: (nodes: string[]) => void;
}) {
  const trpc = useTRPC();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const names =
    clusters.data?.find((c) => c.clusterId === job.clusterId)?.nodes.map((n) => n.name) ??
    job.allowedNodes;
  const [chosen, setChosen] = useState(job.allowedNodes);
  return (
    <fieldset
      className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
      data-testid="allowed-nodes-editor"
    >
      <legend className="px-1 font-medium">Allowed nodes</legend>
      {names.map((name) => (
        <label key={name} className="inline-flex items-center gap-1">
          <input
            type="checkbox"
            checked={chosen.includes(name)}
            onChange={(e) =>
              setChosen((c) => (e.target.checked ? [...c, name] : c.filter((n) => n !== name)))
            }
            data-testid={`edit-allowed-${name}`}
          />
          {name}
        </label>
      ))}
      <Button
        variant="secondary"
        disabled={chosen.length === 0}
        onClick={() => onSave(chosen)}
        data-testid="action-save-allowed-nodes"
      >
        Save allowed nodes
      </Button>
    </fieldset>
  );
}
