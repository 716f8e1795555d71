import { AppError, type ErrorCode } from "@corral/core";
import { isAPIError } from "better-auth/api";

/** better-auth's API errors as AppErrors, keeping its message (it names what was wrong). */
function authErrorToAppError(error: unknown): unknown {
  if (!isAPIError(error)) return error;
  const body = (error.body ?? {}) as { code?: string; message?: string };
  const message = body.message ?? error.message;
  return new AppError(codeFor(error.statusCode, body.code), message, {}, { cause: error });
}

function codeFor(status: number, code: string | undefined): ErrorCode {
  if (code?.includes("ALREADY_EXIST")) return "CONFLICT";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 400 && status < 500) return "INVALID_INPUT";
  return "INTERNAL";
}

/** Calls better-auth's server API, turning its errors into AppErrors. */
export async function callAuth<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw authErrorToAppError(error);
  }
}
