"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { FirstAdminForm } from "./first-admin-form.tsx";
import { SignInForm } from "./sign-in-form.tsx";

/** On an empty database: create the first admin. Otherwise: sign in. */
export function SignInScreen() {
  const trpc = useTRPC();
  const status = useQuery(trpc.setup.status.queryOptions());
  if (status.error) return <ErrorBanner error={status.error} />;
  if (!status.data) return <p className="text-center text-sm text-slate-500">Loading…</p>;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      {status.data.needsFirstAdmin ? <FirstAdminForm /> : <SignInForm />}
    </div>
  );
}
