import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isVirtualDomain, parseCrmMon } from "./parse-crm-mon.ts";

const run = promisify(execFile);

// Random clusters written as a CIB, rendered by the real crm_mon (CIB_file=... crm_mon
// --output-as=xml), read back by parseCrmMon and compared with what the CIB was written from:
// the generator's model is the second reading.

interface Failure {
  node: string;
  /** op_key= when true; crm_mon writes id= for a history entry without an operation key. */
  withKey: boolean;
  /** crm_mon writes task= only for an entry with last-rc-change. */
  withRcChange: boolean;
  reason: string;
}

interface Primitive {
  id: string;
  provider: "heartbeat" | "custom" | "pacemaker";
  type: "VirtualDomain" | "Dummy";
  targetRole: "Stopped" | null;
  runsOn: string | null;
  failure: Failure | null;
}

type Item =
  | { kind: "primitive"; primitive: Primitive }
  | { kind: "group"; id: string; members: Primitive[] }
  | { kind: "clone"; id: string; primitive: Primitive; max: number; runsOn: string[] }
  | { kind: "bundle"; id: string; primitive: Primitive; replicas: number };

interface Cluster {
  nodes: { name: string; state: "online" | "offline" | "unclean" }[];
  items: Item[];
}

const escapeXml = (value: string) =>
  value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

const nodeName = fc
  .tuple(
    fc.constantFrom("node", "hb", "n", "pcmk"),
    fc.string({
      unit: fc.constantFrom(..."abc019-.üé中😀ø"),
      minLength: 1,
      maxLength: 6,
    }),
  )
  .map(([prefix, rest]) => `${prefix}${rest}`);

// Underscores and task names inside ids stress the reading of op keys (vm_start_x_migrate_to).
const idPart = fc.constantFrom(
  "vm",
  "web",
  "db",
  "_start",
  "_migrate_to",
  "_last",
  "_0",
  "-1",
  ".x",
);

function cluster(): fc.Arbitrary<Cluster> {
  return fc
    .uniqueArray(nodeName, { minLength: 1, maxLength: 4 })
    .chain((names) =>
      fc.record({
        nodes: fc.tuple(
          ...names.map((name, index) =>
            // The first node stays online: it is the DC.
            (index === 0
              ? fc.constant("online" as const)
              : fc.constantFrom("online" as const, "offline" as const, "unclean" as const)
            ).map((state) => ({ name, state })),
          ),
        ),
        items: fc.array(item(names), { maxLength: 6 }),
      }),
    )
    .map((generated) => uniqueIds(generated));
}

function primitive(online: string[]): fc.Arbitrary<Primitive> {
  return fc
    .record({
      id: fc.array(idPart, { minLength: 1, maxLength: 4 }).map((parts) => `r${parts.join("")}`),
      provider: fc.constantFrom("heartbeat" as const, "custom" as const, "pacemaker" as const),
      type: fc.constantFrom("VirtualDomain" as const, "Dummy" as const),
      runsOn: fc.option(fc.constantFrom(...online), { nil: null }),
      stopped: fc.boolean(),
      failure: fc.option(
        fc.record({
          node: fc.constantFrom(...online),
          withKey: fc.boolean(),
          withRcChange: fc.boolean(),
          reason: fc.string({
            unit: fc.constantFrom(..." a&<>\"'üé中😀:/."),
            minLength: 1,
            maxLength: 12,
          }),
        }),
        { nil: null },
      ),
    })
    .map(({ stopped, ...rest }) => ({
      ...rest,
      // A resource that runs, or failed, is left without target-role to keep its role plain.
      targetRole: stopped && !rest.runsOn && !rest.failure ? ("Stopped" as const) : null,
      runsOn: rest.failure ? null : rest.runsOn,
    }));
}

function item(names: string[]): fc.Arbitrary<Item> {
  // Resources run only on the DC node in this model: where crm_mon places anything else
  // depends on its scheduler, which is not what is under test.
  const online = [names[0] ?? "node1"];
  const container = fc.array(idPart, { minLength: 1, maxLength: 2 }).map((p) => `c${p.join("")}`);
  const plain = primitive(online).map((p) => ({ ...p, failure: null }));
  return fc.oneof(
    primitive(online).map((p) => ({ kind: "primitive" as const, primitive: p })),
    fc.record({
      kind: fc.constant("group" as const),
      id: container,
      members: fc.array(plain, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant("clone" as const),
      id: container,
      primitive: plain.map((p) => ({ ...p, runsOn: null, targetRole: null })),
      max: fc.integer({ min: 1, max: 3 }),
      runsOn: fc.subarray(online),
    }),
    fc.record({
      kind: fc.constant("bundle" as const),
      id: container,
      primitive: plain.map((p) => ({ ...p, runsOn: null, targetRole: null })),
      replicas: fc.integer({ min: 1, max: 2 }),
    }),
  );
}

/**
 * XML ids are unique across the whole CIB: repeats get a suffix. And crm_mon lists one failure
 * without an operation key per node (it tells failures apart by that key): later ones get one.
 */
function uniqueIds(generated: Cluster): Cluster {
  const seen = new Set<string>();
  const keyless = new Set<string>();
  const unique = (id: string) => {
    let candidate = id;
    for (let n = 2; seen.has(candidate); n++) candidate = `${id}${n}`;
    seen.add(candidate);
    // Bundles derive ids of their own (<id>-podman-0, <id>-0): keep those free as well.
    for (let n = 0; n < 3; n++) seen.add(`${candidate}-${n}`);
    return candidate;
  };
  const prim = (p: Primitive): Primitive => {
    const failure = p.failure && { ...p.failure };
    if (failure && !failure.withKey && keyless.has(failure.node)) failure.withKey = true;
    if (failure && !failure.withKey) keyless.add(failure.node);
    return { ...p, id: unique(p.id), failure };
  };
  return {
    nodes: generated.nodes,
    items: generated.items.map(
      (i): Item =>
        i.kind === "primitive"
          ? { ...i, primitive: prim(i.primitive) }
          : i.kind === "group"
            ? { ...i, id: unique(i.id), members: i.members.map(prim) }
            : { ...i, id: unique(i.id), primitive: prim(i.primitive) },
    ),
  };
}

function primitiveXml(p: Primitive): string {
  const meta = p.targetRole
    ? `<meta_attributes id="${p.id}-meta"><nvpair id="${p.id}-tr" name="target-role" value="${p.targetRole}"/></meta_attributes>`
    : "";
  return `<primitive id="${p.id}" class="ocf" provider="${p.provider}" type="${p.type}">${meta}</primitive>`;
}

function itemXml(i: Item): string {
  switch (i.kind) {
    case "primitive":
      return primitiveXml(i.primitive);
    case "group":
      return `<group id="${i.id}">${i.members.map(primitiveXml).join("")}</group>`;
    case "clone":
      return `<clone id="${i.id}">${primitiveXml(i.primitive)}<meta_attributes id="${i.id}-meta"><nvpair id="${i.id}-max" name="clone-max" value="${i.max}"/></meta_attributes></clone>`;
    case "bundle":
      return `<bundle id="${i.id}"><podman image="localhost/x:latest" replicas="${i.replicas}"/><network control-port="3121"/>${primitiveXml(i.primitive)}</bundle>`;
  }
}

let call = 0;
function op(opId: string, rc: number, node: string, extra: string) {
  call++;
  return `<lrm_rsc_op id="${opId}" ${extra} crm-debug-origin="do_update_resource" crm_feature_set="3.16.1" transition-key="1:1:0:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" transition-magic="0:${rc};1:1:0:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" on_node="${escapeXml(node)}" call-id="${call}" rc-code="${rc}" op-status="0" interval="0" exec-time="10" queue-time="0" op-digest="00000000000000000000000000000000"/>`;
}

/** The lrm history of one primitive on one node: started there, or failed to start there. */
function history(p: Primitive, node: string): string {
  const ops: string[] = [];
  if (p.runsOn === node) {
    ops.push(
      op(
        `${p.id}_last_0`,
        0,
        node,
        `operation_key="${p.id}_start_0" operation="start" last-rc-change="1764400000"`,
      ),
    );
  }
  if (p.failure?.node === node) {
    const f = p.failure;
    ops.push(
      op(
        `${p.id}_last_failure_0`,
        1,
        node,
        `${f.withKey ? `operation_key="${p.id}_start_0" ` : ""}operation="start" exit-reason="${escapeXml(f.reason)}"${f.withRcChange ? ' last-rc-change="1764400000"' : ""}`,
      ),
      op(
        `${p.id}_last_0`,
        0,
        node,
        `operation_key="${p.id}_stop_0" operation="stop" last-rc-change="1764400000"`,
      ),
    );
  }
  if (!ops.length) return "";
  return `<lrm_resource id="${p.id}" type="${p.type}" class="ocf" provider="${p.provider}">${ops.join("")}</lrm_resource>`;
}

function cibXml(c: Cluster): string {
  const names = c.nodes.map((n) => n.name);
  const ids = new Map(names.map((name, index) => [name, String(index + 1)]));
  const primitives = c.items.flatMap((i) =>
    i.kind === "primitive" ? [i.primitive] : i.kind === "group" ? i.members : [],
  );
  const states = c.nodes.map(({ name, state }) => {
    const id = ids.get(name);
    const attrs =
      state === "online"
        ? 'in_ccm="true" crmd="online" join="member" expected="member"'
        : state === "unclean"
          ? 'in_ccm="false" crmd="offline" join="down" expected="member"'
          : 'in_ccm="false" crmd="offline" join="down" expected="down"';
    const clones = c.items.flatMap((i) =>
      i.kind === "clone" && i.runsOn.includes(name) ? [{ ...i.primitive, runsOn: name }] : [],
    );
    const resources = [...primitives, ...clones].map((p) => history(p, name)).join("");
    return `<node_state id="${id}" uname="${escapeXml(name)}" ${attrs} crm-debug-origin="do_state_transition"><lrm id="${id}"><lrm_resources>${resources}</lrm_resources></lrm></node_state>`;
  });
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="1" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="true"/></cluster_property_set></crm_config>
    <nodes>${names.map((name) => `<node id="${ids.get(name)}" uname="${escapeXml(name)}"/>`).join("")}</nodes>
    <resources>${c.items.map(itemXml).join("")}</resources>
    <constraints/>
  </configuration>
  <status>${states.join("")}</status>
</cib>`;
}

describe("parseCrmMon on random clusters rendered by the real crm_mon", () => {
  it("reads back every node, resource, instance and failure the CIB was written with", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "corral-crm-mon-"));
    try {
      await fc.assert(
        fc.asyncProperty(cluster(), async (c) => {
          const file = join(scratch, "cib.xml");
          await writeFile(file, cibXml(c));
          const { stdout } = await run("crm_mon", ["--output-as=xml"], {
            env: { ...process.env, CIB_file: file, LC_ALL: "C.UTF-8" },
          });
          const status = parseCrmMon(stdout);

          expect(
            status.nodes
              .filter((n) => n.type === "member")
              .map(({ name, state }) => ({ name, state })),
          ).toEqual(
            expect.arrayContaining(
              c.nodes.map(({ name, state }) => ({
                name,
                state: state === "online" ? "online" : state,
              })),
            ),
          );

          const found = (id: string, parent: string | null) =>
            status.resources.filter((r) => r.id === id && r.parent === parent);
          for (const i of c.items) {
            if (i.kind === "primitive" || i.kind === "group") {
              const parent = i.kind === "group" ? i.id : null;
              for (const p of i.kind === "group" ? i.members : [i.primitive]) {
                const [read, ...more] = found(p.id, parent);
                expect(more).toEqual([]);
                expect(read).toMatchObject({
                  agent: `ocf:${p.provider}:${p.type}`,
                  targetRole: p.targetRole,
                  instance: null,
                  orphaned: false,
                  ...(p.failure ? {} : { nodes: p.runsOn ? [p.runsOn] : [] }),
                });
                expect(isVirtualDomain(read?.agent ?? "")).toBe(p.type === "VirtualDomain");
              }
            } else if (i.kind === "clone") {
              const instances = found(i.primitive.id, i.id);
              expect(instances.map((r) => r.instance)).toEqual(
                Array.from({ length: i.max }, (_, n) => n),
              );
              expect(instances.flatMap((r) => r.nodes).sort()).toEqual([...i.runsOn].sort());
            } else {
              const replicas = found(i.primitive.id, i.id);
              expect(replicas.map((r) => r.instance)).toEqual(
                Array.from({ length: i.replicas }, (_, n) => n),
              );
            }
          }

          const failures = c.items
            .flatMap((i) =>
              i.kind === "primitive" ? [i.primitive] : i.kind === "group" ? i.members : [],
            )
            .flatMap((p) =>
              p.failure
                ? [
                    {
                      resource: p.id,
                      operation: p.failure.withRcChange || p.failure.withKey ? "start" : "",
                      node: p.failure.node,
                      exitReason: p.failure.reason,
                    },
                  ]
                : [],
            );
          expect(
            status.failedActions.map(({ resource, operation, node, exitReason }) => ({
              resource,
              operation,
              node,
              exitReason,
            })),
          ).toEqual(expect.arrayContaining(failures));
          expect(status.failedActions).toHaveLength(failures.length);
        }),
        { numRuns: 40 },
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
