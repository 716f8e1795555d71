"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

/** Copies the VM's config file from one node to every other, when the copies differ. */
export function ResyncDialog({
  clusterId,
  vm,
  nodes,
  onClose,
}: {
  clusterId: string;
  vm: string;
  nodes: string[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [source, setSource] = useState(nodes[0] ?? "");
  const resync = useMutation(trpc.vms.resyncConfig.mutationOptions());
  return (
    <ConfirmDialog
      title={`Re-sync ${vm}'s config`}
      testId="resync-dialog"
      error={resync.error}
      errorTestId="resync-error"
      result={
        resync.data
          ? { testId: "resync-result", text: `Copied to ${resync.data.nodes.join(", ")}.` }
          : null
      }
      confirm={{
        label: "Re-sync",
        onClick: () => resync.mutate({ clusterId, vm, source }),
        disabled: !source || resync.isPending,
        testId: "action-confirm-resync",
      }}
      dismiss={{ label: "Close", onClick: onClose }}
    >
      <label className="flex items-center gap-2">
        Copy from
        <input
          className="rounded border px-1"
          data-testid="resync-source"
          value={source}
          onChange={(event) => setSource(event.target.value)}
        />
        to every other node it may run on (written atomically, verified by SHA-256).
      </label>
    </ConfirmDialog>
  );
}
