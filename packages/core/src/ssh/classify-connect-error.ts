import { AppError } from "../errors.ts";

type Ssh2Error = Error & { level?: string; code?: string };

const SOCKET_CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens on that port)",
  ECONNRESET: "connection reset by the peer",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
};

/** Socket-level and timeout failures: the node could not be reached at all. */
export function describeSocketFailure(error: Ssh2Error, host: string, port: number): AppError {
  const cause =
    (error.code && SOCKET_CAUSES[error.code]) ??
    (error.level === "client-timeout"
      ? "no SSH handshake within the timeout"
      : error.message || "unknown connection failure");
  return new AppError(
    "NODE_UNREACHABLE",
    `Cannot reach ${host}:${port}: ${cause}.`,
    { node: host },
    {
      cause: error,
    },
  );
}

/** Maps an ssh2 connection failure to the one error code the UI explains. */
export function classifyConnectError(
  error: Ssh2Error,
  target: { host: string; port: number; username: string },
): AppError {
  const { host, port, username } = target;
  if (error.level === "client-authentication") {
    return new AppError(
      "AUTH_FAILED",
      `${host}:${port} refused the credentials for user "${username}" (key or password not accepted).`,
      { node: host },
      { cause: error },
    );
  }
  if (/privateKey|private key|passphrase/i.test(error.message)) {
    return new AppError("INVALID_INPUT", `The private key cannot be used: ${error.message}.`, {
      node: host,
    });
  }
  return describeSocketFailure(error, host, port);
}
