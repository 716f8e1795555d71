import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { quoteArgv } from "../shell/quote-argv.ts";
import {
  buildResourceCreateCommand,
  defaultResourceOptions,
  type ResourceOptions,
  validateResourceOptions,
} from "./build-resource-create-command.ts";
import {
  composeMigrationHost,
  LIVE_MIGRATION_PARAMS,
  migrationRemoteUri,
} from "./check-migration-readiness.ts";
import { describeUncheckable, listDomainStorage } from "./check-storage.ts";
import { storageSourceArgs } from "./check-storage-sources.ts";
import { configPathSchema, resourceNameSchema } from "./onboarding-schemas.ts";

const fixture = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const metadata = parseAgentMetadata(fixture("../inventory/fixtures/virtualdomain-metadata.xml"));

function withParams(params: Record<string, string>): ResourceOptions {
  return { ...defaultResourceOptions(metadata), params };
}

describe("the config path", () => {
  it("accepts the guide's default and refuses libvirt's own directories", () => {
    expect(configPathSchema.safeParse("/etc/pacemaker/web1.xml").success).toBe(true);
    for (const path of [
      "/etc/libvirt/qemu/web1.xml",
      "/var/lib/libvirt/qemu/x.xml",
      "/run/libvirt/a",
    ]) {
      const parsed = configPathSchema.safeParse(path);
      expect(parsed.error?.issues[0]?.message).toContain("libvirt");
    }
    for (const path of ["relative.xml", "/etc/pacemaker/", "/etc/../etc/libvirt/x.xml", "/a//b"]) {
      expect(configPathSchema.safeParse(path).success, path).toBe(false);
    }
  });

  it("refuses a newline or any other control character", () => {
    for (const control of ["\n", "\r", "\x1b", "\t", "\x7f", "\u0085", "\u2028"]) {
      const parsed = configPathSchema.safeParse(`/etc/pacemaker/web1${control}.xml`);
      expect(parsed.success, JSON.stringify(control)).toBe(false);
    }
  });

  it("refuses what the agent would expand unquoted: whitespace, quotes, $, backticks, ;", () => {
    expect(configPathSchema.safeParse("/etc/pacemaker/vm_1-a.b+c@d.xml").success).toBe(true);
    for (const path of [
      "/etc/pacemaker/web 1.xml",
      "/etc/pacemaker/$(id).xml",
      "/etc/pacemaker/a;b.xml",
      "/etc/pacemaker/`id`.xml",
      "/etc/pacemaker/'a'.xml",
      '/etc/pacemaker/"a".xml',
      "/etc/pacemaker/a\tb.xml",
      "/etc/pacemaker/a\nb.xml",
      "/etc/pacemaker/*.xml",
    ]) {
      const parsed = configPathSchema.safeParse(path);
      expect(parsed.success, path).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message).join(" ")).toContain("unquoted");
    }
  });

  it("takes resource names pacemaker takes", () => {
    expect(resourceNameSchema.safeParse("vm_web-1.a").success).toBe(true);
    for (const name of ["", "1vm", "vm web", "vm;rm", "a".repeat(65)]) {
      expect(resourceNameSchema.safeParse(name).success, name).toBe(false);
    }
  });
});

describe("listDomainStorage", () => {
  it("lists kernel, initrd and disks of the lab's web1 as virsh dumped it", () => {
    expect(listDomainStorage(fixture("./fixtures/virsh-dumpxml-web1.xml"))).toEqual({
      paths: [
        { path: "/srv/shared/boot/vmlinuz", use: "kernel" },
        { path: "/srv/shared/boot/initrd.img", use: "initrd" },
        { path: "/srv/shared/images/web1.img", use: "disk vda" },
      ],
      uncheckable: [],
    });
  });

  it("skips empty CD-ROMs, keeps filesystems, loader and NVRAM", () => {
    const xml = `<domain><os><loader>/usr/share/OVMF/OVMF_CODE.fd</loader><nvram>/var/lib/nv/x.fd</nvram></os><devices>
      <disk type='file' device='cdrom'><target dev='hdc'/></disk>
      <disk type='block' device='disk'><source dev='/dev/vg/lv'/><target dev='vdb'/></disk>
      <filesystem type='mount'><source dir='/srv/data'/><target dir='data'/></filesystem>
    </devices></domain>`;
    expect(listDomainStorage(xml).paths).toEqual([
      { path: "/usr/share/OVMF/OVMF_CODE.fd", use: "loader" },
      { path: "/var/lib/nv/x.fd", use: "nvram" },
      { path: "/dev/vg/lv", use: "disk vdb" },
      { path: "/srv/data", use: "filesystem data" },
    ]);
  });

  // Written by hand, accepted by virt-xml-validate and dumped by `virsh -c test:///default`.
  it("lists backing chains, NVRAM sources, dtb and ACPI tables, exactly as written", () => {
    const storage = listDomainStorage(fixture("./fixtures/virsh-dumpxml-shapes1.xml"));
    expect(storage.paths).toEqual([
      { path: "/srv/shared/boot/vmlinuz ", use: "kernel" },
      { path: "/srv/shared/boot/initrd.img", use: "initrd" },
      { path: "/srv/shared/boot/board.dtb", use: "dtb" },
      { path: "/usr/share/OVMF/OVMF_CODE.fd", use: "loader" },
      { path: "/srv/shared/nvram/shapes1_VARS.fd", use: "nvram" },
      { path: "/usr/share/OVMF/OVMF_VARS.fd", use: "nvram template" },
      { path: "/srv/shared/acpi/slic.dat", use: "acpi table slic" },
      { path: "/srv/shared/images/shapes1-top.qcow2", use: "disk vda" },
      { path: "/srv/shared/images/shapes1-mid.qcow2", use: "disk vda backing 1" },
      { path: "/dev/vg0/shapes1-base", use: "disk vda backing 2" },
      { path: "/srv/shared/images/trailing space ", use: "disk vdg" },
      { path: "/srv/shared/data", use: "filesystem data" },
    ]);
    expect(storage.uncheckable.map(describeUncheckable)).toEqual([
      "not checkable from the node: network, rbd rbdpool/shapes1-data (disk vdb)",
      "not checkable from the node: network, iscsi iqn.2013-07.com.example:iscsi-pool/1 (disk vdc)",
      "not checkable from the node: volume, lvpool/shapes1-logs (disk vdd)",
      "not checkable from the node: nvme, pci 0000:01:00.0 namespace 1 (disk vde)",
      "not checkable from the node: vhostuser, /run/vhost/shapes1-blk.sock (disk vdf)",
    ]);
    expect(storage.uncheckable[0]?.hosts).toEqual([
      { name: "ceph-mon1.example.com", port: "6789" },
      { name: "ceph-mon2.example.com", port: "6789" },
    ]);
  });

  it("turns volumes and network hosts into the checks a node can make", () => {
    const { uncheckable } = listDomainStorage(fixture("./fixtures/virsh-dumpxml-shapes1.xml"));
    expect(uncheckable.flatMap(storageSourceArgs)).toEqual([
      "host=ceph-mon1.example.com:6789",
      "host=ceph-mon2.example.com:6789",
      "host=192.0.2.20:3260",
      "volume=lvpool/shapes1-logs",
    ]);
  });

  it("names malformed XML as a parse error", () => {
    expect(() => listDomainStorage("<domain>")).toThrow(/not well-formed/);
  });
});

describe("composeMigrationHost", () => {
  it("inserts the suffix before the first dot, as VirtualDomain does", () => {
    expect(composeMigrationHost("node1.example.com", "-mig")).toBe("node1-mig.example.com");
    expect(composeMigrationHost("node1", "-mig")).toBe("node1-mig");
  });
});

describe("resource options", () => {
  it("defaults to the agent's timeouts with allow-migrate on", () => {
    const options = defaultResourceOptions(metadata);
    expect(options).toMatchObject({
      allowMigrate: true,
      ops: {
        startTimeout: "90s",
        stopTimeout: "90s",
        monitorInterval: "10s",
        migrateToTimeout: "120s",
      },
    });
    expect(validateResourceOptions(metadata, options)).toEqual([]);
  });

  it("refuses snapshot with force_stop and stateless without backingfile", () => {
    expect(
      validateResourceOptions(metadata, withParams({ snapshot: "/srv/snap", force_stop: "true" })),
    ).toEqual([{ field: "params.force_stop", message: expect.stringContaining("snapshot") }]);
    expect(
      validateResourceOptions(metadata, withParams({ hypervisor: "qemu:///system\r" })),
    ).toEqual([
      { field: "params.hypervisor", message: expect.stringContaining("control characters") },
    ]);
    expect(validateResourceOptions(metadata, withParams({ stateless: "true" }))).toEqual([
      { field: "params.backingfile", message: expect.stringContaining("backingfile") },
    ]);
    expect(
      validateResourceOptions(
        metadata,
        withParams({ stateless: "true", backingfile: "/srv/base.img" }),
      ),
    ).toEqual([]);
  });

  it("checks types, ranges, unknown parameters and durations", () => {
    const issues = validateResourceOptions(metadata, {
      ...withParams({
        migrateport: "70000",
        migration_speed: "fast",
        force_stop: "maybe",
        bogus: "1",
      }),
      ops: { ...defaultResourceOptions(metadata).ops, stopTimeout: "soon" },
    });
    expect(issues.map((i) => i.field).sort()).toEqual(
      [
        "ops.stopTimeout",
        "params.bogus",
        "params.force_stop",
        "params.migrateport",
        "params.migration_speed",
      ].sort(),
    );
  });

  it("builds the exact pcs argv (shown through the one quoting module)", () => {
    const argv = buildResourceCreateCommand({
      name: "web1",
      configPath: "/etc/pacemaker/web 1.xml",
      options: withParams({ migration_transport: "ssh", hypervisor: "", monitor_scripts: "/a /b" }),
    });
    expect(argv).toEqual([
      ..."pcs resource create web1 ocf:heartbeat:VirtualDomain".split(" "),
      "config=/etc/pacemaker/web 1.xml",
      "migration_transport=ssh",
      "monitor_scripts=/a /b",
      ..."op start timeout=90s stop timeout=90s monitor interval=10s timeout=30s".split(" "),
      ..."migrate_to timeout=120s migrate_from timeout=60s meta allow-migrate=true".split(" "),
      "--disabled",
    ]);
    expect(quoteArgv(argv)).toContain("'config=/etc/pacemaker/web 1.xml'");
    const noMigrate = buildResourceCreateCommand({
      name: "web1",
      configPath: "/etc/pacemaker/web1.xml",
      options: { ...withParams({}), allowMigrate: false },
    });
    expect(noMigrate).not.toContain("migrate_to");
    expect(noMigrate.slice(-3)).toEqual(["meta", "allow-migrate=false", "--disabled"]);
  });
});

describe("migrationRemoteUri", () => {
  it("builds the URI VirtualDomain's migrate_to uses", () => {
    // No options: the node's default hypervisor over TLS, which needs certificates.
    expect(migrationRemoteUri({}, "node2")).toBe("qemu://node2/system");
    expect(migrationRemoteUri(LIVE_MIGRATION_PARAMS, "node2")).toBe("qemu+ssh://node2/system");
    expect(
      migrationRemoteUri(
        { ...LIVE_MIGRATION_PARAMS, migration_user: "virt", migration_network_suffix: "-mig" },
        "node2.example.com",
      ),
    ).toBe("qemu+ssh://virt@node2-mig.example.com/system");
    // The agent ignores a user that is not a plain login name.
    expect(migrationRemoteUri({ ...LIVE_MIGRATION_PARAMS, migration_user: "Bad User" }, "n2")).toBe(
      "qemu+ssh://n2/system",
    );
    expect(
      migrationRemoteUri({ hypervisor: "qemu://h:16509/system", migration_transport: "tcp" }, "n2"),
    ).toBe("qemu+tcp://n2:16509/system");
    expect(migrationRemoteUri({ remoteuri: "qemu+ssh://%n-x/system", hypervisor: "a" }, "n2")).toBe(
      "qemu+ssh://n2-x/system",
    );
  });

  it("refuses, by itself, a name pcs would read as an option and control characters", () => {
    const build =
      (name: string, configPath: string, params: Record<string, string> = {}) =>
      () =>
        buildResourceCreateCommand({ name, configPath, options: withParams(params) });
    for (const name of ["-f", "--force", "", "web 1", "web\x1b"]) {
      expect(build(name, "/etc/pacemaker/web1.xml"), name).toThrow(
        expect.objectContaining({ code: "INVALID_INPUT" }),
      );
    }
    expect(build("web1", "/etc/pacemaker/web1\r.xml")).toThrow(
      expect.objectContaining({
        code: "INVALID_INPUT",
        message: expect.stringContaining("config"),
      }),
    );
    expect(
      build("web1", "/etc/pacemaker/web1.xml", { hypervisor: "qemu:///system\u2028" }),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_INPUT",
        message: expect.stringContaining("hypervisor"),
      }),
    );
  });
});
