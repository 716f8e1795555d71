import { describe, expect, it } from "vitest";
import { changeRestartsVm, resourceChangeArgv } from "./change-vm-resource.ts";
import { deleteVmResourceCommands } from "./delete-vm-resource.ts";

const params = { config: "/etc/pacemaker/web1.xml", hypervisor: "qemu:///system" };

describe("changes to a resource after create", () => {
  it("builds the exact pcs command of each kind", () => {
    expect(
      resourceChangeArgv("web1", { kind: "params", values: { migration_speed: "100" } }),
    ).toEqual(["pcs", "resource", "update", "web1", "migration_speed=100"]);
    expect(
      resourceChangeArgv("web1", { kind: "meta", values: { "allow-migrate": "false" } }),
    ).toEqual(["pcs", "resource", "meta", "web1", "allow-migrate=false"]);
    expect(
      resourceChangeArgv("web1", { kind: "op", name: "monitor", interval: "20s", timeout: "40s" }),
    ).toEqual([
      "pcs",
      "resource",
      "update",
      "web1",
      "op",
      "monitor",
      "interval=20s",
      "timeout=40s",
    ]);
  });

  it("says when Pacemaker restarts the VM: a changed agent option, not meta or an operation", () => {
    expect(
      changeRestartsVm({ params }, { kind: "params", values: { migration_speed: "100" } }),
    ).toBe(true);
    expect(
      changeRestartsVm({ params }, { kind: "params", values: { hypervisor: "qemu:///system" } }),
    ).toBe(false);
    expect(
      changeRestartsVm({ params }, { kind: "meta", values: { "allow-migrate": "false" } }),
    ).toBe(false);
    expect(
      changeRestartsVm(
        { params },
        { kind: "op", name: "monitor", interval: "20s", timeout: "40s" },
      ),
    ).toBe(false);
  });

  it("deletes in an order that never loses the VM: stop, delete, define, then files", () => {
    const commands = deleteVmResourceCommands({
      resource: "web1",
      domain: "web1",
      configPath: "/etc/pacemaker/web1.xml",
      defineOn: "node2",
      removeConfigs: true,
    });
    expect(commands.map((c) => [c.node, c.argv.slice(0, 4).join(" ")])).toEqual([
      [null, "pcs resource disable web1"],
      [null, "pcs resource delete web1"],
      ["node2", "virsh --connect qemu:///system define"],
      [null, expect.stringContaining("python3")],
    ]);
  });
});
