"use client";

import { settingsBlocker } from "@corral/core/onboarding-operation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { CheckboxField, Field, Select, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { OnboardingJob, ResourceOptions } from "@/lib/trpc-types.ts";

const OPS: [keyof ResourceOptions["ops"], string][] = [
  ["startTimeout", "start timeout"],
  ["stopTimeout", "stop timeout"],
  ["monitorInterval", "monitor interval"],
  ["monitorTimeout", "monitor timeout"],
  ["migrateToTimeout", "migrate_to timeout"],
  ["migrateFromTimeout", "migrate_from timeout"],
];

/**
 * Step 8, Resource options: a field per parameter the VirtualDomain agent declares (read from a
 * node), meta allow-migrate, op timeouts, and the exact pcs command as the server quotes it.
 */
export function ResourceOptionsForm({ job, canAct }: { job: OnboardingJob; canAct: boolean }) {
  const trpc = useTRPC();
  const form = useQuery(
    trpc.onboarding.resourceForm.queryOptions({ clusterId: job.clusterId, jobId: job.id }),
  );
  const [options, setOptions] = useState<ResourceOptions | null>(job.settings.resourceOptions);
  useEffect(() => {
    if (!options && form.data) setOptions(form.data.defaults);
  }, [form.data, options]);
  const preview = useQuery({
    ...trpc.onboarding.previewCommand.queryOptions({
      clusterId: job.clusterId,
      resourceName: job.resourceName,
      configPath: job.settings.configPath,
      allowedNodes: job.allowedNodes,
      options: options ?? {
        params: {},
        allowMigrate: true,
        ops: {
          startTimeout: "",
          stopTimeout: "",
          monitorInterval: "",
          monitorTimeout: "",
          migrateToTimeout: "",
          migrateFromTimeout: "",
        },
      },
    }),
    enabled: options !== null,
    placeholderData: (previous) => previous,
  });
  const save = useMutation(trpc.onboarding.update.mutationOptions());
  if (form.error) return <ErrorBanner error={form.error} />;
  if (!form.data || !options)
    return <p className="text-sm text-slate-500">Reading the agent's parameters from the nodes…</p>;
  const failedPairs = (job.steps.migration.detail?.probes ?? []).filter((p) => !p.ok);
  const needsAcceptance = options.allowMigrate && failedPairs.length > 0;
  const issues = [
    ...(preview.data?.issues ?? []),
    ...(needsAcceptance && !options.acceptRestartMoves
      ? [
          {
            field: "acceptRestartMoves",
            message:
              "allow-migrate=true while live migration failed the check: accept that those moves will stop and start the VM, or turn allow-migrate off.",
          },
        ]
      : []),
  ];
  const issueOf = (field: string) => issues.find((i) => i.field === field)?.message;
  const setParam = (name: string, value: string) =>
    setOptions({ ...options, params: { ...options.params, [name]: value } });

  return (
    <fieldset className="space-y-3" data-testid="resource-options" disabled={!canAct}>
      <p className="text-xs text-slate-500">
        {form.data.agent} {form.data.version ?? ""}, metadata read from {form.data.readFrom}.
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="migration-proposal">
        {failedPairs.length
          ? `Live migration failed the check for ${failedPairs.map((p) => `${p.from} -> ${p.to}`).join(", ")}: allow-migrate is proposed off, so moves stop and start the VM instead of failing first.`
          : "hypervisor=qemu:///system and migration_transport=ssh are proposed: the migration check connected to exactly that URI (qemu+ssh://NODE/system) between every pair of allowed nodes. Without them the agent uses TLS (qemu://NODE/system), which needs certificates on every node."}
      </p>
      <CheckboxField
        className="flex items-center gap-2 text-sm"
        checked={options.allowMigrate}
        onCheckedChange={(allowMigrate) => setOptions({ ...options, allowMigrate })}
        testId="input-allow-migrate"
      >
        meta allow-migrate (live migration instead of stop and start)
      </CheckboxField>
      {needsAcceptance ? (
        <CheckboxField
          className="flex items-center gap-2 text-sm text-amber-800 dark:text-amber-300"
          checked={options.acceptRestartMoves ?? false}
          onCheckedChange={(acceptRestartMoves) => setOptions({ ...options, acceptRestartMoves })}
          testId="input-accept-restart-moves"
        >
          I accept that moves between {failedPairs.map((p) => `${p.from} -> ${p.to}`).join(", ")}{" "}
          will fail over to a stop and start (the guest reboots).
        </CheckboxField>
      ) : null}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
        {OPS.map(([key, label]) => (
          <Field key={key} label={label} error={issueOf(`ops.${key}`)}>
            <TextInput
              value={options.ops[key]}
              onChange={(e) =>
                setOptions({ ...options, ops: { ...options.ops, [key]: e.target.value } })
              }
              data-testid={`input-op-${key}`}
            />
          </Field>
        ))}
      </div>
      <details>
        <summary className="cursor-pointer text-sm font-medium">
          Agent parameters ({form.data.parameters.length})
        </summary>
        <div className="mt-2 grid gap-3 md:grid-cols-2">
          {form.data.parameters.map((p) => (
            <Field
              key={p.name}
              label={`${p.name} (${p.type}${p.default ? `, default ${p.default}` : ""})`}
              error={issueOf(`params.${p.name}`)}
            >
              {p.type === "boolean" ? (
                <Select
                  value={options.params[p.name] ?? ""}
                  onChange={(e) => setParam(p.name, e.target.value)}
                  data-testid={`param-${p.name}`}
                >
                  <option value="">agent default</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </Select>
              ) : (
                <TextInput
                  value={options.params[p.name] ?? ""}
                  inputMode={p.type === "integer" ? "numeric" : undefined}
                  title={p.longdesc || p.shortdesc}
                  placeholder={p.shortdesc}
                  onChange={(e) => setParam(p.name, e.target.value)}
                  data-testid={`param-${p.name}`}
                />
              )}
            </Field>
          ))}
        </div>
      </details>
      <div>
        <p className="text-sm font-medium">
          Commands: created disabled, kept to the allowed nodes, then enabled
        </p>
        <pre
          data-testid="pcs-preview"
          className="mt-1 overflow-x-auto whitespace-pre-wrap rounded bg-slate-900 p-3 text-xs text-slate-100"
        >
          {preview.data?.commands.map((c) => c.shell).join("\n") ?? "…"}
        </pre>
        {issues.length ? (
          <ul
            data-testid="option-issues"
            className="mt-2 list-disc pl-5 text-sm text-red-700 dark:text-red-400"
          >
            {issues.map((i) => (
              <li key={`${i.field}:${i.message}`}>{i.message}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <ErrorBanner error={save.error} />
      {canAct ? (
        <Button
          variant="secondary"
          disabled={issues.length > 0 || save.isPending || settingsBlocker(job) !== null}
          onClick={() => save.mutate({ jobId: job.id, settings: { resourceOptions: options } })}
          data-testid="action-save-options"
        >
          {save.isSuccess ? "Saved" : "Save options"}
        </Button>
      ) : null}
    </fieldset>
  );
}
