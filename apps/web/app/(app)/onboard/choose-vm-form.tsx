"use client";

import { type StartOnboardingInput, startOnboardingInput } from "@corral/api/schemas";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { CheckboxField, Field, Select, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

/** Step 1, Choose: the VM, its resource name, the allowed nodes and the test settings. */
export function ChooseVmForm({
  clusterId,
  vm,
  onStarted,
}: {
  clusterId: string;
  vm: string;
  onStarted: (jobId: string) => void;
}) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  // The agent runs the guest-alive command as root on the nodes: the server takes it from admins only.
  const canSetCommand = useCan("admin");
  const directories = useQuery(trpc.settings.configDirectories.queryOptions());
  const allowedDirectories = directories.data?.directories ?? ["/etc/pacemaker"];
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const cluster = clusters.data?.find((c) => c.clusterId === clusterId);
  const nodeNames = cluster?.nodes.map((n) => n.name) ?? [];
  const [resourceName, setResourceName] = useState(vm);
  const [excluded, setExcluded] = useState<string[]>([]);
  // Until the operator types one: the VM's file in the first directory an admin allows.
  const [typedConfigPath, setConfigPath] = useState<string | null>(null);
  const configPath = typedConfigPath ?? `${allowedDirectories[0]}/${vm}.xml`;
  const [shutdownTimeoutS, setShutdownTimeoutS] = useState("60");
  const [startTimeoutS, setStartTimeoutS] = useState("120");
  const [aliveKind, setAliveKind] = useState<"none" | "console" | "command">("console");
  // A serial getty's prompt: most Linux guests print it once userspace is up.
  const [aliveValue, setAliveValue] = useState("login:");
  const [suffix, setSuffix] = useState("");
  const [issues, setIssues] = useState<Record<string, string>>({});
  const start = useMutation(
    trpc.onboarding.start.mutationOptions({ onSuccess: (job) => onStarted(job.id) }),
  );

  const submit = () => {
    const candidate: StartOnboardingInput = {
      clusterId,
      vm,
      resourceName,
      allowedNodes: nodeNames.filter((n) => !excluded.includes(n)),
      settings: {
        configPath,
        shutdownTimeoutS: Number(shutdownTimeoutS),
        startTimeoutS: Number(startTimeoutS),
        guestAlive:
          aliveKind === "none"
            ? null
            : aliveKind === "console"
              ? { kind: "console", pattern: aliveValue }
              : { kind: "command", argv: aliveValue.split(/\s+/).filter(Boolean) },
        migrationNetworkSuffix: suffix || null,
        resourceOptions: null,
      },
    };
    const parsed = startOnboardingInput.safeParse(candidate);
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
      return;
    }
    setIssues({});
    start.mutate(parsed.data);
  };

  return (
    <form
      inert={!canAct}
      className="max-w-2xl space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid="choose-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 className="text-lg font-medium">1. Choose: {vm}</h2>
      <Field label="Resource name" error={issues.resourceName}>
        <TextInput
          value={resourceName}
          onChange={(e) => setResourceName(e.target.value)}
          data-testid="input-resource-name"
        />
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Nodes allowed to run it</legend>
        {nodeNames.map((name) => (
          <CheckboxField
            key={name}
            className="mr-4 inline-flex items-center gap-1 text-sm"
            checked={!excluded.includes(name)}
            onCheckedChange={(checked) =>
              setExcluded((x) => (checked ? x.filter((n) => n !== name) : [...x, name]))
            }
            testId={`allowed-${name}`}
          >
            {name}
          </CheckboxField>
        ))}
        {issues.allowedNodes ? <p className="text-sm text-red-600">{issues.allowedNodes}</p> : null}
      </fieldset>
      <Field label="Config file on every node" error={issues["settings.configPath"]}>
        <TextInput
          value={configPath}
          onChange={(e) => setConfigPath(e.target.value)}
          data-testid="input-config-path"
        />
      </Field>
      <p
        className="-mt-3 text-xs text-slate-600 dark:text-slate-400"
        data-testid="config-directories"
      >
        Allowed under {allowedDirectories.join(", ")} (an admin sets these on the Settings page).
      </p>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Graceful shutdown timeout (s)" error={issues["settings.shutdownTimeoutS"]}>
          <TextInput
            inputMode="numeric"
            value={shutdownTimeoutS}
            onChange={(e) => setShutdownTimeoutS(e.target.value)}
            data-testid="input-shutdown-timeout"
          />
        </Field>
        <Field label="Start timeout (s)" error={issues["settings.startTimeoutS"]}>
          <TextInput
            inputMode="numeric"
            value={startTimeoutS}
            onChange={(e) => setStartTimeoutS(e.target.value)}
            data-testid="input-start-timeout"
          />
        </Field>
      </div>
      <div className="grid grid-cols-3 gap-3">
        <Field label="Guest is up when">
          <Select
            value={aliveKind}
            onChange={(e) => setAliveKind(e.target.value as typeof aliveKind)}
            data-testid="input-alive-kind"
          >
            <option value="console">its serial console prints…</option>
            <option value="command" disabled={!canSetCommand}>
              this command succeeds on the node…
            </option>
            <option value="none">libvirt says running</option>
          </Select>
          {canSetCommand ? null : (
            <span
              className="block text-xs text-slate-600 dark:text-slate-400"
              data-testid="alive-command-admin-only"
            >
              Only an admin may set a command: it runs as root on the nodes.
            </span>
          )}
        </Field>
        {aliveKind === "none" ? null : (
          <div className="col-span-2">
            <Field
              label={
                aliveKind === "console"
                  ? "Pattern (regular expression)"
                  : "Command (argv, space-separated)"
              }
              error={issues["settings.guestAlive.pattern"] ?? issues["settings.guestAlive.argv"]}
            >
              <TextInput
                value={aliveValue}
                placeholder={aliveKind === "console" ? "login:" : "ping -c1 -W1 10.0.0.5"}
                onChange={(e) => setAliveValue(e.target.value)}
                data-testid="input-alive-value"
              />
            </Field>
          </div>
        )}
      </div>
      <Field
        label="migration_network_suffix (optional)"
        error={issues["settings.migrationNetworkSuffix"]}
      >
        <TextInput
          value={suffix}
          onChange={(e) => setSuffix(e.target.value)}
          data-testid="input-migration-suffix"
        />
      </Field>
      <ErrorBanner error={start.error} />
      {canAct ? (
        <Button
          type="submit"
          disabled={start.isPending || nodeNames.length === 0}
          data-testid="action-start-onboarding"
        >
          Start onboarding
        </Button>
      ) : (
        <p className="text-sm text-slate-500">Operators can start an onboarding.</p>
      )}
    </form>
  );
}
