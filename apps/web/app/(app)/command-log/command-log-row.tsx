"use client";

import { Fragment, useState } from "react";
import { formatDateTime } from "@/lib/format.ts";
import type { CommandLogEntry } from "@/lib/trpc-types.ts";

/** argv for reading: items with spaces or quotes are shown quoted (display only, never run). */
function showArgv(argv: string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
}

function what(entry: CommandLogEntry): string {
  if (entry.kind === "command") return showArgv(entry.argv ?? []);
  const detail = Object.entries(entry.detail ?? {})
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${entry.action}${detail ? ` ${detail}` : ""}`;
}

export function CommandLogRow({
  entry,
  clusterNames,
}: {
  entry: CommandLogEntry;
  /** Cluster id to name; an id no longer registered shows as it is. */
  clusterNames: ReadonlyMap<string, string>;
}) {
  const [open, setOpen] = useState(false);
  const cluster = entry.clusterId ? (clusterNames.get(entry.clusterId) ?? entry.clusterId) : null;
  const where = [cluster, entry.node, entry.vm].filter(Boolean).join(" / ") || "Corral";
  const hasOutput = Boolean(entry.stdout || entry.stderr);
  return (
    <Fragment>
      <tr
        data-testid="command-log-row"
        data-kind={entry.kind}
        className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
      >
        <td className="px-3 py-2 whitespace-nowrap text-slate-600 dark:text-slate-400">
          <time dateTime={entry.startedAt.toISOString()}>{formatDateTime(entry.startedAt)}</time>
        </td>
        <td className="px-3 py-2">
          {/* No actor: Corral's own polling for a command, an anonymous caller for an action. */}
          {entry.actorName ?? (entry.kind === "command" ? "Corral" : "anonymous")}
        </td>
        <td className="px-3 py-2">{where}</td>
        <td className="px-3 py-2 font-mono text-xs break-all" data-testid="command-log-what">
          {what(entry)}
          {hasOutput ? (
            <button
              type="button"
              className="ml-2 font-sans text-indigo-700 underline dark:text-indigo-300"
              onClick={() => setOpen(!open)}
              aria-expanded={open}
            >
              {open ? "hide output" : "output"}
            </button>
          ) : null}
        </td>
        <td className="px-3 py-2 whitespace-nowrap" data-testid="command-log-result">
          <span
            className={
              entry.ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"
            }
          >
            {entry.ok ? "ok" : "failed"}
          </span>
          {entry.exitCode !== null ? (
            <span className="text-slate-500"> (exit {entry.exitCode})</span>
          ) : null}
        </td>
        <td className="px-3 py-2 text-right whitespace-nowrap text-slate-600 dark:text-slate-400">
          {entry.durationMs} ms
        </td>
      </tr>
      {open ? (
        <tr className="border-b border-slate-100 dark:border-slate-800">
          <td colSpan={6} className="px-3 pb-3">
            {entry.stdout ? (
              <pre className="max-h-80 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-950">
                {entry.stdout}
              </pre>
            ) : null}
            {entry.stderr ? (
              <pre className="mt-2 max-h-80 overflow-auto rounded bg-red-50 p-2 text-xs text-red-900 dark:bg-red-950 dark:text-red-200">
                {entry.stderr}
              </pre>
            ) : null}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
