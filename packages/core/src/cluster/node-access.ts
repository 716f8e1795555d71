import { sealSecret } from "../credentials/seal-secret.ts";
import type { HostKey } from "../ssh/host-key.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SealedCredentials } from "./registered-cluster.ts";

export interface NodeCredentials {
  username: string;
  privateKey?: string | undefined;
  passphrase?: string | undefined;
  password?: string | undefined;
}

export function toNodeTarget(
  id: string,
  endpoint: { host: string; port: number },
  credentials: NodeCredentials,
  hostKey: HostKey,
): NodeTarget {
  return {
    id,
    host: endpoint.host,
    port: endpoint.port,
    username: credentials.username,
    hostKey,
    ...(credentials.privateKey ? { privateKey: credentials.privateKey } : {}),
    ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}),
    ...(credentials.password ? { password: credentials.password } : {}),
  };
}

/** Seals each credential bound to the node id, so it opens only on that node's record. */
export function sealCredentials(
  credentials: NodeCredentials,
  key: Buffer,
  nodeId: string,
): SealedCredentials {
  const seal = (value: string | undefined) => (value ? sealSecret(value, key, nodeId) : null);
  return {
    privateKey: seal(credentials.privateKey),
    passphrase: seal(credentials.passphrase),
    password: seal(credentials.password),
  };
}
