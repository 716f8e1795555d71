"use client";

import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { CheckboxField } from "@/components/field.tsx";
import { RunActionDialog } from "./run-action-dialog.tsx";

/** Drain a node (standby moves its VMs away) or take it back, confirmed with the command. */
export function NodeStandbyButton({
  clusterId,
  node,
  standby,
  command,
  stranded,
  onOpen,
}: {
  clusterId: string;
  node: string;
  standby: boolean;
  command: string;
  /** VMs this standby would leave stopped: named before the click, confirmed one by one. */
  stranded: { resource: string; reason: string }[];
  onOpen: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [stopConsent, setStopConsent] = useState(false);
  const action = standby ? "unstandby" : "standby";
  const strands = !standby && stranded.length > 0;
  return (
    <span className="inline-flex flex-col gap-2">
      <Button
        variant="secondary"
        className="px-2 py-1 text-xs"
        data-testid={`action-node-${action}`}
        data-node={node}
        onClick={() => {
          onOpen();
          setOpen(true);
        }}
      >
        {standby ? `Unstandby ${node}` : `Standby ${node} (drain)`}
      </Button>
      {open ? (
        <RunActionDialog
          title={standby ? `Take ${node} back` : `Drain ${node}: its VMs move away`}
          command={command}
          input={{
            kind: "node",
            clusterId,
            node,
            action,
            ...(strands && stopConsent ? { stopVms: stranded.map((s) => s.resource) } : {}),
          }}
          onClose={() => setOpen(false)}
          blocked={strands && !stopConsent}
        >
          {strands ? (
            <div data-testid="standby-strands" className="space-y-1 text-red-700 dark:text-red-400">
              <p className="font-medium">
                No other node can take {stranded.map((s) => s.resource).join(", ")}: the standby
                stops {stranded.length > 1 ? "them" : "it"}.
              </p>
              <ul className="list-disc pl-5 text-xs">
                {stranded.map((s) => (
                  <li key={s.resource}>
                    {s.resource}: {s.reason}
                  </li>
                ))}
              </ul>
              <CheckboxField
                className="flex items-center gap-2 text-xs"
                checked={stopConsent}
                onCheckedChange={setStopConsent}
                testId="input-standby-stop-consent"
              >
                Stop {stranded.map((s) => s.resource).join(", ")} with the standby
              </CheckboxField>
            </div>
          ) : null}
        </RunActionDialog>
      ) : null}
    </span>
  );
}
