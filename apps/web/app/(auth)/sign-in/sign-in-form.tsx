"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { Field, TextInput } from "@/components/field.tsx";
import { useSignIn } from "./use-sign-in.ts";

export function SignInForm() {
  const { signIn, error, pending } = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    void signIn(email.trim(), password);
  }

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="sign-in-form">
      <h1 className="text-lg font-medium">Sign in</h1>
      <Field label="Email">
        <TextInput
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="sign-in-email"
        />
      </Field>
      <Field label="Password">
        <TextInput
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="sign-in-password"
        />
      </Field>
      {error ? (
        <p
          role="alert"
          data-testid="sign-in-error"
          className="text-sm text-red-600 dark:text-red-400"
        >
          {error}
        </p>
      ) : null}
      <Button type="submit" disabled={pending} className="w-full" data-testid="sign-in-submit">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
