/**
 * What Corral records of every command it runs on a node. core produces these records; the db
 * package stores them (packages/db implements CommandLogSink). Secrets never reach a record:
 * callers mark secret argv items and the executor redacts them before recording.
 */
export interface CommandRecord {
  /** The operator on whose behalf the command ran, or null for Corral's own polling. */
  actorId: string | null;
  clusterId: string | null;
  node: string;
  /** The VM the command concerns, when there is one (for filtering the log by VM). */
  vm: string | null;
  argv: readonly string[];
  /** The pool's own verdict (an exit code the caller accepts, see okExitCodes): what the log says. */
  ok: boolean;
  exitCode: number | null;
  startedAt: Date;
  durationMs: number;
  /** Each stream as the log keeps it: at most COMMAND_OUTPUT_LIMIT bytes (cutForLog). */
  stdout: string;
  stderr: string;
}

export interface CommandLogSink {
  record(entry: CommandRecord): Promise<void>;
}

/** Output kept per stream in the log: enough to diagnose, small enough to keep for months. */
export const COMMAND_OUTPUT_LIMIT = 16 * 1024;

/**
 * `text` as the command log keeps it: at most `limitBytes` bytes of UTF-8, cut on a character
 * boundary, then a note of how many bytes were cut. The one way anything is shortened for the
 * log, so every cut says the same thing and counts what was really lost.
 */
export function cutForLog(text: string, limitBytes: number): string {
  if (Buffer.byteLength(text) <= limitBytes) return text;
  const bytes = Buffer.from(text);
  let end = limitBytes;
  // A byte 10xxxxxx continues a character: cut before that character instead of through it.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  const cut = bytes.length - end;
  return `${bytes.subarray(0, end).toString()}\n[… ${cut.toLocaleString("en-US")} more bytes cut by Corral]`;
}
