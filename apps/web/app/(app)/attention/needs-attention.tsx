"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { CommandText, ConfirmDialog } from "@/components/confirm-dialog.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Finding } from "@/lib/trpc-types.ts";
import { useInventories } from "@/lib/use-inventories.ts";

const RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Open findings first by severity, then the oldest first: what has waited longest on top. */
function worstFirst(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    new Date(a.openedAt).getTime() - new Date(b.openedAt).getTime()
  );
}

const SEVERITY_STYLE = {
  critical: "border-red-400 bg-red-50 dark:border-red-800 dark:bg-red-950",
  warning: "border-amber-400 bg-amber-50 dark:border-amber-800 dark:bg-amber-950",
  info: "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900",
} as const;

/**
 * Every open finding across the clusters, worst first, each with why it matters and the exact
 * fix; an operator acknowledges or snoozes one with a reason. The history lists resolved ones.
 */
export function NeedsAttention() {
  const trpc = useTRPC();
  const [state, setState] = useState<"open" | "resolved">("open");
  const findings = useQuery({
    ...trpc.findings.list.queryOptions({ state, limit: 500 }),
    // The watch opens and resolves findings as the cluster changes.
    refetchInterval: 5_000,
  });
  const { inventories } = useInventories();
  const clusterName = (id: string) =>
    inventories?.find((inventory) => inventory.clusterId === id)?.clusterName ?? id;
  const list = [...(findings.data ?? [])].sort(state === "open" ? worstFirst : () => 0);
  return (
    <div className="space-y-4">
      <div className="flex gap-2" role="tablist">
        {(["open", "resolved"] as const).map((tab) => (
          <Button
            key={tab}
            role="tab"
            aria-selected={state === tab}
            variant={state === tab ? "primary" : "secondary"}
            data-testid={`findings-tab-${tab}`}
            onClick={() => setState(tab)}
          >
            {tab === "open" ? "Open" : "Resolved"}
          </Button>
        ))}
      </div>
      <ErrorBanner error={findings.error} />
      {findings.data && list.length === 0 ? (
        <EmptyState
          testId="findings-empty"
          title={state === "open" ? "Nothing needs attention" : "No resolved findings yet"}
        >
          <p>
            The watch checks every managed VM and node all the time: double runs, copies outside
            Pacemaker, autostart, config files, libvirt, left-over move constraints, quorum,
            maintenance mode and fencing.
          </p>
        </EmptyState>
      ) : null}
      <ul className="space-y-3">
        {list.map((finding) => (
          <FindingItem
            key={finding.id}
            finding={finding}
            cluster={clusterName(finding.clusterId)}
          />
        ))}
      </ul>
    </div>
  );
}

function FindingItem({ finding, cluster }: { finding: Finding; cluster: string }) {
  const canAct = useCan("operator");
  const [acknowledging, setAcknowledging] = useState(false);
  const ack = finding.acknowledgement;
  const snoozed = ack?.until ? new Date(ack.until).getTime() > Date.now() : false;
  const quiet = ack !== null && (ack.until === null || snoozed);
  return (
    <li
      data-testid="finding"
      data-kind={finding.kind}
      data-severity={finding.severity}
      data-vm={finding.vm ?? ""}
      data-node={finding.node ?? ""}
      className={`space-y-2 rounded-md border p-3 text-sm ${SEVERITY_STYLE[finding.severity]} ${quiet ? "opacity-70" : ""}`}
    >
      <p className="flex flex-wrap items-baseline gap-2">
        <span className="rounded bg-slate-900 px-1.5 py-0.5 text-xs font-semibold uppercase text-white">
          {finding.severity}
        </span>
        <span className="font-medium" data-testid="finding-summary">
          {finding.summary}
        </span>
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {cluster}
        {finding.vm ? ` · VM ${finding.vm}` : ""}
        {finding.node ? ` · node ${finding.node}` : ""} · {finding.kind} · since{" "}
        {formatDateTime(finding.openedAt)}
        {finding.resolvedAt ? ` · resolved ${formatDateTime(finding.resolvedAt)}` : ""}
      </p>
      <p data-testid="finding-why">Why it matters: {finding.why}</p>
      {finding.fix.length ? (
        <div>
          <p className="text-xs">To fix it:</p>
          <CommandText text={finding.fix.join("\n")} testId="finding-fix" />
        </div>
      ) : null}
      {canAct && finding.oneClick ? <OneClickFix finding={finding} fix={finding.oneClick} /> : null}
      {ack ? (
        <p data-testid="finding-acknowledged" className="text-xs">
          {ack.until ? `Snoozed until ${formatDateTime(ack.until)}` : "Acknowledged"} by{" "}
          {ack.byName} ({formatDateTime(ack.at)}): {ack.reason}
        </p>
      ) : null}
      {canAct && !finding.resolvedAt && !acknowledging ? (
        <Button
          variant="secondary"
          className="px-2 py-1 text-xs"
          data-testid="finding-acknowledge"
          onClick={() => setAcknowledging(true)}
        >
          {ack ? "Acknowledge again" : "Acknowledge or snooze"}
        </Button>
      ) : null}
      {acknowledging ? (
        <AcknowledgeForm finding={finding} onDone={() => setAcknowledging(false)} />
      ) : null}
    </li>
  );
}

/**
 * The finding's one-click fix: the exact command and what to know first, run on confirmation.
 * Done means the command succeeded; the finding itself clears when the watch sees the cluster
 * changed, as every finding does.
 */
function OneClickFix({
  finding,
  fix,
}: {
  finding: Finding;
  fix: NonNullable<Finding["oneClick"]>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const run = useMutation(
    trpc.findings.fix.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.findings.pathFilter()),
    }),
  );
  if (!confirming) {
    return (
      <Button
        className="mr-2 px-2 py-1 text-xs"
        data-testid="finding-fix-action"
        onClick={() => setConfirming(true)}
      >
        {fix.label}…
      </Button>
    );
  }
  return (
    <ConfirmDialog
      title={fix.label}
      testId="finding-fix-dialog"
      command={fix.command}
      error={run.error}
      errorTestId="finding-fix-error"
      result={
        run.isSuccess
          ? {
              testId: "finding-fix-result",
              text: "Done. The finding clears once the watch sees the change on the cluster.",
            }
          : null
      }
      confirm={{
        label: "Run it",
        onClick: () => run.mutate({ id: finding.id }),
        disabled: run.isPending || run.isSuccess,
        testId: "finding-fix-confirm",
      }}
      dismiss={{ label: run.isSuccess ? "Close" : "Cancel", onClick: () => setConfirming(false) }}
    >
      {fix.caution ? <p className="text-xs">{fix.caution}</p> : null}
    </ConfirmDialog>
  );
}

const SNOOZES = [
  { label: "Until it resolves", hours: null },
  { label: "Snooze 1 hour", hours: 1 },
  { label: "Snooze 8 hours", hours: 8 },
  { label: "Snooze 24 hours", hours: 24 },
] as const;

/** Who sets it aside is the signed-in operator; why is required; until is a choice. */
function AcknowledgeForm({ finding, onDone }: { finding: Finding; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [snooze, setSnooze] = useState(0);
  const acknowledge = useMutation(
    trpc.findings.acknowledge.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.findings.pathFilter());
        onDone();
      },
    }),
  );
  const hours = SNOOZES[snooze]?.hours ?? null;
  return (
    <form
      className="space-y-2"
      data-testid="acknowledge-form"
      onSubmit={(event) => {
        event.preventDefault();
        acknowledge.mutate({
          id: finding.id,
          reason,
          until: hours === null ? null : new Date(Date.now() + hours * 3_600_000),
        });
      }}
    >
      <Field label="Why">
        <TextInput
          data-testid="acknowledge-reason"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="e.g. fencing is being set up in change 1234"
        />
      </Field>
      <Field label="For how long">
        <Select
          data-testid="acknowledge-until"
          value={snooze}
          onChange={(event) => setSnooze(Number(event.target.value))}
        >
          {SNOOZES.map((choice, index) => (
            <option key={choice.label} value={index}>
              {choice.label}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorBanner error={acknowledge.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={acknowledge.isPending} data-testid="acknowledge-submit">
          Set aside
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
