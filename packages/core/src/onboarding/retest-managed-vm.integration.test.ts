import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureAgent } from "../agent/install-agent.ts";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { readAgentMetadataXml } from "../agent/read-agent-metadata-xml.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { readClusterStatusFromAny } from "../vm-actions/read-cluster-status.ts";
import { defaultResourceOptions } from "./build-resource-create-command.ts";
import { createVirtualDomainResource } from "./create-virtual-domain-resource.ts";
import { distributeConfig } from "./distribute-config.ts";
import { dumpDomainConfig } from "./dump-domain-config.ts";
import type { NodeTestResult } from "./onboarding-job.types.ts";
import { type RetestProgress, retestManagedVm } from "./retest-managed-vm.ts";

/** Re-testing web1 once it is a resource, on this suite's own lab instance (packages/lab). */
const LAB_ENV = {
  CORRAL_LAB_NAME: process.env.CORRAL_LAB_NAME ?? "retest",
  CORRAL_LAB_SUBNET: process.env.CORRAL_LAB_SUBNET ?? "10.213.150.0/24",
  CORRAL_LAB_DIR: process.env.CORRAL_LAB_DIR ?? "/var/lib/corral-lab/retest",
};
const LAB_CLI = fileURLToPath(new URL("../../../lab/bin/corral-lab", import.meta.url));

function lab(...args: string[]) {
  return promisify(execFile)("bash", [LAB_CLI, ...args], {
    env: { ...process.env, ...LAB_ENV },
    timeout: 600_000,
  });
}

const pool = new SshPool({ log: { record: async () => {} } });
let nodes: NodeTarget[];

beforeAll(async () => {
  await lab("up");
  const info = JSON.parse(await readFile(join(LAB_ENV.CORRAL_LAB_DIR, "lab.json"), "utf8"));
  nodes = await Promise.all(
    info.nodes.map(async (node: Record<string, string>) => ({
      id: node.name,
      host: node.address,
      port: Number(node.sshPort),
      username: node.user,
      privateKey: await readFile(node.privateKeyPath as string, "utf8"),
      hostKey: { keyType: node.hostKeyType, fingerprint: node.hostKeyFingerprint },
    })),
  );
  await lab("reset");
  const bundle = readAgentBundle();
  for (const node of nodes) expectOk(await ensureAgent(pool, node, bundle));
}, 600_000);

afterAll(async () => {
  await pool.close();
  if (process.env.CORRAL_LAB_KEEP !== "1") await lab("down");
}, 300_000);

it("disables web1, tests it on every node in turn and starts it again", async () => {
  const [node1] = nodes as [NodeTarget];
  const config = "/etc/pacemaker/web1.xml";
  const dumped = expectOk(await dumpDomainConfig(pool, node1, { domain: "web1", path: config }));
  for (const { result } of await distributeConfig(pool, nodes.slice(1), dumped)) expectOk(result);
  const metadata = parseAgentMetadata(expectOk(await readAgentMetadataXml(pool, node1)).xml);
  expectOk(
    await createVirtualDomainResource(pool, nodes, {
      name: "web1",
      configPath: config,
      options: defaultResourceOptions(metadata),
      waitS: 90,
    }),
  );

  const recorded: NodeTestResult[] = [];
  const progress: RetestProgress[] = [];
  const outcome = expectOk(
    await retestManagedVm(
      pool,
      nodes,
      {
        clusterId: "lab",
        resource: "web1",
        nodes: nodes.map((n) => n.id),
        test: {
          domain: "web1",
          uuid: null,
          config,
          startTimeoutS: 90,
          shutdownTimeoutS: 60,
          guestAlive: { kind: "console", pattern: "^corral-guest .* n=1\\b" },
        },
        actorId: null,
        actorName: "it",
      },
      async (result) => {
        recorded.push(result);
      },
      (step) => progress.push(step),
    ),
  );

  expect(recorded.map((r) => [r.node, r.outcome, r.stopMethod, r.jobId])).toEqual(
    nodes.map((n) => [n.id, "succeeded", "graceful", null]),
  );
  expect(outcome.results).toEqual(recorded);
  expect(progress.map((p) => p.phase)).toEqual([
    "disabling",
    ...nodes.flatMap(() => ["testing", "tested"]),
    "enabling",
  ]);
  expect(nodes.map((n) => n.id)).toContain(outcome.startedOn);
  const status = expectOk(await readClusterStatusFromAny(pool, nodes));
  expect(status.resources.find((r) => r.id === "web1")).toMatchObject({
    role: "Started",
    nodes: [outcome.startedOn],
  });
}, 900_000);
