import type { AgentBundle } from "@corral/agent";
import type { AgentLocation } from "../agent/agent-layout.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import type { ClusterRegistry } from "./registered-cluster.ts";

/** What the cluster operations work with; the server builds it once. */
export interface ClusterServices {
  pool: SshPool;
  registry: ClusterRegistry;
  /** Seals and opens node credentials (loadCredentialKey). */
  credentialKey: Buffer;
  agent: AgentBundle;
  /** Where the agent lives on nodes; only tests against a local sshd move it. */
  agentLocation?: AgentLocation;
}

/** Who caused the commands an operation runs, for the command log. */
export interface Actor {
  actorId: string | null;
}
