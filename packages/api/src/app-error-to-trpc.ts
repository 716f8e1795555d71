import { AppError, type ErrorCode } from "@corral/core";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * The one mapping of Corral's error codes to tRPC (and so HTTP) codes. A Record, so a code added
 * to core/errors.ts does not compile until it is mapped here.
 */
const TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  NODE_UNREACHABLE: "BAD_GATEWAY",
  AUTH_FAILED: "BAD_GATEWAY",
  HOST_KEY_UNKNOWN: "PRECONDITION_FAILED",
  HOST_KEY_MISMATCH: "PRECONDITION_FAILED",
  SUDO_DENIED: "BAD_GATEWAY",
  COMMAND_TIMEOUT: "GATEWAY_TIMEOUT",
  COMMAND_FAILED: "BAD_GATEWAY",
  NOT_PACEMAKER_NODE: "PRECONDITION_FAILED",
  FOREIGN_CLUSTER: "CONFLICT",
  AGENT_INSTALL_FAILED: "BAD_GATEWAY",
  PARSE_ERROR: "BAD_GATEWAY",
  VM_RUNNING: "CONFLICT",
  VM_NOT_FOUND: "NOT_FOUND",
  VM_BUSY: "CONFLICT",
  RESOURCE_EXISTS: "CONFLICT",
  INVALID_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  CONFIG_INVALID: "INTERNAL_SERVER_ERROR",
  CREDENTIAL_UNREADABLE: "INTERNAL_SERVER_ERROR",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function appErrorToTRPC(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

/** The AppError code the UI shows a message for; tRPC's own failures map to the nearest. */
export function appCodeOf(error: TRPCError): ErrorCode {
  if (error.cause instanceof AppError) return error.cause.code;
  switch (error.code) {
    case "UNAUTHORIZED":
      return "UNAUTHENTICATED";
    case "FORBIDDEN":
      return "FORBIDDEN";
    case "BAD_REQUEST":
    case "PARSE_ERROR":
      return "INVALID_INPUT";
    case "NOT_FOUND":
      return "NOT_FOUND";
    case "CONFLICT":
      return "CONFLICT";
    case "TOO_MANY_REQUESTS":
      return "RATE_LIMITED";
    default:
      return "INTERNAL";
  }
}
