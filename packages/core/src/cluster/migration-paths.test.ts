import { describe, expect, it } from "vitest";
import { testInventory, testVm } from "../testing/inventory-fixtures.ts";
import type { Inventory, InventoryNode, InventoryVm, VmResource } from "./inventory.types.ts";
import type { DomainResource } from "./list-domain-resources.ts";
import {
  isHostKeyFailure,
  migrationPlanKey,
  plannedMigrationPaths,
  probePeriodMs,
} from "./migration-paths.ts";

function vm(name: string, resource: Partial<VmResource> | null): InventoryVm {
  return testVm({
    name,
    resource:
      resource && ({ id: name, allowMigrate: true, allowedNodes: null, ...resource } as VmResource),
  });
}

const inventory = (vms: InventoryVm[], nodeStates: InventoryNode["state"][]): Inventory =>
  testInventory({ vms, nodeStates });

const wizard = { hypervisor: "qemu:///system", migration_transport: "ssh" };
const resources = (params: Record<string, Record<string, string>>): DomainResource[] =>
  Object.entries(params).map(([id, own]) => {
    const config = `/etc/pacemaker/${id}.xml`;
    return {
      id,
      config,
      params: { config, ...own },
      stickiness: "1",
      allowMigrate: true,
      managed: true,
      domain: id,
      uuid: null,
      problem: null,
    };
  });

describe("plannedMigrationPaths", () => {
  it("takes every ordered pair of each VM's allowed nodes once, with the URI its migrate_to builds", () => {
    const plan = plannedMigrationPaths(
      inventory(
        [
          vm("web1", { allowedNodes: ["node1", "node2"] }),
          vm("app1", {}),
          vm("db1", { allowMigrate: false }),
          vm("free1", null),
        ],
        ["online", "online", "standby"],
      ),
      resources({ web1: wizard, app1: wizard, db1: wizard }),
    );
    expect(plan.complete).toBe(true);
    expect(plan.paths.map((path) => [path.from, path.to, path.uri, path.vms])).toEqual([
      ["node1", "node2", "qemu+ssh://node2/system", 2],
      ["node1", "node3", "qemu+ssh://node3/system", 1],
      ["node2", "node1", "qemu+ssh://node1/system", 2],
      ["node2", "node3", "qemu+ssh://node3/system", 1],
      ["node3", "node1", "qemu+ssh://node1/system", 1],
      ["node3", "node2", "qemu+ssh://node2/system", 1],
    ]);
  });

  it("keeps VMs whose parameters differ on their own paths", () => {
    const plan = plannedMigrationPaths(
      inventory([vm("web1", {}), vm("tls1", {})], ["online", "online"]),
      resources({ web1: wizard, tls1: {} }),
    );
    expect(plan.paths.map((path) => [path.from, path.uri])).toEqual([
      ["node1", "qemu://node2/system"],
      ["node1", "qemu+ssh://node2/system"],
      ["node2", "qemu://node1/system"],
      ["node2", "qemu+ssh://node1/system"],
    ]);
  });

  it("leaves out a node that cannot migrate now, and says the plan is not complete", () => {
    const plan = plannedMigrationPaths(
      inventory([vm("web1", {})], ["online", "online", "unreachable"]),
      resources({ web1: wizard }),
    );
    expect(plan.complete).toBe(false);
    expect(plan.paths.map((path) => `${path.from}>${path.to}`)).toEqual([
      "node1>node2",
      "node2>node1",
    ]);
    expect(migrationPlanKey(plan)).not.toBe(migrationPlanKey({ ...plan, complete: true }));
  });
});

// virsh's own words on the lab (libvirt 9, OpenSSH 9.2), as probeRemoteUri joins them: node1's
// known_hosts holding another key for node3, holding none, and a name that does not resolve.
const said = (stderr: string) =>
  `node1 cannot connect to qemu+ssh://node3/system: ${stderr
    .split("\n")
    .map((line) => line.replace(/^error:\s*/, "").trim())
    .filter(Boolean)
    .join(" ")}`;

describe("probePeriodMs", () => {
  it("keeps the set period for a small cluster and paces a large one at a path a second", () => {
    // 3 nodes: 6 paths; 32 nodes: 32 x 31 paths.
    expect(probePeriodMs(6, 300_000)).toBe(300_000);
    expect(probePeriodMs(0, 300_000)).toBe(300_000);
    expect(probePeriodMs(32 * 31, 300_000)).toBe(992_000);
  });
});

describe("isHostKeyFailure", () => {
  it("tells ssh's host key refusals from other failures", () => {
    expect(
      isHostKeyFailure(
        said(`error: failed to connect to the hypervisor
error: Cannot recv data: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Host key for node3 has changed and you have requested strict checking.
Host key verification failed.: Connection reset by peer`),
      ),
    ).toBe(true);
    expect(
      isHostKeyFailure(
        said(`error: failed to connect to the hypervisor
error: Cannot recv data: Host key verification failed.: Connection reset by peer`),
      ),
    ).toBe(true);
    expect(
      isHostKeyFailure(
        said(`error: failed to connect to the hypervisor
error: Cannot recv data: ssh: Could not resolve hostname nodex: Temporary failure in name resolution: Connection reset by peer`),
      ),
    ).toBe(false);
  });
});
