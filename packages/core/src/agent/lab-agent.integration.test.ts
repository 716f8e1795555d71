import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeHostKey } from "../ssh/host-key.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { runOnNodes } from "../ssh/run-on-nodes.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { ensureAgent } from "./install-agent.ts";
import { listNodeDomains } from "./list-node-domains.ts";
import { readAgentMetadataXml } from "./read-agent-metadata-xml.ts";
import { readNodeFacts } from "./read-node-facts.ts";

/**
 * The agent against the real lab (packages/lab). This suite runs its own lab instance so it
 * never collides with another helper's; it brings the lab up (idempotent) and down again.
 * core cannot depend on @corral/lab (the lab depends on core), so it drives the lab's CLI and
 * reads its lab.json contract directly.
 */
const LAB_ENV = {
  CORRAL_LAB_NAME: process.env.CORRAL_LAB_NAME ?? "corec",
  CORRAL_LAB_SUBNET: process.env.CORRAL_LAB_SUBNET ?? "10.213.77.0/24",
  CORRAL_LAB_DIR: process.env.CORRAL_LAB_DIR ?? "/var/lib/corral-lab/corec",
};
const LAB_CLI = fileURLToPath(new URL("../../../lab/bin/corral-lab", import.meta.url));

interface LabNodeInfo {
  name: string;
  address: string;
  sshPort: number;
  user: string;
  privateKeyPath: string;
  hostKeyFingerprint: string;
  hostKeyType: string;
}

function lab(...args: string[]) {
  return promisify(execFile)("bash", [LAB_CLI, ...args], {
    env: { ...process.env, ...LAB_ENV },
    timeout: 600_000,
  });
}

const pool = new SshPool({ log: { record: async () => {} } });
const bundle = readAgentBundle();
let labNodes: LabNodeInfo[];
let nodes: NodeTarget[];

beforeAll(async () => {
  await lab("up");
  const info = JSON.parse(await readFile(join(LAB_ENV.CORRAL_LAB_DIR, "lab.json"), "utf8"));
  labNodes = info.nodes;
  nodes = await Promise.all(
    labNodes.map(async (node) => ({
      id: node.name,
      host: node.address,
      port: node.sshPort,
      username: node.user,
      privateKey: await readFile(node.privateKeyPath, "utf8"),
      hostKey: { keyType: node.hostKeyType, fingerprint: node.hostKeyFingerprint },
    })),
  );
}, 600_000);

afterAll(async () => {
  await pool.close();
  if (process.env.CORRAL_LAB_KEEP !== "1") await lab("down");
}, 300_000);

describe("the agent on the lab", () => {
  it("sees the host keys the lab recorded with ssh-keygen -lf", async () => {
    for (const node of labNodes) {
      expect(expectOk(await probeHostKey(node.address, node.sshPort))).toEqual({
        keyType: node.hostKeyType,
        fingerprint: node.hostKeyFingerprint,
      });
    }
  });

  it("refuses a node whose host key is not the pinned one", async () => {
    const [first, second] = nodes as [NodeTarget, NodeTarget];
    const impostor = { ...first, id: "impostor", hostKey: second.hostKey };
    expect(await pool.run(impostor, ["true"])).toMatchObject({
      ok: false,
      error: { code: "HOST_KEY_MISMATCH" },
    });
  });

  it("installs the agent on every node in parallel, then finds it current", async () => {
    const installed = await runOnNodes(nodes, (node) => ensureAgent(pool, node, bundle));
    for (const { result } of installed) expect(expectOk(result).sha256).toBe(bundle.sha256);
    const again = await runOnNodes(nodes, (node) => ensureAgent(pool, node, bundle));
    expect(again.map(({ result }) => expectOk(result).changed)).toEqual(nodes.map(() => false));
  });

  it("reports facts that match the cluster", async () => {
    const facts = await runOnNodes(nodes, (node) => readNodeFacts(pool, node));
    for (const [index, { nodeId, result }] of facts.entries()) {
      const fact = expectOk(result);
      expect(fact.problems).toEqual([]);
      expect(fact.nodeName).toBe(nodeId);
      expect(fact.hostname).toBe(labNodes[index]?.name);
      expect(fact.quorate).toBe(true);
      expect(fact.membership?.map((member) => member.name).sort()).toEqual(
        labNodes.map((node) => node.name).sort(),
      );
      expect(Object.values(fact.versions).every((version) => typeof version === "string")).toBe(
        true,
      );
    }
    const clusterNames = new Set(facts.map(({ result }) => expectOk(result).clusterName));
    expect(clusterNames.size).toBe(1);
  });

  it("lists the domains exactly as virsh sees them", async () => {
    for (const node of nodes) {
      const domains = expectOk(await listNodeDomains(pool, node));
      const names = expectOk(await pool.run(node, ["virsh", "list", "--all", "--name"])).stdout;
      expect(domains.map((domain) => domain.name).sort()).toEqual(
        names.split("\n").filter(Boolean).sort(),
      );
      for (const domain of domains) {
        const state = expectOk(await pool.run(node, ["virsh", "domstate", domain.name]));
        expect(domain.state).toBe(state.stdout.trim());
        const uuid = expectOk(await pool.run(node, ["virsh", "domuuid", domain.name]));
        expect(domain.uuid).toBe(uuid.stdout.trim());
        expect(domain.disks.length).toBeGreaterThan(0);
      }
    }
    const node1Domains = expectOk(await listNodeDomains(pool, nodes[0] as NodeTarget));
    expect(node1Domains.find((domain) => domain.name === "db1")).toMatchObject({
      state: "running",
      persistent: true,
      vcpus: 1,
      memoryKiB: 96 * 1024,
      kernel: expect.stringMatching(/^\//),
    });
    expect(node1Domains.find((domain) => domain.name === "app1")).toMatchObject({
      autostart: true,
    });
  });

  it("returns the VirtualDomain agent's metadata", async () => {
    const metadata = expectOk(await readAgentMetadataXml(pool, nodes[0] as NodeTarget));
    expect(metadata.xml).toContain('<resource-agent name="VirtualDomain"');
  });
});
