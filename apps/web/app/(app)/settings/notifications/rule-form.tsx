"use client";

import { type SaveRuleInput, saveRuleInput } from "@corral/api/schemas";
import { FINDING_KINDS, FINDING_SEVERITIES } from "@corral/core/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Channel, Rule } from "./notification-types.ts";

/** Creates a rule, or edits `rule`: no kind or no cluster ticked means every one. */
export function RuleForm({
  rule,
  channels,
  onDone,
}: {
  rule: Rule | null;
  channels: Channel[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const save = useMutation(trpc.notifications.saveRule.mutationOptions({ onSuccess: onDone }));
  const { control, register, handleSubmit, formState } = useForm<SaveRuleInput>({
    resolver: zodResolver(saveRuleInput),
    defaultValues: rule ?? {
      name: "",
      enabled: true,
      kinds: [],
      minSeverity: "warning",
      clusterIds: [],
      channelIds: [],
    },
  });
  const { errors } = formState;
  return (
    <form
      onSubmit={handleSubmit((input) => save.mutate(input))}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid="rule-form"
    >
      <h3 className="font-medium">{rule ? `Edit ${rule.name}` : "New rule"}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" error={errors.name?.message}>
          <TextInput {...register("name")} data-testid="input-rule-name" />
        </Field>
        <Field label="Minimum severity">
          <Select {...register("minSeverity")} data-testid="input-rule-severity">
            {FINDING_SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Controller
        control={control}
        name="channelIds"
        render={({ field, fieldState }) => (
          <CheckboxGroup
            legend="Send to"
            options={channels.map((channel) => ({ value: channel.id, label: channel.name }))}
            value={field.value}
            onChange={field.onChange}
            error={fieldState.error?.message}
            testId="input-rule-channels"
          />
        )}
      />
      <Controller
        control={control}
        name="kinds"
        render={({ field }) => (
          <CheckboxGroup
            legend="Finding kinds (none ticked: every kind)"
            options={FINDING_KINDS.map((kind) => ({ value: kind, label: kind }))}
            value={field.value}
            onChange={field.onChange}
            testId="input-rule-kinds"
          />
        )}
      />
      <Controller
        control={control}
        name="clusterIds"
        render={({ field }) => (
          <CheckboxGroup
            legend="Clusters (none ticked: every cluster)"
            options={(clusters.data ?? []).map((c) => ({
              value: c.clusterId,
              label: c.clusterName,
            }))}
            value={field.value}
            onChange={field.onChange}
            testId="input-rule-clusters"
          />
        )}
      />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("enabled")} data-testid="input-rule-enabled" />
        Enabled
      </label>
      <ErrorBanner error={save.error ?? clusters.error} testId="rule-form-error" />
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending} data-testid="action-save-rule">
          Save rule
        </Button>
        <Button variant="secondary" onClick={onDone} data-testid="action-cancel-rule">
          Cancel
        </Button>
      </div>
    </form>
  );
}

function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
  testId,
}: {
  legend: string;
  options: { value: T; label: string }[];
  value: T[];
  onChange: (value: T[]) => void;
  error?: string | undefined;
  testId: string;
}) {
  return (
    <fieldset className="space-y-1" data-testid={testId}>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={value.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? [...value, option.value]
                    : value.filter((each) => each !== option.value),
                )
              }
              data-value={option.value}
            />
            {option.label}
          </label>
        ))}
      </div>
      {error ? (
        <span className="block text-sm text-red-600 dark:text-red-400" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
