/**
 * The one error vocabulary of Corral. Every failure that crosses a layer boundary carries one of
 * these codes; packages/api maps each code once to a tRPC code, apps/web maps it once to a
 * human message. Add a code here, never a new error class elsewhere.
 */
export const ERROR_CODES = [
  // Reaching a node
  "NODE_UNREACHABLE",
  "AUTH_FAILED",
  "HOST_KEY_UNKNOWN",
  "HOST_KEY_MISMATCH",
  "SUDO_DENIED",
  "COMMAND_TIMEOUT",
  "COMMAND_FAILED",
  // What a node turns out to be
  "NOT_PACEMAKER_NODE",
  "FOREIGN_CLUSTER",
  "AGENT_INSTALL_FAILED",
  "PARSE_ERROR",
  // Cluster and VM state
  "VM_RUNNING",
  "VM_NOT_FOUND",
  "VM_BUSY",
  "RESOURCE_EXISTS",
  // Requests
  "INVALID_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "CONFIG_INVALID",
  "CREDENTIAL_UNREADABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where on a cluster a failure happened, so the UI can say which node and which command. */
export interface ErrorContext {
  node?: string;
  /** The argv that failed, never a shell string (secrets are redacted before it gets here). */
  command?: readonly string[];
  exitCode?: number | null;
  stderr?: string;
}

export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: ErrorCode; message: string } & ErrorContext {
    return { code: this.code, message: this.message, ...this.context };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
