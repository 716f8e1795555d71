import type { HostKey } from "./host-key.ts";

/** How Corral reaches one node. Credentials are plaintext only in memory, opened per use. */
export interface NodeTarget {
  /** Stable identity of the node in the pool and in command records (usually its node name). */
  id: string;
  host: string;
  port: number;
  /** root, or a user allowed to run `sudo -n` without a password. */
  username: string;
  privateKey?: string;
  passphrase?: string;
  /** Only to bootstrap key installation; the pool prefers the key when both are given. */
  password?: string;
  /** The pinned host key: a connection presenting any other key is refused. */
  hostKey: HostKey;
}

export function needsSudo(node: NodeTarget): boolean {
  return node.username !== "root";
}

export function describeEndpoint(node: Pick<NodeTarget, "host" | "port">): string {
  return `${node.host}:${node.port}`;
}
