"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { CommandText, ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { Field, Select, TextField } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { ResourceChange } from "@/lib/trpc-types.ts";
import { reviewFor } from "./review-for.ts";

/**
 * One agent option or meta attribute of the resource, reviewed first: the exact command and
 * whether Pacemaker restarts the VM for it, which the confirm button then says too.
 */
export function ChangeResourceDialog({
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
  const dryRun = useMutation(trpc.vms.changeResource.mutationOptions());
  const apply = useMutation(trpc.vms.changeResource.mutationOptions());
  const change: ResourceChange = { kind, values: { [name]: value } };
  const reviewInput = { clusterId, vm, change, dryRun: true };
  const review = reviewFor(dryRun, reviewInput);
  const preview = review.data;
  return (
    <ConfirmDialog
      title={`Change ${vm}`}
      testId="change-resource-dialog"
      error={review.error ?? apply.error}
      errorTestId="change-error"
      result={
        apply.data?.ran ? { testId: "change-result", text: `Done: ${apply.data.command}` } : null
      }
      review={{
        reviewed: preview !== undefined,
        onClick: () => dryRun.mutate(reviewInput),
        disabled: !name || dryRun.isPending,
        testId: "action-review-change",
      }}
      confirm={{
        label: preview?.restarts ? "Change and restart" : "Change",
        variant: preview?.restarts ? "danger" : "primary",
        onClick: () => apply.mutate({ clusterId, vm, change, acceptRestart: preview?.restarts }),
        disabled: apply.isPending || Boolean(apply.data),
        testId: "confirm-change-resource",
      }}
      dismiss={{ label: "Close", onClick: onClose }}
    >
      <div className="grid grid-cols-3 gap-2">
        <Field label="What">
          <Select
            value={kind}
            onChange={(e) => setKind(e.target.value as "params" | "meta")}
            data-testid="input-change-kind"
          >
            <option value="meta">meta attribute</option>
            <option value="params">agent option</option>
          </Select>
        </Field>
        <TextField label="Name" value={name} onValueChange={setName} testId="input-change-name" />
        <TextField
          label="Value (empty removes it)"
          value={value}
          onValueChange={setValue}
          testId="input-change-value"
        />
      </div>
      {preview ? (
        <>
          <CommandText text={preview.command} />
          {preview.restarts ? (
            <p data-testid="change-restarts" className="font-medium text-red-700 dark:text-red-400">
              Pacemaker restarts {vm} for this change: it stops the VM and starts it again.
            </p>
          ) : (
            <p data-testid="change-no-restart">{vm} keeps running.</p>
          )}
        </>
      ) : null}
    </ConfirmDialog>
  );
}
