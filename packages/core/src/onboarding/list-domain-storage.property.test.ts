import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DomainStorage, describeUncheckable, listDomainStorage } from "./check-storage.ts";

const run = promisify(execFile);

// Random domains written as XML, defined and dumped back by the real virsh (libvirt's test
// driver, one connection per sample), then listed by listDomainStorage and compared with what
// the XML was written from: the generator's model is the second reading.

type Layer =
  | { type: "file"; path: string }
  | { type: "block"; path: string }
  | { type: "network"; protocol: "rbd" | "iscsi" | "nbd"; name: string; host: string }
  | { type: "volume"; pool: string; volume: string };

type Disk =
  | { kind: "chain"; device: "disk" | "cdrom"; layers: Layer[] }
  | { kind: "empty-cdrom" }
  | { kind: "vhostuser"; socket: string };

interface Domain {
  kernel: string | null;
  initrd: string | null;
  dtb: string | null;
  loader: string | null;
  nvram: { path: string; asSource: boolean; template: string | null } | null;
  acpi: string | null;
  disks: Disk[];
  filesystems: string[];
}

// Names and paths as operators write them: spaces (also at the end), non-ASCII, XML specials.
const segment = fc.string({
  unit: fc.constantFrom(..."ab9_-. &<>\"'üé中😀"),
  minLength: 1,
  maxLength: 8,
});
const path = fc
  .array(segment, { minLength: 1, maxLength: 3 })
  .map((parts) => `/${parts.join("/")}`)
  .filter((p) => !p.split("/").some((part) => part === "." || part === ".."));
const plainName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);

const layer: fc.Arbitrary<Layer> = fc.oneof(
  { weight: 3, arbitrary: path.map((p) => ({ type: "file" as const, path: p })) },
  { weight: 1, arbitrary: path.map((p) => ({ type: "block" as const, path: p })) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("network" as const),
      protocol: fc.constantFrom("rbd" as const, "iscsi" as const, "nbd" as const),
      name: plainName.map((n) => `pool/${n}`),
      host: plainName.map((n) => `${n}.example.com`),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("volume" as const),
      pool: plainName,
      volume: plainName,
    }),
  },
);

const disk: fc.Arbitrary<Disk> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("chain" as const),
      device: fc.constantFrom("disk" as const, "cdrom" as const),
      layers: fc.array(layer, { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "empty-cdrom" as const }) },
  {
    weight: 1,
    arbitrary: plainName.map((n) => ({
      kind: "vhostuser" as const,
      socket: `/run/vhost/${n}.sock`,
    })),
  },
);

const domain: fc.Arbitrary<Domain> = fc
  .record({
    kernel: fc.option(path, { nil: null }),
    initrd: fc.option(path, { nil: null }),
    dtb: fc.option(path, { nil: null }),
    loader: fc.option(path, { nil: null }),
    nvram: fc.option(
      fc.record({
        path,
        asSource: fc.boolean(),
        template: fc.option(path, { nil: null }),
      }),
      { nil: null },
    ),
    acpi: fc.option(path, { nil: null }),
    disks: fc.array(disk, { maxLength: 4 }),
    filesystems: fc.array(path, { maxLength: 2 }),
  })
  // libvirt refuses NVRAM without a loader.
  .map((d) => (d.loader ? d : { ...d, nvram: null }));

const escapeXml = (value: string) =>
  value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

function layerXml(l: Layer, top: boolean): string {
  const tag = top ? "" : `<format type='raw'/>`;
  switch (l.type) {
    case "file":
      return `${tag}<source file="${escapeXml(l.path)}"/>`;
    case "block":
      return `${tag}<source dev="${escapeXml(l.path)}"/>`;
    case "network":
      return `${tag}<source protocol="${l.protocol}" name="${l.name}"><host name="${l.host}" port="1234"/></source>`;
    case "volume":
      return `${tag}<source pool="${l.pool}" volume="${l.volume}"/>`;
  }
}

function chainXml(layers: Layer[]): string {
  const [first, ...rest] = layers;
  if (!first) return "";
  let backing = "<backingStore/>";
  for (const below of [...rest].reverse()) {
    backing = `<backingStore type="${below.type}">${layerXml(below, false)}${backing}</backingStore>`;
  }
  return `${layerXml(first, true)}${backing}`;
}

function domainXml(d: Domain): string {
  const os = [
    "<type arch='x86_64'>hvm</type>",
    d.loader ? `<loader readonly='yes' type='pflash'>${escapeXml(d.loader)}</loader>` : "",
    d.nvram
      ? d.nvram.asSource
        ? `<nvram type='file'${d.nvram.template ? ` template="${escapeXml(d.nvram.template)}"` : ""}><source file="${escapeXml(d.nvram.path)}"/></nvram>`
        : `<nvram${d.nvram.template ? ` template="${escapeXml(d.nvram.template)}"` : ""}>${escapeXml(d.nvram.path)}</nvram>`
      : "",
    d.kernel ? `<kernel>${escapeXml(d.kernel)}</kernel>` : "",
    d.initrd ? `<initrd>${escapeXml(d.initrd)}</initrd>` : "",
    d.dtb ? `<dtb>${escapeXml(d.dtb)}</dtb>` : "",
    d.acpi ? `<acpi><table type='slic'>${escapeXml(d.acpi)}</table></acpi>` : "",
  ].join("");
  const disks = d.disks.map((k, index) => {
    const target = `<target dev='vd${String.fromCharCode(97 + index)}' bus='virtio'/>`;
    if (k.kind === "empty-cdrom")
      return `<disk type='file' device='cdrom'><target dev='sd${String.fromCharCode(97 + index)}' bus='sata'/><readonly/></disk>`;
    if (k.kind === "vhostuser")
      return `<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='unix' path="${k.socket}"/>${target}</disk>`;
    const top = k.layers[0]?.type ?? "file";
    return `<disk type='${top}' device='${k.device}'><driver name='qemu' type='raw'/>${chainXml(k.layers)}${target}</disk>`;
  });
  const filesystems = d.filesystems.map(
    (dir, index) =>
      `<filesystem type='mount' accessmode='passthrough'><source dir="${escapeXml(dir)}"/><target dir='fs${index}'/></filesystem>`,
  );
  return `<domain type='test'><name>prop1</name><memory unit='KiB'>8192</memory><os>${os}</os><devices>${disks.join("")}${filesystems.join("")}</devices></domain>`;
}

/** What listDomainStorage must find, in its order. */
function expected(d: Domain): { paths: DomainStorage["paths"]; warnings: string[] } {
  const paths: DomainStorage["paths"] = [];
  const warnings: string[] = [];
  const add = (p: string | null, use: string) => {
    if (p) paths.push({ path: p, use });
  };
  add(d.kernel, "kernel");
  add(d.initrd, "initrd");
  add(d.dtb, "dtb");
  add(d.loader, "loader");
  add(d.nvram?.path ?? null, "nvram");
  add(d.nvram?.template ?? null, "nvram template");
  add(d.acpi, "acpi table slic");
  d.disks.forEach((k, index) => {
    if (k.kind === "empty-cdrom") return;
    const use = `disk vd${String.fromCharCode(97 + index)}`;
    if (k.kind === "vhostuser") {
      warnings.push(describeUncheckable({ kind: "vhostuser", name: k.socket, use, hosts: [] }));
      return;
    }
    k.layers.forEach((l, depth) => {
      const at = `${k.device} vd${String.fromCharCode(97 + index)}${depth ? ` backing ${depth}` : ""}`;
      if (l.type === "file" || l.type === "block") paths.push({ path: l.path, use: at });
      else if (l.type === "network")
        warnings.push(
          describeUncheckable({
            kind: "network",
            name: `${l.protocol} ${l.name}`,
            use: at,
            hosts: [],
          }),
        );
      else
        warnings.push(
          describeUncheckable({
            kind: "volume",
            name: `${l.pool}/${l.volume}`,
            use: at,
            hosts: [],
          }),
        );
    });
  });
  d.filesystems.forEach((dir, index) => {
    paths.push({ path: dir, use: `filesystem fs${index}` });
  });
  return { paths, warnings };
}

describe("listDomainStorage on random domains dumped by the real virsh", () => {
  it("lists every path and every uncheckable source the domain was written with", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "corral-domain-"));
    try {
      await fc.assert(
        fc.asyncProperty(domain, async (d) => {
          const file = join(scratch, "domain.xml");
          await writeFile(file, domainXml(d));
          const { stdout } = await run("virsh", [
            "-q",
            "-c",
            "test:///default",
            `define ${file}; dumpxml prop1`,
          ]);
          const dumped = stdout.slice(stdout.indexOf("<domain"));
          const storage = listDomainStorage(dumped);
          const { paths, warnings } = expected(d);
          expect(storage.paths).toEqual(paths);
          expect(storage.uncheckable.map(describeUncheckable)).toEqual(warnings);
        }),
        { numRuns: 40 },
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
