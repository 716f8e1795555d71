"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { HostKeyFingerprint } from "@/components/host-key.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Inventory, InventoryNode } from "@/lib/trpc-types.ts";

const STATE: Record<InventoryNode["state"], { label: string; tone: string }> = {
  online: {
    label: "Online",
    tone: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200",
  },
  standby: {
    label: "Standby",
    tone: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  },
  maintenance: {
    label: "Maintenance",
    tone: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  },
  pending: {
    label: "Pending",
    tone: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  },
  offline: { label: "Offline", tone: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200" },
  unclean: { label: "Unclean", tone: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200" },
  "pacemaker-stopped": {
    label: "Pacemaker stopped",
    tone: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  },
  unreachable: {
    label: "Unreachable",
    tone: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  },
  connecting: {
    label: "Connecting…",
    tone: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  },
};

const VERSION_LABELS = [
  ["pacemaker", "Pacemaker"],
  ["corosync", "Corosync"],
  ["pcs", "pcs"],
  ["libvirt", "libvirt"],
  ["qemu", "QEMU"],
  ["resourceAgents", "resource-agents"],
] as const;

export function NodeCard({
  node,
  lastFenced,
}: {
  node: InventoryNode;
  /** The fencer's latest event for this node, if its recent history has one. */
  lastFenced?: NonNullable<Inventory["summary"]>["fenceHistory"][number];
}) {
  const trpc = useTRPC();
  const isAdmin = useCan("admin");
  const replace = useMutation(trpc.nodes.replaceHostKey.mutationOptions());
  const remove = useMutation(trpc.nodes.remove.mutationOptions());
  const state = STATE[node.state];
  return (
    <article
      data-testid="node-card"
      data-node={node.name}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">
          {node.name}
          {node.isDc ? <span className="ml-2 text-xs text-slate-500">DC</span> : null}
        </h3>
        <span
          data-testid="node-state"
          data-state={node.state}
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${state.tone}`}
        >
          {state.label}
        </span>
      </header>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-600 dark:text-slate-400">
        <dt>Address</dt>
        <dd>
          {node.username}@{node.host}:{node.port}
        </dd>
        <dt>Host key</dt>
        <dd>
          <HostKeyFingerprint hostKey={node.hostKey} testId="node-fingerprint" />
        </dd>
        <dt>Agent</dt>
        <dd data-testid="node-agent-version">{node.agentVersion ?? "not installed"}</dd>
        <dt>Last seen</dt>
        <dd data-testid="node-last-seen">
          {node.lastSeenAt ? formatDateTime(node.lastSeenAt) : "never"}
        </dd>
        {node.fencedBy ? (
          <>
            <dt>Fenced by</dt>
            <dd
              data-testid="node-fenced-by"
              className={node.fencedBy.length ? "" : "text-red-700 dark:text-red-400"}
            >
              {node.fencedBy.length ? node.fencedBy.join(", ") : "no fence device"}
            </dd>
          </>
        ) : null}
        {lastFenced ? (
          <>
            <dt>Last fenced</dt>
            <dd
              data-testid="node-last-fenced"
              data-status={lastFenced.status}
              className={lastFenced.status === "failed" ? "text-red-700 dark:text-red-400" : ""}
            >
              {lastFenced.action} {lastFenced.status}
              {lastFenced.completed ? ` at ${lastFenced.completed}` : ""}
              {lastFenced.delegate ? ` (by ${lastFenced.delegate})` : ""}
              {lastFenced.exitReason ? `: ${lastFenced.exitReason}` : ""}
            </dd>
          </>
        ) : null}
        {VERSION_LABELS.map(([key, label]) => (
          <VersionRow key={key} label={label} value={node.versions?.[key]} />
        ))}
      </dl>
      {node.error ? (
        <p
          role="alert"
          data-testid="node-error"
          data-code={node.error.code}
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {node.error.message}
        </p>
      ) : null}
      {node.presentedHostKey ? (
        <div
          data-testid="node-host-key-changed"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950"
        >
          <p className="font-medium">The node presents a different host key.</p>
          <p>
            Pinned: <HostKeyFingerprint hostKey={node.hostKey} />
          </p>
          <p>
            Presented now:{" "}
            <HostKeyFingerprint
              hostKey={node.presentedHostKey}
              testId="node-presented-fingerprint"
            />
          </p>
          <p className="text-xs">
            Compare it with <code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the node
            before replacing the pin.
          </p>
          {isAdmin ? (
            <Button
              variant="danger"
              data-testid="action-replace-host-key"
              disabled={replace.isPending}
              onClick={() =>
                node.presentedHostKey &&
                replace.mutate({ nodeId: node.id, hostKey: node.presentedHostKey })
              }
            >
              Replace the pinned key
            </Button>
          ) : null}
        </div>
      ) : null}
      <ErrorBanner error={replace.error ?? remove.error} testId="node-action-error" />
      {isAdmin ? (
        <Button
          variant="secondary"
          data-testid="action-remove-node"
          disabled={remove.isPending}
          onClick={() => {
            if (
              window.confirm(
                `Stop managing node ${node.name} in Corral? The node itself is not touched.`,
              )
            ) {
              remove.mutate({ nodeId: node.id });
            }
          }}
        >
          Remove from Corral
        </Button>
      ) : null}
    </article>
  );
}

function VersionRow({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value ?? "unknown"}</dd>
    </>
  );
}
