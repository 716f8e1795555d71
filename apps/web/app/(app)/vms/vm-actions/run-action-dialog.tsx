"use client";

import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { formatDuration } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { ResourceActionInput } from "@/lib/trpc-types.ts";

/** One pcs command on a VM's resource or a node (vms.action), run on confirmation. */
export function RunActionDialog({
  title,
  command,
  input,
  onClose,
  blocked = false,
  children,
}: {
  title: string;
  command: string;
  input: ResourceActionInput;
  onClose: () => void;
  /** The Run button stays off until the operator answered what `children` ask. */
  blocked?: boolean;
  children?: ReactNode;
}) {
  const trpc = useTRPC();
  const run = useMutation(trpc.vms.action.mutationOptions());
  return (
    <ConfirmDialog
      title={title}
      testId="confirm-dialog"
      command={command}
      error={run.error}
      errorTestId="action-error"
      result={
        run.data
          ? { testId: "action-result", text: `Done in ${formatDuration(run.data.durationMs)}.` }
          : null
      }
      confirm={{
        label: run.isPending ? "Running…" : "Run",
        onClick: () => run.mutate(input),
        disabled: blocked || run.isPending || Boolean(run.data),
        testId: "action-confirm",
      }}
      dismiss={{ label: "Close", onClick: onClose, testId: "confirm-close" }}
    >
      {children}
    </ConfirmDialog>
  );
}
