import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureAgent } from "../agent/install-agent.ts";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { readAgentMetadataXml } from "../agent/read-agent-metadata-xml.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { startTestLab, type TestLab } from "../testing/test-lab.ts";
import { readClusterStatusFromAny } from "../vm-actions/read-cluster-status.ts";
import { defaultResourceOptions } from "./build-resource-create-command.ts";
import { createVirtualDomainResource } from "./create-virtual-domain-resource.ts";
import { distributeConfig } from "./distribute-config.ts";
import { dumpDomainConfig } from "./dump-domain-config.ts";
import type { NodeTestResult } from "./onboarding-job.types.ts";
import { type RetestProgress, retestManagedVm } from "./retest-managed-vm.ts";

/** Re-testing web1 once it is a resource, on this suite's own lab instance (packages/lab). */

const pool = new SshPool({ log: { record: async () => {} } });
let lab: TestLab;
let nodes: NodeTarget[];

beforeAll(async () => {
  lab = await startTestLab({ name: "retest", subnet: "10.213.150.0/24" });
  nodes = lab.nodes;
  await lab.reset();
  const bundle = readAgentBundle();
  for (const node of nodes) expectOk(await ensureAgent(pool, node, bundle));
}, 600_000);

afterAll(async () => {
  await pool.close();
  await lab?.down();
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
      allowedNodes: nodes.map((node) => node.id),
      waitS: 90,
    }),
  );
  await lab.guestUp("web1");

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
