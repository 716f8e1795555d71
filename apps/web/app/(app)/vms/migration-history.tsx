"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime, formatDuration } from "@/lib/format.ts";
import { useTRPC } from "@/lib/trpc.tsx";

/** Migrations and moves, newest first: of one VM, or of the whole cluster without `vm`. */
export function MigrationHistory({ clusterId, vm }: { clusterId: string; vm?: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const history = useQuery({
    ...trpc.vms.history.queryOptions({ clusterId, ...(vm ? { vm } : {}) }),
    enabled: open,
    refetchInterval: open ? 5_000 : false,
  });
  return (
    <details
      data-testid={vm ? "vm-history" : "cluster-history"}
      onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}
      className="text-xs"
    >
      <summary className="cursor-pointer text-slate-600 dark:text-slate-400">
        Migration history{vm ? "" : " of the cluster"}
      </summary>
      {history.data?.length === 0 ? <p>No migrations yet.</p> : null}
      <table className="mt-1 w-full">
        <tbody>
          {history.data?.map((entry) => (
            <tr key={entry.id} data-testid="history-row" data-result={entry.result}>
              <td>{formatDateTime(entry.startedAt)}</td>
              {vm ? null : <td>{entry.vm}</td>}
              <td>
                {entry.fromNode ?? "?"} → {entry.toNode}
              </td>
              <td>
                {entry.result === "restarted"
                  ? "restarted (not live)"
                  : entry.live
                    ? entry.result === "succeeded"
                      ? "live"
                      : "live asked"
                    : "stop/start"}
              </td>
              <td>{formatDuration(entry.durationMs, "")}</td>
              <td>{entry.actorName}</td>
              <td data-testid="history-result">
                {entry.result}
                {entry.error ? <span className="block text-slate-500">{entry.error}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
