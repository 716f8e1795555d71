"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { CommandText, ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { ResourceChange, VmResourceConfig } from "@/lib/trpc-types.ts";

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
        <ChangeDialog clusterId={clusterId} vm={vm} onClose={() => setEditing(false)} />
      ) : null}
      {deleting ? (
        <DeleteDialog
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

function ChangeDialog({
  clusterId,
  vm,
  onClose,
}: {
  clusterId: string;
  vm: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<"params" | "meta">("meta");
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const preview = useMutation(trpc.vms.changeResource.mutationOptions());
  const apply = useMutation(trpc.vms.changeResource.mutationOptions());
  const change: ResourceChange = { kind, values: { [name]: value } };
  return (
    <ConfirmDialog title={`Change ${vm}`} testId="change-resource-dialog">
      <div className="grid grid-cols-3 gap-2">
        <Field label="What">
          <Select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as "params" | "meta");
              preview.reset();
            }}
            data-testid="input-change-kind"
          >
            <option value="meta">meta attribute</option>
            <option value="params">agent option</option>
          </Select>
        </Field>
        <Field label="Name">
          <TextInput
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              preview.reset();
            }}
            data-testid="input-change-name"
          />
        </Field>
        <Field label="Value (empty removes it)">
          <TextInput
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              preview.reset();
            }}
            data-testid="input-change-value"
          />
        </Field>
      </div>
      <ErrorBanner error={preview.error ?? apply.error} testId="change-error" />
      {preview.data ? (
        <>
          <CommandText text={preview.data.command} />
          {preview.data.restarts ? (
            <p data-testid="change-restarts" className="font-medium text-red-700 dark:text-red-400">
              Pacemaker restarts {vm} for this change: it stops the VM and starts it again.
            </p>
          ) : (
            <p data-testid="change-no-restart">{vm} keeps running.</p>
          )}
        </>
      ) : null}
      {apply.data?.ran ? (
        <p data-testid="change-result" className="text-emerald-700">
          Done: {apply.data.command}
        </p>
      ) : null}
      <div className="flex gap-2">
        {preview.data ? (
          <Button
            variant={preview.data.restarts ? "danger" : "primary"}
            disabled={apply.isPending || Boolean(apply.data)}
            onClick={() =>
              apply.mutate({ clusterId, vm, change, acceptRestart: preview.data.restarts })
            }
            data-testid="confirm-change-resource"
          >
            {preview.data.restarts ? "Change and restart" : "Change"}
          </Button>
        ) : (
          <Button
            disabled={!name || preview.isPending}
            onClick={() => preview.mutate({ clusterId, vm, change, dryRun: true })}
            data-testid="action-review-change"
          >
            Review
          </Button>
        )}
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </ConfirmDialog>
  );
}

function DeleteDialog({
  clusterId,
  vm,
  nodes,
  runningOn,
  onClose,
}: {
  clusterId: string;
  vm: string;
  nodes: string[];
  runningOn: string[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [defineOn, setDefineOn] = useState(runningOn[0] ?? nodes[0] ?? "");
  const [removeConfigs, setRemoveConfigs] = useState(false);
  const preview = useMutation(trpc.vms.deleteResource.mutationOptions());
  const run = useMutation(trpc.vms.deleteResource.mutationOptions());
  const input = { clusterId, vm, defineOn, removeConfigs };
  return (
    <ConfirmDialog title={`Delete the resource ${vm}`} testId="delete-resource-dialog">
      <p>
        Pacemaker stops {vm} and no longer manages it; the VM is defined again, shut off, on the
        node you pick.
      </p>
      <Field label="Define it on">
        <Select
          value={defineOn}
          onChange={(e) => {
            setDefineOn(e.target.value);
            preview.reset();
          }}
          data-testid="input-define-on"
        >
          {nodes.map((node) => (
            <option key={node} value={node}>
              {node}
            </option>
          ))}
        </Select>
      </Field>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={removeConfigs}
          onChange={(e) => {
            setRemoveConfigs(e.target.checked);
            preview.reset();
          }}
          data-testid="input-remove-configs"
        />
        also remove its config file from every node
      </label>
      <ErrorBanner error={preview.error ?? run.error} testId="delete-error" />
      {preview.data?.commands ? (
        <ol className="list-decimal space-y-1 pl-5" data-testid="delete-plan">
          {preview.data.commands.map((command) => (
            <li key={command.shell}>
              {command.node ? `On ${command.node}:` : "On any node:"}
              <CommandText text={command.shell} />
            </li>
          ))}
        </ol>
      ) : null}
      {run.data?.done ? (
        <p data-testid="delete-result" className="text-emerald-700">
          {vm} is no longer a resource; defined on {run.data.done.definedOn}
          {run.data.done.removedFrom.length
            ? `; config removed from ${run.data.done.removedFrom.join(", ")}`
            : ""}
          .
        </p>
      ) : null}
      <div className="flex gap-2">
        {preview.data ? (
          <Button
            variant="danger"
            disabled={run.isPending || Boolean(run.data)}
            onClick={() => run.mutate(input)}
            data-testid="confirm-delete-resource"
          >
            {run.isPending ? "Deleting…" : `Stop ${vm} and delete the resource`}
          </Button>
        ) : (
          <Button
            disabled={!defineOn || preview.isPending}
            onClick={() => preview.mutate({ ...input, dryRun: true })}
            data-testid="action-review-delete"
          >
            Review
          </Button>
        )}
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </ConfirmDialog>
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
