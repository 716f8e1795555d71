"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, Select, TextInput } from "@/components/field.tsx";
import { downloadRows } from "@/lib/download-rows.ts";
import { dateFromInput } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";
import type { CommandLogFilter } from "@/lib/trpc-types.ts";
import { CommandLogRow } from "./command-log-row.tsx";

type Filter = Partial<
  Pick<CommandLogFilter, "actorId" | "node" | "vm" | "result" | "kind" | "from" | "to" | "polling">
>;

export function CommandLog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>({});
  const facets = useQuery(trpc.commandLog.facets.queryOptions());
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const clusterNames = new Map(
    (clusters.data ?? []).map((cluster) => [cluster.clusterId, cluster.clusterName]),
  );
  const log = useInfiniteQuery(
    trpc.commandLog.list.infiniteQueryOptions(
      { ...filter, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  // New entries arrive live: refetch the log and its filter choices when the server says so.
  useSubscription(
    trpc.commandLog.onChange.subscriptionOptions(undefined, {
      onData: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.commandLog.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.commandLog.facets.queryKey() });
      },
    }),
  );

  const choose = (key: keyof Filter) => (e: { target: { value: string } }) =>
    setFilter((f) => ({ ...f, [key]: e.target.value || undefined }));
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const filtered = Object.values(filter).some(Boolean);
  const exported = useQuery({
    ...trpc.commandLog.export.queryOptions(filter),
    enabled: false,
  });
  const download = async (format: "csv" | "json") => {
    const { data } = await exported.refetch();
    if (data) await downloadRows("corral-command-log", data.entries, format);
  };

  return (
    <div className="space-y-4">
      <fieldset
        className="grid grid-cols-2 gap-3 md:grid-cols-5"
        data-testid="command-log-filters"
        aria-label="Filters"
      >
        <Field label="User">
          <Select
            value={filter.actorId ?? ""}
            onChange={choose("actorId")}
            data-testid="filter-user"
          >
            <option value="">Anyone</option>
            {facets.data?.actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Node">
          <Select value={filter.node ?? ""} onChange={choose("node")} data-testid="filter-node">
            <option value="">Any node</option>
            {facets.data?.nodes.map((node) => (
              <option key={node}>{node}</option>
            ))}
          </Select>
        </Field>
        <Field label="VM">
          <Select value={filter.vm ?? ""} onChange={choose("vm")} data-testid="filter-vm">
            <option value="">Any VM</option>
            {facets.data?.vms.map((vm) => (
              <option key={vm}>{vm}</option>
            ))}
          </Select>
        </Field>
        <Field label="Result">
          <Select
            value={filter.result ?? ""}
            onChange={choose("result")}
            data-testid="filter-result"
          >
            <option value="">Any result</option>
            <option value="ok">Succeeded</option>
            <option value="failed">Failed</option>
          </Select>
        </Field>
        <Field label="Kind">
          <Select value={filter.kind ?? ""} onChange={choose("kind")} data-testid="filter-kind">
            <option value="">Actions and commands</option>
            <option value="action">Operator actions</option>
            <option value="command">Node commands</option>
          </Select>
        </Field>
        <Field label="From">
          <TextInput
            type="datetime-local"
            data-testid="filter-from"
            onChange={(e) => setFilter((f) => ({ ...f, from: dateFromInput(e.target.value) }))}
          />
        </Field>
        <Field label="To">
          <TextInput
            type="datetime-local"
            data-testid="filter-to"
            onChange={(e) => setFilter((f) => ({ ...f, to: dateFromInput(e.target.value) }))}
          />
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm md:col-span-2">
          <input
            type="checkbox"
            data-testid="filter-polling"
            checked={filter.polling ?? false}
            onChange={(e) => setFilter((f) => ({ ...f, polling: e.target.checked || undefined }))}
          />
          Include Corral's own polling (the watch's reads on the nodes)
        </label>
        <div className="flex items-end gap-2 pb-1">
          <Button
            variant="secondary"
            data-testid="command-log-export-csv"
            disabled={exported.isFetching}
            onClick={() => void download("csv")}
          >
            Export CSV
          </Button>
          <Button
            variant="secondary"
            data-testid="command-log-export-json"
            disabled={exported.isFetching}
            onClick={() => void download("json")}
          >
            Export JSON
          </Button>
        </div>
      </fieldset>
      {exported.data?.truncated ? (
        <p className="text-sm text-amber-700" data-testid="command-log-export-truncated">
          The export holds the newest {exported.data.entries.length} entries: narrow the time range
          for the rest.
        </p>
      ) : null}

      <ErrorBanner error={log.error ?? facets.error ?? exported.error} />
      {log.isSuccess && entries.length === 0 ? (
        <EmptyState
          title={filtered ? "Nothing matches these filters" : "Nothing logged yet"}
          testId="empty-command-log"
        >
          {filtered ? (
            <p>Clear a filter to see more.</p>
          ) : (
            <p>
              Actions (adding users, moving VMs, …) and every command Corral runs on a node are
              recorded here as they happen.
            </p>
          )}
        </EmptyState>
      ) : null}
      {entries.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="command-log-table">
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th className="px-3 py-2 font-medium">When</th>
                <th className="px-3 py-2 font-medium">Who</th>
                <th className="px-3 py-2 font-medium">Where</th>
                <th className="px-3 py-2 font-medium">What</th>
                <th className="px-3 py-2 font-medium">Result</th>
                <th className="px-3 py-2 text-right font-medium">Took</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <CommandLogRow key={entry.id} entry={entry} clusterNames={clusterNames} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() => void log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
          data-testid="command-log-more"
        >
          {log.isFetchingNextPage ? "Loading…" : "Load older entries"}
        </Button>
      ) : null}
    </div>
  );
}
