"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { SignInForm } from "./sign-in-form.tsx";

// Forms load after the page: their zod schemas (about 34 kB gzipped) stay out of the
// first-load JavaScript of every page (apps/web/scripts/check-first-load-js.mjs).
const FirstAdminForm = dynamic(() =>
  import("./first-admin-form.tsx").then((module) => module.FirstAdminForm),
);

/** On an empty database: create the first admin. Signed in already: go in. Otherwise: sign in. */
export function SignInScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.setup.status.queryOptions());
  const session = useQuery(trpc.session.current.queryOptions());
  const signedIn = Boolean(session.data);
  useEffect(() => {
    if (signedIn) router.replace("/clusters");
  }, [signedIn, router]);

  if (status.error) return <ErrorBanner error={status.error} />;
  if (!status.data || signedIn) {
    return <p className="text-center text-sm text-slate-500">Loading…</p>;
  }
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      {status.data.needsFirstAdmin ? (
        <FirstAdminForm setupTokenRequired={status.data.setupTokenRequired} />
      ) : (
        <SignInForm />
      )}
    </div>
  );
}
