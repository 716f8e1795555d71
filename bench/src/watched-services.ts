import { readAgentBundle } from "@corral/agent";
import { type CommandRecord, SshPool } from "@corral/core";
import { ClusterRepository } from "@corral/db";
import { createTestDatabase } from "@corral/db/testing";

/**
 * What a ClusterMonitor needs in a bench, on a throwaway SQLite database: a pool that keeps
 * every command it runs (`commands`, to count them per node and minute) and the real agent.
 */
export async function watchedServices() {
  const test = await createTestDatabase("sqlite");
  const commands: CommandRecord[] = [];
  const pool = new SshPool({ log: { record: async (entry) => void commands.push(entry) } });
  return {
    commands,
    test,
    services: {
      pool,
      registry: new ClusterRepository(test.database.client),
      credentialKey: Buffer.alloc(32, 7),
      agent: readAgentBundle(),
    },
  };
}
