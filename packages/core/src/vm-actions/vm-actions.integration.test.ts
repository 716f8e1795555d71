import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeTarget } from "../ssh/node-target.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { startTestLab, type TestLab } from "../testing/test-lab.ts";
import { waitForResourceRole } from "./wait-for-resource-role.ts";

/** The VM operations against a real lab (own instance "vms"), resources made with pcs. */
let lab: TestLab;
const pool = new SshPool({ log: { record: async () => {} } });

/** Puts the guest's XML in /etc/pacemaker on every node and makes it a VirtualDomain resource. */
async function createResource(vm: string, options: { allowMigrate: boolean; disabled?: boolean }) {
  await lab.ssh("node1", `virsh dumpxml ${vm} > /srv/shared/${vm}.xml`);
  for (const node of lab.nodes) {
    await lab.ssh(
      node.id,
      `mkdir -p /etc/pacemaker && cp /srv/shared/${vm}.xml /etc/pacemaker/${vm}.xml`,
    );
  }
  await lab.ssh(
    "node1",
    `virsh undefine ${vm} >/dev/null; pcs resource create ${vm} ocf:heartbeat:VirtualDomain config=/etc/pacemaker/${vm}.xml hypervisor=qemu:///system migration_transport=ssh meta allow-migrate=${options.allowMigrate} ${options.disabled ? "target-role=Stopped" : ""} op monitor interval=10s`,
  );
}

beforeAll(async () => {
  lab = await startTestLab({ name: "vms", subnet: "10.213.111.0/24" });
  await lab.reset();
}, 600_000);

afterAll(async () => {
  pool.close();
  await lab?.down();
}, 300_000);

describe("waitForResourceRole", () => {
  it("returns once pacemaker reports the role on the node, and what it last saw on a timeout", async () => {
    await createResource("web1", { allowMigrate: true });
    const started = await waitForResourceRole(pool, lab.nodes, {
      resource: "web1",
      role: "Started",
      node: "node1",
      timeoutMs: 60_000,
    });
    expect(started.ok).toBe(true);
    expect(started.lastSeen?.resource).toMatchObject({ role: "Started", nodes: ["node1"] });

    const never = await waitForResourceRole(pool, lab.nodes, {
      resource: "web1",
      role: "Started",
      node: "node3",
      timeoutMs: 1_500,
    });
    expect(never.ok).toBe(false);
    if (!never.ok) {
      expect(never.error.code).toBe("COMMAND_TIMEOUT");
      expect(never.error.message).toMatch(
        /web1 did not reach Started on node3 within 2 s; last seen: Started on node1/,
      );
    }
    expect(never.lastSeen?.resource?.nodes).toEqual(["node1"]);
  });

  it("keeps waiting through a node that does not answer", async () => {
    const [first] = lab.nodes as [NodeTarget];
    const unreachable = { ...first, id: "gone", host: "127.0.0.1", port: 1 };
    const seen = await waitForResourceRole(pool, [unreachable, ...lab.nodes], {
      resource: "web1",
      role: "Started",
      timeoutMs: 30_000,
    });
    expect(seen.ok).toBe(true);
  });

  it("sees a resource that does not exist as absent", async () => {
    const absent = await waitForResourceRole(pool, lab.nodes, {
      resource: "nosuchvm",
      role: "Started",
      timeoutMs: 500,
    });
    expect(absent.ok).toBe(false);
    expect(absent.lastSeen).toMatchObject({ resource: null });
    if (!absent.ok) expect(absent.error.message).toMatch(/last seen: not in the cluster status/);
  });
});
