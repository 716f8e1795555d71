"use client";

import { type SaveChannelInput, saveChannelInput } from "@corral/api/schemas";
import { SMTP_SECURITY } from "@corral/core/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Channel } from "./notification-types.ts";

const emptyToNull = (value: unknown) => (value === "" ? null : value);
const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const addressList = (value: unknown) =>
  typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value;

const EMAIL_DEFAULTS = {
  host: "",
  port: 587,
  security: "starttls",
  username: null,
  from: "",
  to: [],
} as const;

function defaultsOf(channel: Channel | null): SaveChannelInput {
  if (!channel) {
    return { name: "", enabled: true, type: "webhook", settings: { url: "" } };
  }
  const { id, name, enabled } = channel;
  return channel.type === "webhook"
    ? { id, name, enabled, type: "webhook", settings: channel.settings }
    : { id, name, enabled, type: "email", settings: channel.settings };
}

/** Creates a channel, or edits `channel`. Its secret is never shown: typing one replaces it. */
export function ChannelForm({ channel, onDone }: { channel: Channel | null; onDone: () => void }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.notifications.saveChannel.mutationOptions({ onSuccess: onDone }));
  const form = useForm<SaveChannelInput>({
    resolver: zodResolver(saveChannelInput),
    defaultValues: defaultsOf(channel),
  });
  const { register, handleSubmit, watch, setValue, formState } = form;
  const type = watch("type");
  const errors = formState.errors as Record<string, { message?: string } | undefined> & {
    settings?: Record<string, { message?: string } | undefined>;
  };
  const settingError = (name: string) => errors.settings?.[name]?.message;
  return (
    <form
      onSubmit={handleSubmit((input) => save.mutate(input))}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid="channel-form"
    >
      <h3 className="font-medium">{channel ? `Edit ${channel.name}` : "New channel"}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" error={errors.name?.message}>
          <TextInput {...register("name")} data-testid="input-channel-name" />
        </Field>
        <Field label="Type">
          <Select
            {...register("type", {
              onChange: (event: { target: { value: string } }) =>
                setValue(
                  "settings",
                  event.target.value === "email" ? { ...EMAIL_DEFAULTS, to: [] } : { url: "" },
                ),
            })}
            disabled={channel !== null}
            data-testid="input-channel-type"
          >
            <option value="webhook">Webhook (signed JSON POST)</option>
            <option value="email">Email (SMTP)</option>
          </Select>
        </Field>
      </div>
      {type === "webhook" ? (
        <>
          <Field label="URL" error={settingError("url")}>
            <TextInput
              {...register("settings.url")}
              placeholder="https://hooks.example.com/corral"
              data-testid="input-channel-url"
            />
          </Field>
          <Field
            label={
              channel?.hasSecret
                ? "Signing secret (leave empty to keep the current one)"
                : "Signing secret (the receiver checks X-Corral-Signature with it)"
            }
            error={errors.secret?.message}
          >
            <TextInput
              type="password"
              autoComplete="new-password"
              {...register("secret", { setValueAs: emptyToUndefined })}
              data-testid="input-channel-secret"
            />
          </Field>
        </>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="SMTP server" error={settingError("host")}>
            <TextInput {...register("settings.host")} data-testid="input-channel-host" />
          </Field>
          <Field label="Port" error={settingError("port")}>
            <TextInput
              type="number"
              {...register("settings.port", { valueAsNumber: true })}
              data-testid="input-channel-port"
            />
          </Field>
          <Field label="Security">
            <Select {...register("settings.security")} data-testid="input-channel-security">
              {SMTP_SECURITY.map((security) => (
                <option key={security} value={security}>
                  {security === "tls" ? "TLS" : security === "starttls" ? "STARTTLS" : "None"}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Username (empty: no authentication)" error={settingError("username")}>
            <TextInput
              autoComplete="off"
              {...register("settings.username", { setValueAs: emptyToNull })}
              data-testid="input-channel-username"
            />
          </Field>
          <Field
            label={channel?.hasSecret ? "Password (leave empty to keep it)" : "Password"}
            error={errors.secret?.message}
          >
            <TextInput
              type="password"
              autoComplete="new-password"
              {...register("secret", { setValueAs: emptyToUndefined })}
              data-testid="input-channel-password"
            />
          </Field>
          <Field label="From" error={settingError("from")}>
            <TextInput {...register("settings.from")} data-testid="input-channel-from" />
          </Field>
          <Field label="To (comma-separated)" error={settingError("to")}>
            <TextInput
              {...register("settings.to", { setValueAs: addressList })}
              data-testid="input-channel-to"
            />
          </Field>
        </div>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("enabled")} data-testid="input-channel-enabled" />
        Enabled
      </label>
      <ErrorBanner error={save.error} testId="channel-form-error" />
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending} data-testid="action-save-channel">
          Save channel
        </Button>
        <Button variant="secondary" onClick={onDone} data-testid="action-cancel-channel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
