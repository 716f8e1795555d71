/** How the UI writes durations, sizes and moments: one way each, on every page. */

/** Milliseconds as seconds with one decimal ("1.2 s"); `unknown` stands for a missing one. */
export function formatDuration(ms: number | null, unknown = "–"): string {
  return ms === null ? unknown : `${(ms / 1000).toFixed(1)} s`;
}

/** Bytes as mebibytes, the unit libvirt reports memory in, without the unit: "512", "1.5". */
export function formatMiB(bytes: number, fractionDigits = 1): string {
  return (bytes / 1024 ** 2).toFixed(fractionDigits);
}

/** A date and time in the browser's locale. */
export function formatDateTime(at: Date | string): string {
  return new Date(at).toLocaleString();
}

/** A time of day in the browser's locale, for moments of the last hours. */
export function formatTime(at: Date | string): string {
  return new Date(at).toLocaleTimeString();
}

/** A datetime-local input's value as a Date, or undefined while empty or incomplete. */
export function dateFromInput(value: string): Date | undefined {
  const at = value ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}
