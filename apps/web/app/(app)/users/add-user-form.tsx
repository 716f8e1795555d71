"use client";

import { type CreateUserInput, createUserInput, ROLES } from "@corral/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

const EMPTY: CreateUserInput = { name: "", email: "", password: "", role: "viewer" };

export function AddUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<CreateUserInput>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof CreateUserInput, string[]>>>(
    {},
  );
  const [added, setAdded] = useState<string | null>(null);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async ({ email }) => {
        setValues(EMPTY);
        setAdded(email);
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setAdded(null);
    const parsed = createUserInput.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(z.flattenError(parsed.error).fieldErrors);
      return;
    }
    setFieldErrors({});
    create.mutate(parsed.data);
  }

  const set = (key: keyof CreateUserInput) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  return (
    <form
      onSubmit={submit}
      data-testid="action-add-user"
      className="h-fit space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="font-medium">Add a user</h2>
      <Field label="Name" error={fieldErrors.name?.[0]}>
        <TextInput value={values.name} onChange={set("name")} data-testid="add-user-name" />
      </Field>
      <Field label="Email" error={fieldErrors.email?.[0]}>
        <TextInput
          type="email"
          value={values.email}
          onChange={set("email")}
          data-testid="add-user-email"
        />
      </Field>
      <Field label="Initial password (at least 10 characters)" error={fieldErrors.password?.[0]}>
        <TextInput
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set("password")}
          data-testid="add-user-password"
        />
      </Field>
      <Field label="Role">
        <Select value={values.role} onChange={set("role")} data-testid="add-user-role">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorBanner error={create.error} testId="add-user-error" />
      {added ? (
        <p className="text-sm text-green-700 dark:text-green-400" data-testid="add-user-done">
          Added {added}. Give them the password; they sign in with it.
        </p>
      ) : null}
      <Button type="submit" disabled={create.isPending} data-testid="add-user-submit">
        {create.isPending ? "Adding…" : "Add user"}
      </Button>
    </form>
  );
}
