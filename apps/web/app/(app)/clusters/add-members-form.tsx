"use client";

import { probeHostKeyInput } from "@corral/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { TextField, TextInput } from "@/components/field.tsx";
import { HostKeyFingerprint } from "@/components/host-key.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { AddedNodes, HostKey } from "@/lib/trpc-types.ts";

interface MemberRow {
  name: string;
  host: string;
  port: string;
  hostKey: HostKey | null;
  /** Why the address cannot be checked as typed. */
  problem?: string | undefined;
}

/**
 * The members the cluster reported that Corral does not know yet. The operator gives each one's
 * address as Corral reaches it, checks every host key, and adds them with the same credentials.
 */
export function AddMembersForm({ added, onDone }: { added: AddedNodes; onDone: () => void }) {
  const trpc = useTRPC();
  const [rows, setRows] = useState<MemberRow[]>(() =>
    added.otherMembers.map((name) => ({ name, host: name, port: "22", hostKey: null })),
  );
  // A stored password is sent to its own node only: reaching these with one means typing it.
  const [password, setPassword] = useState("");
  const probe = useMutation(trpc.clusters.probeHostKey.mutationOptions());
  const addNodes = useMutation(trpc.clusters.addNodes.mutationOptions({ onSuccess: onDone }));
  const allProbed = rows.length > 0 && rows.every((row) => row.hostKey);

  const update = (index: number, change: Partial<MemberRow>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));

  async function probeAll() {
    addNodes.reset();
    for (const [index, row] of rows.entries()) {
      const endpoint = probeHostKeyInput.safeParse({ host: row.host, port: row.port });
      const hostKey = endpoint.success
        ? await probe.mutateAsync(endpoint.data).catch(() => null)
        : null;
      update(index, { hostKey, problem: endpoint.error?.issues[0]?.message });
    }
  }

  return (
    <section
      data-testid="add-members"
      className="space-y-3 rounded-lg border border-indigo-300 bg-white p-4 text-sm dark:border-indigo-800 dark:bg-slate-900"
    >
      <h2 className="font-medium">
        Cluster {added.clusterName} added with {added.added.join(", ")}
      </h2>
      <p className="text-slate-600 dark:text-slate-400">
        It has {rows.length} more member{rows.length === 1 ? "" : "s"}. Give the address Corral
        reaches each one at, check their host keys, then add them with the same credentials.
      </p>
      <table className="w-full text-left">
        <thead className="text-slate-600 dark:text-slate-400">
          <tr>
            <th className="py-1 font-medium">Node</th>
            <th className="py-1 font-medium">Address</th>
            <th className="py-1 font-medium">Port</th>
            <th className="py-1 font-medium">Host key</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.name} data-testid="member-row" data-member={row.name}>
              <td className="py-1 pr-2">{row.name}</td>
              <td className="py-1 pr-2">
                <TextInput
                  value={row.host}
                  data-testid="member-host"
                  onChange={(e) => update(index, { host: e.target.value, hostKey: null })}
                />
              </td>
              <td className="w-24 py-1 pr-2">
                <TextInput
                  value={row.port}
                  data-testid="member-port"
                  onChange={(e) => update(index, { port: e.target.value, hostKey: null })}
                />
              </td>
              <td className="py-1">
                {row.hostKey ? (
                  <HostKeyFingerprint hostKey={row.hostKey} testId="member-fingerprint" />
                ) : row.problem ? (
                  <span className="text-red-600" role="alert">
                    {row.problem}
                  </span>
                ) : (
                  <span className="text-slate-500">not checked</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <TextField
        label="Password (only if the cluster was added with a password and no key)"
        type="password"
        autoComplete="off"
        value={password}
        onValueChange={setPassword}
        testId="members-password"
      />
      <ErrorBanner error={probe.error ?? addNodes.error} testId="add-members-error" />
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={probeAll}
          disabled={probe.isPending}
          data-testid="members-probe"
        >
          {probe.isPending ? "Asking for host keys…" : "Check the host keys"}
        </Button>
        <Button
          disabled={!allProbed || addNodes.isPending}
          data-testid="members-confirm"
          onClick={() =>
            addNodes.mutate({
              clusterId: added.clusterId,
              sameCredentialsAs: added.credentialsNodeId,
              password: password || undefined,
              // Every row has its key: the button waits for allProbed.
              nodes: rows.flatMap(({ host, port, hostKey }) =>
                hostKey ? [{ host: host.trim(), port: Number(port), hostKey }] : [],
              ),
            })
          }
        >
          {addNodes.isPending
            ? "Connecting and checking the nodes…"
            : "The fingerprints match: add them with the same credentials"}
        </Button>
        <Button variant="secondary" onClick={onDone} data-testid="members-skip">
          Not now
        </Button>
      </div>
    </section>
  );
}
