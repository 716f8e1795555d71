"use client";

import {
  abandonBlocker,
  OPEN_STATES,
  settingsBlocker,
  stepBlocker,
} from "@corral/core/onboarding-operation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { Route } from "next";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { CommandText, ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { CheckboxField, Field, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { OnboardingJob, OnboardingStep, RunStepRequest } from "@/lib/trpc-types.ts";
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

/** The first step not succeeded yet, or null once every step has. */
const nextStepOf = (job: Pick<OnboardingJob, "steps">): OnboardingStep | null =>
  ORDER.find((step) => job.steps[step].state !== "succeeded") ?? null;

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
  // Only the chosen VM's: the list of every open onboarding below shares this query's cache.
  const openJob = clusterId && vm ? open.data?.find((j) => OPEN_STATES.includes(j.state)) : null;
  const id = jobId ?? openJob?.id ?? null;
  const go = (next: string) => router.replace(`/onboard?job=${encodeURIComponent(next)}` as Route);

  if (id) return <JobView jobId={id} />;
  if (!clusterId || !vm) {
    return (
      <div className="space-y-4">
        <OpenOnboardings />
        <EmptyState title="Choose a VM to onboard" testId="empty-onboard">
          <p>Open VMs and press Onboard on a VM that Pacemaker does not manage yet.</p>
        </EmptyState>
      </div>
    );
  }
  if (open.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  return <ChooseVmForm clusterId={clusterId} vm={vm} onStarted={go} />;
}

/** Onboardings left open (waiting for the next step, running, interrupted): the way back to each. */
function OpenOnboardings() {
  const trpc = useTRPC();
  const list = useQuery(trpc.onboarding.list.queryOptions({}));
  const open = list.data?.filter((job) => OPEN_STATES.includes(job.state)) ?? [];
  if (list.error) return <ErrorBanner error={list.error} />;
  if (open.length === 0) return null;
  return (
    <section
      data-testid="open-onboardings"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="font-medium">In progress</h2>
      <ul className="mt-2 space-y-1 text-sm">
        {open.map((job) => {
          const next = nextStepOf(job);
          return (
            <li key={job.id} data-testid="open-onboarding" data-vm={job.vm}>
              <Link
                href={`/onboard?job=${encodeURIComponent(job.id)}` as Route}
                className="font-medium text-indigo-700 underline dark:text-indigo-300"
              >
                {job.vm} → resource {job.resourceName}
              </Link>{" "}
              · {job.state}
              {next ? ` at ${TITLES[next]}` : ""} · started by {job.actorName}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function JobView({ jobId }: { jobId: string }) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const [job, setJob] = useState<OnboardingJob | null>(null);
  const live = useSubscription(
    trpc.onboarding.live.subscriptionOptions({ jobId }, { onData: setJob }),
  );
  const runStep = useMutation(trpc.onboarding.runStep.mutationOptions());
  const resume = useMutation(trpc.onboarding.resume.mutationOptions());
  const update = useMutation(trpc.onboarding.update.mutationOptions());
  const [destroyConsent, setDestroyConsent] = useState(false);
  const [confirming, setConfirming] = useState<"shutdown" | "abandon" | "accept-restart" | null>(
    null,
  );

  if (live.error) return <ErrorBanner error={live.error} />;
  if (!job) return <p className="text-sm text-slate-500">Loading the onboarding…</p>;
  const busy = job.state === "running" || runStep.isPending;
  const nextStep = nextStepOf(job);
  // The server's own rule: what it would refuse is greyed out here.
  const canRun = (step: OnboardingStep) =>
    canAct && !runStep.isPending && stepBlocker(job, step) === null;
  const canChange = canAct && settingsBlocker(job) === null;
  const run = (request: RunStepRequest) => runStep.mutate({ jobId: job.id, request });
  const checks = job.steps.preflight.detail?.checks ?? [];
  const fixes = new Set(checks.filter((c) => !c.ok).map((c) => c.fix));
  const shutdownNodes = checks.filter((c) => !c.ok && c.fix === "shutdown").flatMap((c) => c.nodes);
  const abandonable = abandonBlocker(job) === null;

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
              <Button onClick={() => resume.mutate({ jobId: job.id })} data-testid="action-resume">
                Resume
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
      <ErrorBanner error={runStep.error ?? resume.error ?? update.error} />
      {canAct && abandonable ? (
        confirming === "abandon" ? (
          <AbandonDialog jobId={job.id} vm={job.vm} onClose={() => setConfirming(null)} />
        ) : (
          <Button
            variant="danger"
            disabled={busy}
            onClick={() => setConfirming("abandon")}
            data-testid="action-abandon"
          >
            Abandon this onboarding…
          </Button>
        )
      ) : null}
      {canChange ? <SettingsEditor job={job} /> : null}

      {canChange && nextStep !== "preflight" && nextStep !== "dump" ? (
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
                  disabled={!canRun(step)}
                  onClick={() => run({ step })}
                  data-testid={`action-run-${step}`}
                >
                  {job.steps[step].state === "pending" ? "Run" : "Run again"}
                </Button>
                {step === "create" && !job.settings.resourceOptions ? (
                  <span className="text-xs text-slate-500" data-testid="create-needs-options">
                    Save the resource options above first.
                  </span>
                ) : null}
                {step === "migration" && job.steps.migration.state === "failed" ? (
                  confirming === "accept-restart" ? (
                    <ConfirmDialog
                      title="Continue without live migration?"
                      testId="accept-restart-dialog"
                      confirm={{
                        label: "Accept: moves will stop and start it",
                        variant: "danger",
                        onClick: () => {
                          setConfirming(null);
                          run({ step: "migration", acceptRestartMoves: true });
                        },
                        testId: "confirm-accept-restart",
                      }}
                      dismiss={{ label: "Back", onClick: () => setConfirming(null) }}
                    >
                      <p>
                        Moves of {job.vm} between the nodes that failed will not be live: Pacemaker
                        stops the VM and starts it on the target, and its guest reboots. The
                        resource options will propose allow-migrate=false.
                      </p>
                    </ConfirmDialog>
                  ) : (
                    <Button
                      variant="secondary"
                      disabled={!canRun("migration")}
                      onClick={() => setConfirming("accept-restart")}
                      data-testid="action-accept-restart"
                    >
                      Continue without live migration…
                    </Button>
                  )
                ) : null}
                {step === "preflight" && fixes.has("shutdown") ? (
                  <>
                    <CheckboxField
                      className="flex items-center gap-1 text-sm"
                      checked={destroyConsent}
                      onCheckedChange={setDestroyConsent}
                      testId="input-destroy-consent"
                    >
                      destroy it if it has not shut down after {job.settings.shutdownTimeoutS} s
                    </CheckboxField>
                    <Button
                      variant="danger"
                      disabled={!canRun("preflight")}
                      onClick={() => setConfirming("shutdown")}
                      data-testid="action-fix-shutdown"
                    >
                      Shut it down…
                    </Button>
                    {confirming === "shutdown" ? (
                      <ConfirmDialog
                        title={`Shut ${job.vm} down?`}
                        testId="shutdown-dialog"
                        confirm={{
                          label: `Shut ${job.vm} down`,
                          variant: "danger",
                          onClick: () => {
                            setConfirming(null);
                            run({
                              step: "preflight",
                              shutdown: { destroyAfterTimeout: destroyConsent },
                            });
                          },
                          testId: "confirm-shutdown",
                        }}
                        dismiss={{ label: "Back", onClick: () => setConfirming(null) }}
                      >
                        <p>
                          {job.vm} runs on {shutdownNodes.join(", ")}: its guest is asked to power
                          off (ACPI)
                          {destroyConsent
                            ? ` and is destroyed if it has not stopped after ${job.settings.shutdownTimeoutS} s`
                            : ""}
                          . Its services are down until Pacemaker starts it.
                        </p>
                      </ConfirmDialog>
                    ) : null}
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
        <CheckboxField
          key={name}
          className="inline-flex items-center gap-1"
          checked={chosen.includes(name)}
          onCheckedChange={(checked) =>
            setChosen((c) => (checked ? [...c, name] : c.filter((n) => n !== name)))
          }
          testId={`edit-allowed-${name}`}
        >
          {name}
        </CheckboxField>
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

/** What abandoning removes on the nodes and what it keeps; carried out only on confirmation. */
function AbandonDialog({ jobId, vm, onClose }: { jobId: string; vm: string; onClose: () => void }) {
  const trpc = useTRPC();
  const plan = useQuery(trpc.onboarding.abandonPlan.queryOptions({ jobId }));
  const abandon = useMutation(trpc.onboarding.abandon.mutationOptions());
  return (
    <ConfirmDialog
      title={`Abandon the onboarding of ${vm}?`}
      testId="abandon-dialog"
      error={plan.error ?? abandon.error}
      errorTestId="abandon-error"
      confirm={{
        label: abandon.isPending ? "Cleaning up…" : "Clean up and abandon",
        variant: "danger",
        onClick: () => abandon.mutate({ jobId }),
        disabled: !plan.data || abandon.isPending,
        testId: "confirm-abandon",
      }}
      dismiss={{ label: "Back", onClick: onClose }}
    >
      {plan.data ? (
        <div data-testid="abandon-plan" className="space-y-2">
          {plan.data.actions.length ? (
            <ol className="list-decimal space-y-1 pl-5">
              {plan.data.actions.map((action) => (
                <li key={`${action.node}:${action.shell}`}>
                  On {action.node}: {action.what}
                  <CommandText text={action.shell} testId="abandon-command" />
                </li>
              ))}
            </ol>
          ) : (
            <p>This job wrote nothing on the nodes: there is nothing to remove.</p>
          )}
          <ul className="list-disc pl-5 text-slate-600 dark:text-slate-400">
            {plan.data.keeps.map((keep) => (
              <li key={keep}>{keep}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-slate-500">Reading what this job left on the nodes…</p>
      )}
    </ConfirmDialog>
  );
}

/**
 * The settings a failed step may need changed before it runs again: the config path (the steps
 * from the dump on run again) and what tells the test the guest is up.
 */
function SettingsEditor({ job }: { job: OnboardingJob }) {
  const trpc = useTRPC();
  const update = useMutation(trpc.onboarding.update.mutationOptions());
  const [configPath, setConfigPath] = useState(job.settings.configPath);
  const alive = job.settings.guestAlive;
  const [pattern, setPattern] = useState(alive?.kind === "console" ? alive.pattern : "");
  const [issues, setIssues] = useState<Record<string, string>>({});
  const save = async () => {
    // Loaded on use: zod stays out of the page's first-load JavaScript.
    const { updateOnboardingInput } = await import("@corral/api/schemas");
    const candidate = {
      jobId: job.id,
      settings: {
        configPath,
        ...(alive?.kind === "console" ? { guestAlive: { kind: "console" as const, pattern } } : {}),
      },
    };
    const parsed = updateOnboardingInput.safeParse(candidate);
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
      return;
    }
    setIssues({});
    update.mutate(parsed.data);
  };
  return (
    <details
      className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
      data-testid="settings-editor"
    >
      <summary className="cursor-pointer font-medium">Settings</summary>
      <div className="mt-2 grid gap-3 md:grid-cols-2">
        <Field label="Config file on every node" error={issues["settings.configPath"]}>
          <TextInput
            value={configPath}
            onChange={(e) => setConfigPath(e.target.value)}
            data-testid="input-edit-config-path"
          />
        </Field>
        {alive?.kind === "console" ? (
          <Field
            label="Guest is up when its serial console prints (regular expression)"
            error={issues["settings.guestAlive.pattern"]}
          >
            <TextInput
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
              data-testid="input-edit-alive-pattern"
            />
          </Field>
        ) : null}
        {alive?.kind === "command" ? (
          <p data-testid="edit-alive-command">
            Guest is up when <code>{alive.argv.join(" ")}</code> succeeds on the node: a command
            only an admin sets, since it runs as root on the nodes.
          </p>
        ) : null}
      </div>
      <ErrorBanner error={update.error} testId="settings-error" />
      <Button
        variant="secondary"
        className="mt-2"
        disabled={update.isPending}
        onClick={() => void save()}
        data-testid="action-save-settings"
      >
        Save settings
      </Button>
    </details>
  );
}
