"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { TextField } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

/** Every signed-in operator changes their own password here; their other sessions end. */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const change = useMutation(
    trpc.session.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrentPassword("");
        setNewPassword("");
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({ currentPassword, newPassword });
  }
  return (
    <form
      onSubmit={submit}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid="change-password-form"
    >
      <h2 className="font-medium">Your password</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Changing it signs you out everywhere else.
      </p>
      <div className="grid gap-3 md:grid-cols-2">
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onValueChange={setCurrentPassword}
          testId="change-password-current"
        />
        <TextField
          label="New password (at least 10 characters)"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onValueChange={setNewPassword}
          testId="change-password-new"
        />
      </div>
      <ErrorBanner error={change.error} testId="change-password-error" />
      {change.isSuccess ? (
        <p
          className="text-sm text-green-700 dark:text-green-400"
          data-testid="change-password-done"
        >
          Password changed; your other sessions have ended.
        </p>
      ) : null}
      <Button type="submit" disabled={change.isPending} data-testid="change-password-submit">
        Change password
      </Button>
    </form>
  );
}
