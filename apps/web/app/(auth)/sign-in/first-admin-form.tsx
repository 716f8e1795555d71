"use client";

import { createFirstAdminInput } from "@corral/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, TextField, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { useSignIn } from "./use-sign-in.ts";

type FieldErrors = Partial<Record<"name" | "email" | "password", string[]>>;

/**
 * First run: the database has no operator yet, so the first one becomes the admin. From another
 * machine than Corral's it takes the setup token the server log prints.
 */
export function FirstAdminForm({ setupTokenRequired }: { setupTokenRequired: boolean }) {
  const trpc = useTRPC();
  const { signIn, error: signInError } = useSignIn();
  const [values, setValues] = useState({ name: "", email: "", password: "", setupToken: "" });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const create = useMutation(trpc.setup.createFirstAdmin.mutationOptions());

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = createFirstAdminInput.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(z.flattenError(parsed.error).fieldErrors);
      return;
    }
    setFieldErrors({});
    await create.mutateAsync(parsed.data);
    await signIn(parsed.data.email, parsed.data.password);
  }

  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  return (
    <form
      onSubmit={(e) => void submit(e).catch(() => {})}
      className="space-y-4"
      data-testid="first-admin-form"
    >
      <div>
        <h1 className="text-lg font-medium">Create the first admin</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Corral has no operators yet. This account manages everyone else&apos;s from the Users
          page.
        </p>
      </div>
      <Field label="Name" error={fieldErrors.name?.[0]}>
        <TextInput value={values.name} onChange={set("name")} data-testid="first-admin-name" />
      </Field>
      <Field label="Email" error={fieldErrors.email?.[0]}>
        <TextInput
          type="email"
          autoComplete="username"
          value={values.email}
          onChange={set("email")}
          data-testid="first-admin-email"
        />
      </Field>
      <Field label="Password (at least 10 characters)" error={fieldErrors.password?.[0]}>
        <TextInput
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set("password")}
          data-testid="first-admin-password"
        />
      </Field>
      {setupTokenRequired ? (
        <TextField
          label="Setup token (printed in Corral's server log)"
          autoComplete="off"
          value={values.setupToken}
          onValueChange={(setupToken) => setValues((v) => ({ ...v, setupToken }))}
          testId="first-admin-setup-token"
        />
      ) : null}
      <ErrorBanner error={create.error ?? signInError} />
      <Button
        type="submit"
        disabled={create.isPending}
        className="w-full"
        data-testid="first-admin-submit"
      >
        {create.isPending ? "Creating…" : "Create admin and sign in"}
      </Button>
    </form>
  );
}
