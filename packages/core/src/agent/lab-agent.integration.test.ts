import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeHostKey } from "../ssh/host-key.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { runOnNodes } from "../ssh/run-on-nodes.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { startTestLab, type TestLab } from "../testing/test-lab.ts";
import { ensureAgent } from "./install-agent.ts";
import { listNodeDomains } from "./list-node-domains.ts";
import { readAgentMetadataXml } from "./read-agent-metadata-xml.ts";
import { readNodeFacts } from "./read-node-facts.ts";

/**
 * The agent against the real lab (packages/lab), on this suite's own lab instance so it never
 * collides with another helper's; it brings the lab up (idempotent) and down again.
 */

const pool = new SshPool({ log: { record: async () => {} } });
const bundle = readAgentBundle();
let lab: TestLab;
let nodes: NodeTarget[];

beforeAll(async () => {
  lab = await startTestLab({ name: "corec", subnet: "10.213.77.0/24" });
  nodes = lab.nodes;
}, 600_000);

afterAll(async () => {
  await pool.close();
  await lab?.down();
}, 300_000);

describe("the agent on the lab", () => {
  it("sees the host keys the lab recorded with ssh-keygen -lf", async () => {
    for (const node of nodes) {
      expect(expectOk(await probeHostKey(node.host, node.port))).toEqual(node.hostKey);
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
      expect(fact.hostname).toBe(nodes[index]?.id);
      expect(fact.quorate).toBe(true);
      expect(fact.membership?.map((member) => member.name).sort()).toEqual(
        nodes.map((node) => node.id).sort(),
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
      const { domains, unreadable } = expectOk(await listNodeDomains(pool, node));
      expect(unreadable).toEqual([]);
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
    const node1Domains = expectOk(await listNodeDomains(pool, nodes[0] as NodeTarget)).domains;
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
