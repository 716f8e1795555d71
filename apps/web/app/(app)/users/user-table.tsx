"use client";

import { ROLES, type Role } from "@corral/api/roles";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Select } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

export function UserTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSettled: refresh }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSettled: refresh }));
  const setPassword = useMutation(trpc.users.setPassword.mutationOptions());
  const failure = setRole.error ?? setDisabled.error ?? remove.error ?? setPassword.error;

  if (users.error) return <ErrorBanner error={users.error} />;
  return (
    <div className="min-w-0 space-y-3">
      <ErrorBanner error={failure} testId="users-error" />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="users-table">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="px-3 py-2 font-medium">Name</th>
              <th className="px-3 py-2 font-medium">Email</th>
              <th className="px-3 py-2 font-medium">Role</th>
              <th className="px-3 py-2 font-medium">Status</th>
              <th className="px-3 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((user) => (
              <tr
                key={user.id}
                data-testid="user-row"
                data-email={user.email}
                className="border-b border-slate-100 last:border-0 dark:border-slate-800"
              >
                <td className="px-3 py-2">{user.name}</td>
                <td className="px-3 py-2">{user.email}</td>
                <td className="px-3 py-2">
                  {user.isSelf ? (
                    <span data-testid="user-role">{user.role}</span>
                  ) : (
                    <Select
                      aria-label={`Role of ${user.email}`}
                      value={user.role}
                      data-testid="action-set-role"
                      onChange={(e) =>
                        setRole.mutate({ userId: user.id, role: e.target.value as Role })
                      }
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </Select>
                  )}
                </td>
                <td className="px-3 py-2" data-testid="user-status">
                  {user.disabled ? "disabled" : "active"}
                </td>
                <td className="px-3 py-2">
                  {user.isSelf ? (
                    <span className="text-slate-500">you</span>
                  ) : (
                    <div className="flex justify-end gap-2">
                      <Button
                        variant="secondary"
                        data-testid="action-toggle-disabled"
                        onClick={() =>
                          setDisabled.mutate({ userId: user.id, disabled: !user.disabled })
                        }
                      >
                        {user.disabled ? "Enable" : "Disable"}
                      </Button>
                      <Button
                        variant="secondary"
                        data-testid="action-reset-password"
                        onClick={() => {
                          const password = window.prompt(
                            `New password for ${user.email} (at least 10 characters). Their sessions end.`,
                          );
                          if (password) setPassword.mutate({ userId: user.id, password });
                        }}
                      >
                        Reset password
                      </Button>
                      <Button
                        variant="danger"
                        data-testid="action-remove-user"
                        onClick={() => {
                          if (window.confirm(`Remove ${user.email}? This cannot be undone.`)) {
                            remove.mutate({ userId: user.id });
                          }
                        }}
                      >
                        Remove
                      </Button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
