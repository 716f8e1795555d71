import type { CommandLogEntry } from "./trpc-types.ts";

/**
 * Saves the command log entries as a file the browser downloads: JSON as the API answers them,
 * or CSV (papaparse's quoting) with one row per entry and the argv and detail as JSON text.
 */
export async function saveCommandLog(
  entries: CommandLogEntry[],
  format: "csv" | "json",
): Promise<void> {
  let body: string;
  if (format === "json") {
    body = JSON.stringify(entries, null, 2);
  } else {
    const { unparse } = await import("papaparse");
    body = unparse(
      entries.map((entry) => ({
        startedAt: new Date(entry.startedAt).toISOString(),
        kind: entry.kind,
        actor: entry.actorName ?? "",
        action: entry.action ?? "",
        clusterId: entry.clusterId ?? "",
        node: entry.node ?? "",
        vm: entry.vm ?? "",
        argv: entry.argv ? JSON.stringify(entry.argv) : "",
        ok: entry.ok,
        exitCode: entry.exitCode ?? "",
        durationMs: entry.durationMs,
        stdout: entry.stdout,
        stderr: entry.stderr,
        detail: entry.detail ? JSON.stringify(entry.detail) : "",
      })),
    );
  }
  const url = URL.createObjectURL(
    new Blob([body], { type: format === "json" ? "application/json" : "text/csv" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = `corral-command-log-${new Date().toISOString().replaceAll(":", "-")}.${format}`;
  link.click();
  URL.revokeObjectURL(url);
}
