"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { authClient } from "@/lib/auth-client.ts";
import { LiveInventoriesProvider } from "@/lib/use-inventories.ts";
import { AlarmBanner, FindingsBanner } from "./alarm-banner.tsx";
import { type CurrentUser, CurrentUserProvider } from "./current-user.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

interface NavItem {
  href: Route;
  label: string;
  testId: string;
  /** Hidden from viewers: the page is for acting, not reading. */
  operatorOnly?: boolean;
}

const NAV: NavItem[] = [
  { href: "/attention", label: "Needs attention", testId: "nav-attention" },
  { href: "/clusters", label: "Clusters and nodes", testId: "nav-clusters" },
  { href: "/vms", label: "VMs", testId: "nav-vms" },
  { href: "/onboard", label: "Onboard a VM", testId: "nav-onboard", operatorOnly: true },
  { href: "/test-results", label: "Test results", testId: "nav-test-results" },
  { href: "/timeline", label: "Timeline", testId: "nav-timeline" },
  { href: "/command-log", label: "Command log", testId: "nav-command-log" },
  { href: "/users", label: "Users", testId: "nav-users" },
  { href: "/settings", label: "Settings", testId: "nav-settings" },
];

export function AppShell({ user, children }: { user: CurrentUser; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const items = NAV.filter((item) => !item.operatorOnly || user.role !== "viewer");

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <CurrentUserProvider user={user}>
      <div className="flex min-h-screen flex-col lg:flex-row">
        <aside className="border-b border-slate-200 bg-white lg:w-60 lg:shrink-0 lg:border-r lg:border-b-0 dark:border-slate-800 dark:bg-slate-900">
          <div className="flex items-center justify-between gap-2 px-4 py-3 lg:py-5">
            <Link href="/clusters" className="text-lg font-semibold tracking-tight">
              Corral
            </Link>
            <div className="lg:hidden">
              <ThemeToggle />
            </div>
          </div>
          <nav aria-label="Main" className="overflow-x-auto px-2 pb-2 lg:px-3">
            <ul className="flex gap-1 lg:flex-col">
              {items.map((item) => {
                const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
                return (
                  <li key={item.href} className="shrink-0">
                    <Link
                      href={item.href}
                      data-testid={item.testId}
                      aria-current={active ? "page" : undefined}
                      className={`block rounded-md px-3 py-2 text-sm whitespace-nowrap ${
                        active
                          ? "bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                          : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                      }`}
                    >
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-4 py-2 text-sm dark:border-slate-800 dark:bg-slate-900">
            <span className="hidden lg:inline">
              <ThemeToggle />
            </span>
            <span
              data-testid="current-user"
              className="truncate text-slate-600 dark:text-slate-400"
            >
              {user.email} · <span data-testid="current-role">{user.role}</span>
            </span>
            <button
              type="button"
              data-testid="sign-out"
              onClick={signOut}
              className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              Sign out
            </button>
          </header>
          <LiveInventoriesProvider>
            <AlarmBanner />
            <FindingsBanner />
            <main className="mx-auto w-full max-w-6xl flex-1 p-4 md:p-6">{children}</main>
          </LiveInventoriesProvider>
        </div>
      </div>
    </CurrentUserProvider>
  );
}
