import { TRPCClientError } from "@trpc/client";
import type { CorralClientError, ErrorCode } from "@/lib/trpc-types.ts";

/**
 * The one place error codes become words for the operator. Codes whose server message names the
 * specific problem (which field, which node) show that message; the rest a fixed sentence.
 */
const MESSAGE: Record<ErrorCode, string | null> = {
  NODE_UNREACHABLE: null,
  AUTH_FAILED: null,
  HOST_KEY_UNKNOWN: null,
  HOST_KEY_MISMATCH: null,
  SUDO_DENIED: null,
  COMMAND_TIMEOUT: null,
  COMMAND_FAILED: null,
  NOT_PACEMAKER_NODE: null,
  FOREIGN_CLUSTER: null,
  AGENT_INSTALL_FAILED: null,
  PARSE_ERROR: null,
  VM_RUNNING: null,
  VM_NOT_FOUND: null,
  VM_BUSY: null,
  RESOURCE_EXISTS: null,
  INVALID_INPUT: null,
  NOT_FOUND: null,
  CONFLICT: null,
  UNAUTHENTICATED: "Your session has ended. Sign in again.",
  FORBIDDEN: "Your role does not allow this. Ask an admin.",
  RATE_LIMITED: "Too many attempts. Wait a minute and try again.",
  CONFIG_INVALID: "Corral is misconfigured. See the server log.",
  CREDENTIAL_UNREADABLE:
    "A stored node credential cannot be decrypted: the credential key has changed. Enter the credential again.",
  INTERNAL: "Something went wrong on the server. See the server log.",
};

/** Every error from the tRPC client is one of Corral's router's. */
function isCorralClientError(error: unknown): error is CorralClientError {
  return error instanceof TRPCClientError;
}

export function errorMessage(error: unknown): string {
  if (isCorralClientError(error)) {
    const code = error.data?.appCode;
    return (code && MESSAGE[code]) || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
