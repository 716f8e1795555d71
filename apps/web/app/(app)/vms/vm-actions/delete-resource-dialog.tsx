"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { CommandText, ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { CheckboxField, Field, Select } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { reviewFor } from "./review-for.ts";

/**
 * The way back to an unmanaged VM: reviewed first (every command, on which node), then the
 * resource stops and goes and the domain is defined, shut off, on the node the operator picks.
 */
export function DeleteResourceDialog({
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
  const dryRun = useMutation(trpc.vms.deleteResource.mutationOptions());
  const run = useMutation(trpc.vms.deleteResource.mutationOptions());
  const input = { clusterId, vm, defineOn, removeConfigs };
  const reviewInput = { ...input, dryRun: true };
  const review = reviewFor(dryRun, reviewInput);
  const done = run.data?.done;
  return (
    <ConfirmDialog
      title={`Delete the resource ${vm}`}
      testId="delete-resource-dialog"
      error={review.error ?? run.error}
      errorTestId="delete-error"
      result={
        done
          ? {
              testId: "delete-result",
              text: `${vm} is no longer a resource; defined on ${done.definedOn}${done.removedFrom.length ? `; config removed from ${done.removedFrom.join(", ")}` : ""}.`,
            }
          : null
      }
      review={{
        reviewed: review.data !== undefined,
        onClick: () => dryRun.mutate(reviewInput),
        disabled: !defineOn || dryRun.isPending,
        testId: "action-review-delete",
      }}
      confirm={{
        label: run.isPending ? "Deleting…" : `Stop ${vm} and delete the resource`,
        variant: "danger",
        onClick: () => run.mutate(input),
        disabled: run.isPending || Boolean(run.data),
        testId: "confirm-delete-resource",
      }}
      dismiss={{ label: "Close", onClick: onClose }}
    >
      <p>
        Pacemaker stops {vm} and no longer manages it; the VM is defined again, shut off, on the
        node you pick.
      </p>
      <Field label="Define it on">
        <Select
          value={defineOn}
          onChange={(e) => setDefineOn(e.target.value)}
          data-testid="input-define-on"
        >
          {nodes.map((node) => (
            <option key={node} value={node}>
              {node}
            </option>
          ))}
        </Select>
      </Field>
      <CheckboxField
        checked={removeConfigs}
        onCheckedChange={setRemoveConfigs}
        testId="input-remove-configs"
      >
        also remove its config file from every node
      </CheckboxField>
      {review.data?.commands ? (
        <ol className="list-decimal space-y-1 pl-5" data-testid="delete-plan">
          {review.data.commands.map((command) => (
            <li key={command.shell}>
              {command.node ? `On ${command.node}:` : "On any node:"}
              <CommandText text={command.shell} />
            </li>
          ))}
        </ol>
      ) : null}
    </ConfirmDialog>
  );
}
