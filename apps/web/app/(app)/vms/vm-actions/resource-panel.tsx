"use client";

import { useState } from "react";
import { Button } from "@/components/button.tsx";
import type { VmResourceConfig } from "@/lib/trpc-types.ts";
import { ChangeResourceDialog } from "./change-resource-dialog.tsx";
import { DeleteResourceDialog } from "./delete-resource-dialog.tsx";

/**
 * The resource as the CIB holds it (agent options, meta, operations), a change to it with the
 * exact command and whether Pacemaker restarts the VM for it, and the way back to an unmanaged
 * VM defined on a node the operator picks.
 */
export function ResourcePanel({
  clusterId,
  vm,
  config,
  nodes,
  runningOn,
  canAct,
  onOpen,
}: {
  clusterId: string;
  vm: string;
  /** Read from the CIB when the panel is opened (null until then). */
  config: VmResourceConfig | null;
  nodes: string[];
  runningOn: string[];
  canAct: boolean;
  onOpen: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return (
    <details
      data-testid="resource-definition"
      className="text-xs"
      onToggle={(event) => {
        if ((event.target as HTMLDetailsElement).open) onOpen();
      }}
    >
      <summary className="cursor-pointer text-slate-600 dark:text-slate-400">
        Resource options
      </summary>
      {config ? (
        <ResourceOptions config={config} />
      ) : (
        <p className="text-slate-500">Reading the resource from the CIB…</p>
      )}
      {canAct && config ? (
        <div className="mt-2 flex flex-wrap gap-2">
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            onClick={() => setEditing(true)}
            data-testid="action-change-resource"
          >
            Change…
          </Button>
          <Button
            variant="danger"
            className="px-2 py-1 text-xs"
            onClick={() => setDeleting(true)}
            data-testid="action-delete-resource"
          >
            Delete resource…
          </Button>
        </div>
      ) : null}
      {editing ? (
        <ChangeResourceDialog clusterId={clusterId} vm={vm} onClose={() => setEditing(false)} />
      ) : null}
      {deleting ? (
        <DeleteResourceDialog
          clusterId={clusterId}
          vm={vm}
          nodes={nodes}
          runningOn={runningOn}
          onClose={() => setDeleting(false)}
        />
      ) : null}
    </details>
  );
}

function ResourceOptions({ config }: { config: VmResourceConfig }) {
  return (
    <table className="mt-1 w-full">
      <tbody>
        {Object.entries(config.params).map(([name, value]) => (
          <tr key={`p:${name}`} data-testid="resource-param" data-name={name}>
            <td className="pr-2 font-mono">{name}</td>
            <td className="break-all">{value}</td>
          </tr>
        ))}
        {Object.entries(config.meta).map(([name, value]) => (
          <tr key={`m:${name}`} data-testid="resource-meta" data-name={name}>
            <td className="pr-2 font-mono">meta {name}</td>
            <td>{value}</td>
          </tr>
        ))}
        {config.ops.map((op) => (
          <tr key={`o:${op.name}:${op.interval}`} data-testid="resource-op" data-name={op.name}>
            <td className="pr-2 font-mono">op {op.name}</td>
            <td>
              interval={op.interval}
              {op.timeout ? ` timeout=${op.timeout}` : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
