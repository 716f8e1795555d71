"use client";

import type { AppRouter } from "@corral/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

type ApiToken = inferRouterOutputs<AppRouter>["apiTokens"]["mine"][number];

const PANEL =
  "space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";

export function ApiTokensSettings() {
  const isOperator = useCan("operator");
  const isAdmin = useCan("admin");
  if (!isOperator) {
    return (
      <p
        className="text-sm text-slate-600 dark:text-slate-400"
        data-testid="api-tokens-operators-only"
      >
        Operators and admins create API tokens.
      </p>
    );
  }
  return (
    <div className="space-y-6">
      <CreateApiToken />
      {isAdmin ? <TokenList which="all" /> : <TokenList which="mine" />}
    </div>
  );
}

function CreateApiToken() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.apiTokens.create.mutationOptions({
      onSuccess: () => {
        setName("");
        return queryClient.invalidateQueries({ queryKey: trpc.apiTokens.pathKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name });
  };
  return (
    <form onSubmit={submit} className={PANEL} data-testid="api-token-form">
      <h2 className="font-medium">New token</h2>
      <Field label="What it is for">
        <TextInput
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="prometheus"
          data-testid="input-api-token-name"
        />
      </Field>
      <ErrorBanner error={create.error} testId="api-token-error" />
      <Button type="submit" disabled={create.isPending} data-testid="action-create-api-token">
        Create token
      </Button>
      {create.data ? (
        <div
          className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
          data-testid="api-token-created"
        >
          <p>Copy it now: Corral keeps only a hash and cannot show it again.</p>
          <code className="block break-all font-mono" data-testid="api-token-value">
            {create.data.token}
          </code>
          <p className="text-slate-600 dark:text-slate-400">
            Prometheus:{" "}
            <code>
              authorization: {"{"} credentials: &lt;token&gt; {"}"}
            </code>{" "}
            on the /metrics job; scripts: <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
        </div>
      ) : null}
    </form>
  );
}

function TokenList({ which }: { which: "mine" | "all" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(
    which === "all" ? trpc.apiTokens.list.queryOptions() : trpc.apiTokens.mine.queryOptions(),
  );
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiTokens.pathKey() }),
    }),
  );
  return (
    <section className={PANEL} data-testid="api-token-list">
      <h2 className="font-medium">{which === "all" ? "Every operator's tokens" : "Your tokens"}</h2>
      <ErrorBanner error={tokens.error ?? revoke.error} />
      {tokens.data?.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No token yet.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Token</th>
              {which === "all" ? <th className="py-1 font-medium">Owner</th> : null}
              <th className="py-1 font-medium">Created</th>
              <th className="py-1 font-medium">Last used</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((token: ApiToken) => (
              <tr
                key={token.id}
                className="border-t border-slate-200 dark:border-slate-800"
                data-testid="api-token"
                data-name={token.name}
              >
                <td className="py-1.5">{token.name}</td>
                <td className="py-1.5 font-mono">{token.prefix}…</td>
                {which === "all" ? (
                  <td className="py-1.5">
                    {token.owner.email} ({token.owner.role})
                  </td>
                ) : null}
                <td className="py-1.5">{token.createdAt.toLocaleString()}</td>
                <td className="py-1.5">{token.lastUsedAt?.toLocaleString() ?? "never"}</td>
                <td className="py-1.5 text-right">
                  {token.revokedAt ? (
                    <span className="text-slate-500" data-testid="api-token-revoked">
                      revoked by {token.revokedByName}
                    </span>
                  ) : (
                    <Button
                      variant="danger"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ id: token.id })}
                      data-testid="action-revoke-api-token"
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
