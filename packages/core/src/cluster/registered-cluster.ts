import type { HostKey } from "../ssh/host-key.ts";

/** Credentials sealed with sealSecret, bound to the node id; null when not given. */
export interface SealedCredentials {
  privateKey: string | null;
  passphrase: string | null;
  password: string | null;
}

/** The component versions a node reported when Corral last inspected it. */
export interface NodeVersions {
  pacemaker: string | null;
  corosync: string | null;
  pcs: string | null;
  libvirt: string | null;
  qemu: string | null;
  resourceAgents: string | null;
}

export interface NodeProblem {
  code: string;
  message: string;
}

/** A node as Corral keeps it (packages/db stores it). */
export interface RegisteredNode {
  id: string;
  clusterId: string;
  /** The Pacemaker node name. */
  name: string;
  host: string;
  port: number;
  username: string;
  /** The pinned host key. */
  hostKey: HostKey;
  /** Another key the node presented since, waiting for an admin to replace the pin. */
  presentedHostKey: HostKey | null;
  sealed: SealedCredentials;
  agentVersion: string | null;
  versions: NodeVersions | null;
  lastSeenAt: Date | null;
  lastError: NodeProblem | null;
}

export interface RegisteredCluster {
  id: string;
  name: string;
  createdAt: Date;
  nodes: RegisteredNode[];
}

/** What a repository must keep of a node that passed every check. */
export type NewNode = Omit<RegisteredNode, "clusterId" | "presentedHostKey" | "lastError">;

/** Health of a node as the last contact left it. */
export type NodeHealthUpdate =
  | { seen: Date; agentVersion?: string; versions?: NodeVersions }
  | { error: NodeProblem; presentedHostKey?: HostKey };

/**
 * Where registered clusters live. packages/db implements it; core's operations only use this,
 * so they stay free of Prisma and run the same against SQLite and PostgreSQL.
 */
export interface ClusterRegistry {
  listClusters(): Promise<RegisteredCluster[]>;
  findCluster(id: string): Promise<RegisteredCluster | null>;
  findClusterByName(name: string): Promise<RegisteredCluster | null>;
  findNode(id: string): Promise<RegisteredNode | null>;
  findNodeByEndpoint(host: string, port: number): Promise<RegisteredNode | null>;
  /** One transaction: the cluster and its first nodes, or nothing. */
  registerCluster(
    cluster: { id: string; name: string },
    nodes: NewNode[],
  ): Promise<RegisteredCluster>;
  /** One transaction: all the nodes, or none. */
  addNodes(clusterId: string, nodes: NewNode[]): Promise<RegisteredCluster>;
  updateNodeHealth(nodeId: string, update: NodeHealthUpdate): Promise<void>;
  replaceHostKey(nodeId: string, hostKey: HostKey): Promise<void>;
  removeNode(nodeId: string): Promise<void>;
  removeCluster(clusterId: string): Promise<void>;
}
