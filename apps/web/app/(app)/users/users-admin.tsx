"use client";

import dynamic from "next/dynamic";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { UserTable } from "./user-table.tsx";

// Forms load after the page: their zod schemas (about 34 kB gzipped) stay out of the
// first-load JavaScript of every page (apps/web/scripts/check-first-load-js.mjs).
const AddUserForm = dynamic(() =>
  import("./add-user-form.tsx").then((module) => module.AddUserForm),
);

export function UsersAdmin() {
  if (!useCan("admin")) {
    return (
      <EmptyState title="Only admins manage users" testId="users-admin-only">
        <p>Ask an admin to add an operator, change a role, or disable an account.</p>
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
      <UserTable />
      <AddUserForm />
    </div>
  );
}
