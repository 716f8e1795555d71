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
  exitCode: number | null;
  startedAt: Date;
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface CommandLogSink {
  record(entry: CommandRecord): Promise<void>;
}

/** Output kept per stream in the log: enough to diagnose, small enough to keep for months. */
export const COMMAND_OUTPUT_LIMIT = 16 * 1024;
