"use client";

import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { AddUserForm } from "./add-user-form.tsx";
import { UserTable } from "./user-table.tsx";

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
