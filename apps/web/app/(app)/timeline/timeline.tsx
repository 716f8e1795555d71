"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { downloadRows } from "@/lib/download-rows.ts";
import { dateFromInput, formatDateTime } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { TimelineEvent } from "@/lib/trpc-types.ts";
import { useInventories } from "@/lib/use-inventories.ts";

const KINDS: { kind: TimelineEvent["kind"]; label: string }[] = [
  { kind: "pacemaker", label: "Pacemaker" },
  { kind: "move", label: "Corral's moves" },
  { kind: "operator", label: "Operators" },
  { kind: "watch", label: "Watch" },
  { kind: "test", label: "Tests" },
];

/** The timeline of a cluster, narrowed to a VM, a node, kinds and a time range; exportable. */
export function Timeline() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const { inventories } = useInventories();
  const [clusterId, setClusterId] = useState(params.get("cluster") ?? "");
  const [vm, setVm] = useState(params.get("vm") ?? "");
  const [node, setNode] = useState(params.get("node") ?? "");
  const [kinds, setKinds] = useState<TimelineEvent["kind"][]>(KINDS.map((k) => k.kind));
  const [from, setFrom] = useState<Date | undefined>();
  const [to, setTo] = useState<Date | undefined>();
  const chosen = clusterId || inventories?.[0]?.clusterId || "";
  const inventory = inventories?.find((candidate) => candidate.clusterId === chosen);
  const events = useQuery({
    ...trpc.timeline.list.queryOptions({
      clusterId: chosen,
      vm: vm || undefined,
      node: node || undefined,
      kinds,
      from,
      to,
    }),
    enabled: chosen !== "",
    refetchInterval: 10_000,
  });
  return (
    <div className="space-y-4">
      <fieldset className="grid grid-cols-2 gap-3 md:grid-cols-5" aria-label="Filters">
        <Field label="Cluster">
          <Select
            value={chosen}
            data-testid="timeline-cluster"
            onChange={(e) => setClusterId(e.target.value)}
          >
            {inventories?.map((candidate) => (
              <option key={candidate.clusterId} value={candidate.clusterId}>
                {candidate.clusterName}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="VM">
          <Select value={vm} data-testid="timeline-vm" onChange={(e) => setVm(e.target.value)}>
            <option value="">Every VM</option>
            {inventory?.vms
              .filter((candidate) => candidate.resource)
              .map((candidate) => (
                <option key={candidate.name}>{candidate.resource?.id}</option>
              ))}
          </Select>
        </Field>
        <Field label="Node">
          <Select
            value={node}
            data-testid="timeline-node"
            onChange={(e) => setNode(e.target.value)}
          >
            <option value="">Every node</option>
            {inventory?.nodes.map((candidate) => (
              <option key={candidate.name}>{candidate.name}</option>
            ))}
          </Select>
        </Field>
        <Field label="From">
          <TextInput
            type="datetime-local"
            onChange={(e) => setFrom(dateFromInput(e.target.value))}
          />
        </Field>
        <Field label="To">
          <TextInput type="datetime-local" onChange={(e) => setTo(dateFromInput(e.target.value))} />
        </Field>
      </fieldset>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        {KINDS.map(({ kind, label }) => (
          <label key={kind} className="flex items-center gap-1">
            <input
              type="checkbox"
              data-testid={`timeline-kind-${kind}`}
              checked={kinds.includes(kind)}
              onChange={(e) =>
                setKinds((before) =>
                  e.target.checked ? [...before, kind] : before.filter((k) => k !== kind),
                )
              }
            />
            {label}
          </label>
        ))}
        <Button
          variant="secondary"
          data-testid="timeline-export-csv"
          disabled={!events.data}
          onClick={() => void downloadRows("corral-timeline", events.data ?? [], "csv")}
        >
          Export CSV
        </Button>
        <Button
          variant="secondary"
          data-testid="timeline-export-json"
          disabled={!events.data}
          onClick={() => void downloadRows("corral-timeline", events.data ?? [], "json")}
        >
          Export JSON
        </Button>
      </div>
      <ErrorBanner error={events.error} />
      {events.data && events.data.length === 0 ? (
        <EmptyState title="Nothing on this timeline" testId="timeline-empty">
          <p>Widen the time range, or choose more kinds, another VM or node.</p>
        </EmptyState>
      ) : null}
      <ol className="space-y-1 text-sm" data-testid="timeline">
        {events.data?.map((event, index) => (
          <li
            // Events have no id of their own: their place on the axis is stable per answer.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            data-testid="timeline-event"
            data-kind={event.kind}
            className="grid grid-cols-[11rem_6rem_1fr] gap-2 border-b border-slate-100 py-1 dark:border-slate-800"
          >
            <span className="text-slate-500">{formatDateTime(event.at)}</span>
            <span
              className={
                event.ok === false
                  ? "text-red-700 dark:text-red-400"
                  : "text-slate-600 dark:text-slate-400"
              }
            >
              {event.kind}
            </span>
            <span>
              <span className="font-medium">{event.who}</span>
              {event.vm ? ` · ${event.vm}` : ""}
              {event.node ? ` · ${event.node}` : ""}: {event.what}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
