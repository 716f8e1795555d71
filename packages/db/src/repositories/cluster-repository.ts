import type {
  ClusterRegistry,
  HostKey,
  NewNode,
  NodeHealthUpdate,
  NodeVersions,
  RegisteredCluster,
  RegisteredNode,
} from "@corral/core";
import type { DbClient } from "../create-database.ts";
import type { Cluster, ClusterNode } from "../generated/sqlite/client.ts";

/** Clusters and their nodes, with credentials only ever in their sealed form. */
export class ClusterRepository implements ClusterRegistry {
  constructor(private readonly db: DbClient) {}

  async listClusters(): Promise<RegisteredCluster[]> {
    const rows = await this.db.cluster.findMany({
      include: { nodes: { orderBy: { name: "asc" } } },
      orderBy: { name: "asc" },
    });
    return rows.map(toCluster);
  }

  async findCluster(id: string): Promise<RegisteredCluster | null> {
    const row = await this.db.cluster.findUnique({
      where: { id },
      include: { nodes: { orderBy: { name: "asc" } } },
    });
    return row ? toCluster(row) : null;
  }

  async findClusterByName(name: string): Promise<RegisteredCluster | null> {
    const row = await this.db.cluster.findUnique({
      where: { name },
      include: { nodes: { orderBy: { name: "asc" } } },
    });
    return row ? toCluster(row) : null;
  }

  async findNode(id: string): Promise<RegisteredNode | null> {
    const row = await this.db.clusterNode.findUnique({ where: { id } });
    return row ? toNode(row) : null;
  }

  async findNodeByEndpoint(host: string, port: number): Promise<RegisteredNode | null> {
    const row = await this.db.clusterNode.findUnique({ where: { host_port: { host, port } } });
    return row ? toNode(row) : null;
  }

  async registerCluster(
    cluster: { id: string; name: string },
    nodes: NewNode[],
  ): Promise<RegisteredCluster> {
    await this.db.cluster.create({
      data: { ...cluster, nodes: { create: nodes.map(toNodeData) } },
    });
    return this.mustFind(cluster.id);
  }

  async addNodes(clusterId: string, nodes: NewNode[]): Promise<RegisteredCluster> {
    await this.db.$transaction(
      nodes.map((node) => this.db.clusterNode.create({ data: { ...toNodeData(node), clusterId } })),
    );
    return this.mustFind(clusterId);
  }

  async updateNodeHealth(nodeId: string, update: NodeHealthUpdate): Promise<void> {
    const data =
      "seen" in update
        ? {
            lastSeenAt: update.seen,
            lastErrorCode: null,
            lastError: null,
            presentedKeyType: null,
            presentedFingerprint: null,
            ...(update.agentVersion === undefined ? {} : { agentVersion: update.agentVersion }),
            ...(update.versions === undefined ? {} : { versions: JSON.stringify(update.versions) }),
          }
        : {
            lastErrorCode: update.error.code,
            lastError: update.error.message,
            ...(update.presentedHostKey
              ? {
                  presentedKeyType: update.presentedHostKey.keyType,
                  presentedFingerprint: update.presentedHostKey.fingerprint,
                }
              : {}),
          };
    await this.db.clusterNode.updateMany({ where: { id: nodeId }, data });
  }

  async replaceHostKey(nodeId: string, hostKey: HostKey): Promise<void> {
    await this.db.clusterNode.update({
      where: { id: nodeId },
      data: {
        hostKeyType: hostKey.keyType,
        hostKeyFingerprint: hostKey.fingerprint,
        presentedKeyType: null,
        presentedFingerprint: null,
        lastErrorCode: null,
        lastError: null,
      },
    });
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.db.clusterNode.deleteMany({ where: { id: nodeId } });
  }

  async removeCluster(clusterId: string): Promise<void> {
    await this.db.cluster.deleteMany({ where: { id: clusterId } });
  }

  private async mustFind(id: string): Promise<RegisteredCluster> {
    const cluster = await this.findCluster(id);
    if (!cluster) throw new Error(`cluster ${id} vanished right after it was written`);
    return cluster;
  }
}

function toNodeData(node: NewNode) {
  return {
    id: node.id,
    name: node.name,
    host: node.host,
    port: node.port,
    username: node.username,
    hostKeyType: node.hostKey.keyType,
    hostKeyFingerprint: node.hostKey.fingerprint,
    sealedPrivateKey: node.sealed.privateKey,
    sealedPassphrase: node.sealed.passphrase,
    sealedPassword: node.sealed.password,
    agentVersion: node.agentVersion,
    versions: node.versions ? JSON.stringify(node.versions) : null,
    lastSeenAt: node.lastSeenAt,
  };
}

function toCluster(row: Cluster & { nodes: ClusterNode[] }): RegisteredCluster {
  return { id: row.id, name: row.name, createdAt: row.createdAt, nodes: row.nodes.map(toNode) };
}

function toNode(row: ClusterNode): RegisteredNode {
  return {
    id: row.id,
    clusterId: row.clusterId,
    name: row.name,
    host: row.host,
    port: row.port,
    username: row.username,
    hostKey: { keyType: row.hostKeyType, fingerprint: row.hostKeyFingerprint },
    presentedHostKey:
      row.presentedKeyType && row.presentedFingerprint
        ? { keyType: row.presentedKeyType, fingerprint: row.presentedFingerprint }
        : null,
    sealed: {
      privateKey: row.sealedPrivateKey,
      passphrase: row.sealedPassphrase,
      password: row.sealedPassword,
    },
    agentVersion: row.agentVersion,
    versions: row.versions ? (JSON.parse(row.versions) as NodeVersions) : null,
    lastSeenAt: row.lastSeenAt,
    lastError:
      row.lastErrorCode && row.lastError
        ? { code: row.lastErrorCode, message: row.lastError }
        : null,
  };
}
