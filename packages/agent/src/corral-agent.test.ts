import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { AGENT_SOURCE_PATH, readAgentBundle } from "./read-agent-bundle.ts";

const run = promisify(execFile);

/** Runs the agent with the system python, the way a node runs it. */
async function agent(...args: string[]): Promise<{ code: number; json: unknown }> {
  try {
    const { stdout } = await run("/usr/bin/python3", ["-I", AGENT_SOURCE_PATH, ...args]);
    return { code: 0, json: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, json: JSON.parse(failed.stdout) };
  }
}

/** Calls one of the agent's parse functions on a fixture recorded from the lab's virsh. */
async function parseWithAgent(fn: string, fixture: string): Promise<unknown> {
  const script = [
    "import importlib.machinery, importlib.util, json, sys",
    "loader = importlib.machinery.SourceFileLoader('agent', sys.argv[1])",
    "agent = importlib.util.module_from_spec(importlib.util.spec_from_loader('agent', loader))",
    "loader.exec_module(agent)",
    "print(json.dumps(getattr(agent, sys.argv[2])(open(sys.argv[3]).read())))",
  ].join("\n");
  const path = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const { stdout } = await run("/usr/bin/python3", [
    "-I",
    "-c",
    script,
    AGENT_SOURCE_PATH,
    fn,
    path,
  ]);
  return JSON.parse(stdout);
}

describe("corral-agent parsers (virsh output recorded from the lab)", () => {
  it("reads a running domain's definition from dumpxml", async () => {
    expect(await parseWithAgent("parse_domain_xml", "virsh-dumpxml-db1.xml")).toEqual({
      name: "db1",
      uuid: "7d3cb8b2-dc12-43b0-acb0-2746b0ba68e6",
      type: "qemu",
      vcpus: 1,
      memoryKiB: 98304,
      currentMemoryKiB: 98304,
      kernel: "/srv/shared/boot/vmlinuz",
      initrd: "/srv/shared/boot/initrd.img",
      cmdline: "console=ttyS0 quiet loglevel=1 corral.name=db1",
      loader: null,
      disks: [
        {
          device: "disk",
          type: "file",
          source: "/srv/shared/images/db1.img",
          target: "vda",
          format: "raw",
          readonly: true,
          shareable: false,
        },
      ],
      filesystems: [],
    });
  });

  it("reads a disk on local storage", async () => {
    const local1 = (await parseWithAgent("parse_domain_xml", "virsh-dumpxml-local1.xml")) as {
      disks: { source: string }[];
    };
    expect(local1.disks.map((disk) => disk.source)).toEqual(["/var/lib/libvirt/images/local1.img"]);
  });

  // Recorded from `pcs -f` (pcs 0.11) and `cibadmin --query --scope configuration`: web1 under
  // the resource defaults, app1 with its own 0, db1 in a group at INFINITY, a Dummy, and a
  // defaults set with a date rule (not evaluated, so skipped); then the same with no defaults.
  it.each([
    ["the resource defaults", "cibadmin-configuration-vms.xml", "1"],
    ["0 without defaults", "cibadmin-configuration-no-defaults.xml", "0"],
  ])(
    "gives each VirtualDomain resource the stickiness pacemaker applies: %s",
    async (_, fixture, web1) => {
      expect(await parseWithAgent("virtual_domain_resources", fixture)).toEqual([
        {
          id: "web1",
          config: "/etc/pacemaker/web1.xml",
          params: { config: "/etc/pacemaker/web1.xml" },
          stickiness: web1,
          allowMigrate: true,
          managed: true,
        },
        {
          id: "app1",
          config: "/etc/pacemaker/app1.xml",
          params: { config: "/etc/pacemaker/app1.xml" },
          stickiness: "0",
          allowMigrate: false,
          managed: true,
        },
        {
          id: "db1",
          config: "/etc/pacemaker/db1.xml",
          params: { config: "/etc/pacemaker/db1.xml" },
          stickiness: "INFINITY",
          allowMigrate: false,
          managed: true,
        },
      ]);
    },
  );

  // crm_simulate's own XML for node1 in standby on a CIB with web1 and app1 (allow-migrate),
  // db1 (not) and local1 bound to node1.
  it("reads what the scheduler would do from crm_simulate", async () => {
    expect(await parseWithAgent("simulation_actions", "crm-simulate-standby-node1.xml")).toEqual([
      { action: "migrate", resource: "web1", source: "node1", dest: "node2", reason: null },
      { action: "move", resource: "db1", source: "node1", dest: "node3", reason: null },
      {
        action: "stop",
        resource: "local1",
        source: "node1",
        dest: null,
        reason: "node availability",
      },
      { action: "migrate", resource: "app1", source: "node1", dest: "node2", reason: null },
    ]);
  });

  it("reads state, persistence and autostart from dominfo", async () => {
    expect(await parseWithAgent("parse_dominfo", "virsh-dominfo-app1.txt")).toEqual({
      state: "shut off",
      persistent: true,
      autostart: true,
    });
    expect(await parseWithAgent("parse_dominfo", "virsh-dominfo-db1.txt")).toEqual({
      state: "running",
      persistent: true,
      autostart: false,
    });
  });
});

/**
 * Runs Python against the loaded agent module (as `agent`) with libvirt's test driver for URI:
 * real virsh, a node described by a fixture instead of qemu:///system.
 */
async function withTestDriver(code: string): Promise<unknown> {
  const node = fileURLToPath(new URL("./fixtures/test-driver-node.xml", import.meta.url));
  const script = [
    "import importlib.machinery, importlib.util, json, sys",
    "loader = importlib.machinery.SourceFileLoader('agent', sys.argv[1])",
    "agent = importlib.util.module_from_spec(importlib.util.spec_from_loader('agent', loader))",
    "loader.exec_module(agent)",
    "agent.LIBVIRT_URI = 'test://' + sys.argv[2]",
    code,
  ].join("\n");
  const { stdout } = await run("/usr/bin/python3", ["-I", "-c", script, AGENT_SOURCE_PATH, node]);
  return JSON.parse(stdout);
}

describe("corral-agent domains (real virsh on libvirt's test driver)", () => {
  it("lists every domain with names and paths exactly as libvirt has them", async () => {
    const listed = (await withTestDriver("print(json.dumps(agent.command_domains([])))")) as {
      domains: { name: string; kernel: string | null; state: string }[];
      unreadable: unknown[];
    };
    expect(listed.domains.map(({ name, state }) => [name, state])).toEqual([
      ["web1", "running"],
      [" spaced ", "running"],
      ["--help", "running"],
    ]);
    expect(listed.domains[0]?.kernel).toBe("/srv/shared/boot/vmlinuz ");
    expect(listed.unreadable).toEqual([]);
  });

  it("keeps listing the other domains when one cannot be read", async () => {
    // The failure of one domain (libvirt timing out on a domain whose job holds its lock) is
    // the only part not produced by virsh: the test driver has no stuck domains.
    const listed = await withTestDriver(
      [
        "def describe(name):",
        "    if name == '--help':",
        "        raise agent.AgentError('TOOL_FAILED', 'virsh dumpxml --domain --help did not finish within 20 s')",
        "    return agent.describe_domain(name)",
        "names = [line for line in agent.virsh('list', '--all', '--name').splitlines() if line.strip()]",
        "print(json.dumps(agent.describe_domains(names, describe)))",
      ].join("\n"),
    );
    expect(listed).toEqual({
      domains: [
        expect.objectContaining({ name: "web1" }),
        expect.objectContaining({ name: " spaced " }),
      ],
      unreadable: [
        {
          name: "--help",
          code: "TOOL_FAILED",
          message: "virsh dumpxml --domain --help did not finish within 20 s",
        },
      ],
    });
  });
});

describe("corral-agent check-sources (real virsh on the test driver, real sockets)", () => {
  it("checks a volume's pool and path, and whether a network disk's server answers", async () => {
    const listening = createServer();
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    const open = (listening.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const refused = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    try {
      const checked = await withTestDriver(
        `print(json.dumps(agent.command_check_sources(${JSON.stringify([
          "volume=lvpool/logs",
          "volume=lvpool/nope",
          "volume=nopool/x",
          `host=127.0.0.1:${open}`,
          `host=127.0.0.1:${refused}`,
        ])})))`,
      );
      expect(checked).toEqual({
        sources: [
          { source: "volume=lvpool/logs", ok: false, problem: "does not exist" },
          {
            source: "volume=lvpool/nope",
            ok: false,
            problem: expect.stringContaining("failed to get vol 'nope'"),
          },
          {
            source: "volume=nopool/x",
            ok: false,
            problem: expect.stringContaining("failed to get pool 'nopool'"),
          },
          { source: `host=127.0.0.1:${open}`, ok: true, problem: null },
          {
            source: `host=127.0.0.1:${refused}`,
            ok: false,
            problem: `127.0.0.1:${refused} does not answer: Connection refused`,
          },
        ],
      });
    } finally {
      await new Promise((resolve) => listening.close(resolve));
    }
  });
});

describe("corral-agent", () => {
  it("reports the same content hash that Corral bundles", async () => {
    const bundle = readAgentBundle();
    expect(bundle.id).toBe(bundle.sha256.slice(0, 16));
    expect(await agent("version")).toEqual({
      code: 0,
      json: { protocol: 1, sha256: bundle.sha256, path: AGENT_SOURCE_PATH },
    });
  });

  it("answers an unknown command with a JSON usage error and exit code 2", async () => {
    expect(await agent("reboot-everything")).toEqual({
      code: 2,
      json: { error: { code: "USAGE", message: expect.stringContaining("facts") } },
    });
  });

  it("hashes every config file named on stdin, with a problem for one it cannot read", () => {
    const fixture = fileURLToPath(new URL("./fixtures/virsh-dumpxml-db1.xml", import.meta.url));
    const done = spawnSync("/usr/bin/python3", ["-I", AGENT_SOURCE_PATH, "config-hashes"], {
      input: `${fixture}\n/nonexistent/web1.xml\n`,
      encoding: "utf8",
    });
    expect(done.status).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({
      files: [
        {
          path: fixture,
          sha256: createHash("sha256").update(readFileSync(fixture)).digest("hex"),
          problem: null,
        },
        {
          path: "/nonexistent/web1.xml",
          sha256: null,
          problem: expect.stringContaining("not exist"),
        },
      ],
    });
  });

  it("refuses a resource agent name that is not an OCF triple", async () => {
    expect(await agent("agent-metadata", "ocf:heartbeat:x;reboot")).toMatchObject({
      code: 2,
      json: { error: { code: "USAGE" } },
    });
  });

  it("gives null and a problem for a fact it cannot read, keeping the others", async () => {
    const { code, json } = await agent("facts");
    expect(code).toBe(0);
    const facts = json as {
      hostname: string;
      versions: Record<string, unknown>;
      problems: unknown[];
    };
    expect(facts.hostname).toEqual(expect.any(String));
    expect(Object.keys(facts.versions).sort()).toEqual(
      ["corosync", "libvirt", "pacemaker", "pcs", "qemu", "resourceAgents"].sort(),
    );
    for (const problem of facts.problems) {
      expect(problem).toEqual({
        fact: expect.any(String),
        code: expect.any(String),
        message: expect.any(String),
      });
    }
  });
});

describe("corral-agent remove-config", () => {
  it("removes the file only while it holds what Corral wrote", async () => {
    const { mkdtemp, writeFile, access } = await import("node:fs/promises");
    const { createHash } = await import("node:crypto");
    const dir = await mkdtemp("/tmp/corral-agent-remove-");
    const path = `${dir}/web1.xml`;
    const written = "<domain><name>web1</name></domain>";
    const sha = createHash("sha256").update(written).digest("hex");

    await writeFile(path, `${written}\n<!-- edited -->`);
    expect(await agent("remove-config", path, sha)).toMatchObject({
      code: 0,
      json: { removed: false, reason: expect.stringContaining("changed since Corral wrote it") },
    });
    await expect(access(path)).resolves.toBeUndefined();

    await writeFile(path, written);
    expect(await agent("remove-config", path, sha)).toEqual({
      code: 0,
      json: { path, removed: true, reason: null },
    });
    await expect(access(path)).rejects.toThrow();
    expect(await agent("remove-config", path, sha)).toMatchObject({
      json: { removed: false, reason: "absent" },
    });
  });
});
