"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { ThemeToggle } from "@/components/theme-toggle.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { ChangePasswordForm } from "./change-password-form.tsx";
import { ConfigDirectoriesForm } from "./config-directories-form.tsx";

export function InstanceSettings() {
  const isAdmin = useCan("admin");
  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="font-medium">Appearance</h2>
        <p className="mt-1 mb-3 text-sm text-slate-600 dark:text-slate-400">
          Light or dark, kept in this browser.
        </p>
        <ThemeToggle />
      </section>
      <ChangePasswordForm />
      <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="font-medium">Notifications and automation</h2>
        <ul className="mt-2 list-inside list-disc text-sm">
          <li>
            <Link
              href="/settings/notifications"
              className="text-indigo-600 hover:underline dark:text-indigo-400"
              data-testid="link-notifications"
            >
              Notifications
            </Link>
            : webhooks and email for findings, with a test per channel and rule.
          </li>
          <li>
            <Link
              href="/settings/api-tokens"
              className="text-indigo-600 hover:underline dark:text-indigo-400"
              data-testid="link-api-tokens"
            >
              API tokens
            </Link>
            : for Prometheus (<code>/metrics</code>) and scripts.
          </li>
        </ul>
      </section>
      {isAdmin ? (
        <>
          <ConfigDirectoriesForm />
          <InstanceConfiguration />
        </>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="settings-admin-only">
          The instance configuration is shown to admins.
        </p>
      )}
    </div>
  );
}

function InstanceConfiguration() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  if (settings.error) return <ErrorBanner error={settings.error} />;
  if (!settings.data) return null;
  const rows: [string, string][] = [
    ["Database", settings.data.databaseProvider === "sqlite" ? "SQLite (embedded)" : "PostgreSQL"],
    ["Data directory", settings.data.dataDir],
    ["Base URL", settings.data.baseUrl],
    ["Other trusted origins", settings.data.trustedOrigins.join(", ") || "none"],
    ["Trusted proxies", settings.data.trustedProxies.join(", ") || "none"],
    ["Sign-in attempts per minute and address", String(settings.data.loginAttemptsPerMinute)],
    ["Sessions end after unused for", `${settings.data.sessionIdleMinutes} minutes`],
    ["Session secret from", settings.data.authSecretSource],
  ];
  return (
    <section
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid="instance-settings"
    >
      <h2 className="mb-3 font-medium">Instance</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[max-content_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="font-mono break-all">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
