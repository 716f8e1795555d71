import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseVmResourceConfig } from "./read-vm-resource-config.ts";

describe("parseVmResourceConfig (recorded from the lab)", () => {
  it("reads the config path and allow-migrate of a VirtualDomain primitive", () => {
    const xml = readFileSync(
      new URL("./fixtures/cibadmin-primitive-web1.xml", import.meta.url),
      "utf8",
    );
    expect(parseVmResourceConfig(xml)).toEqual({
      id: "web1",
      configPath: "/etc/pacemaker/web1.xml",
      allowMigrate: true,
      targetRole: null,
      params: {
        config: "/etc/pacemaker/web1.xml",
        hypervisor: "qemu:///system",
        migration_transport: "ssh",
      },
      meta: { "allow-migrate": "true" },
      ops: [
        { name: "migrate_from", interval: "0s", timeout: "60s" },
        { name: "migrate_to", interval: "0s", timeout: "120s" },
        { name: "monitor", interval: "10s", timeout: null },
        { name: "start", interval: "0s", timeout: "90s" },
        { name: "stop", interval: "0s", timeout: "90s" },
      ],
    });
  });

  it("reads a missing allow-migrate as false, and target-role", () => {
    const xml = `<primitive id="db1" class="ocf" type="VirtualDomain" provider="heartbeat">
      <instance_attributes id="i"><nvpair id="c" name="config" value="/etc/pacemaker/db1.xml"/></instance_attributes>
      <meta_attributes id="m"><nvpair id="t" name="target-role" value="Stopped"/></meta_attributes></primitive>`;
    expect(parseVmResourceConfig(xml)).toMatchObject({
      allowMigrate: false,
      targetRole: "Stopped",
    });
  });

  it("refuses output without a primitive", () => {
    expect(() => parseVmResourceConfig("<nothing/>")).toThrow(/no <primitive>/);
  });
});
