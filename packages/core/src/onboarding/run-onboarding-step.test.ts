import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { exampleOnboardingSettings } from "../testing/example-onboarding-settings.ts";
import { defaultResourceOptions, type ResourceOptions } from "./build-resource-create-command.ts";
import { newOnboardingJob } from "./new-onboarding-job.ts";
import {
  ONBOARDING_STEPS,
  type OnboardingJob,
  type OnboardingStore,
} from "./onboarding-job.types.ts";
import { runOnboardingStep, type StepRequest } from "./run-onboarding-step.ts";

const metadata = parseAgentMetadata(
  readFileSync(
    new URL("../inventory/fixtures/virtualdomain-metadata.xml", import.meta.url),
    "utf8",
  ),
);

/** A loopback port that refuses connections: a node that cannot be asked anything. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function newJob(allowedNodes: string[], options: ResourceOptions): OnboardingJob {
  return newOnboardingJob({
    clusterId: "c1",
    vm: "web1",
    resourceName: "web1",
    allowedNodes,
    settings: exampleOnboardingSettings(options),
    actor: { actorId: null, actorName: "test" },
  });
}

/** A node on a closed loopback port: every command to it fails as unreachable. */
async function unreachableNode(id: string) {
  return {
    id,
    host: "127.0.0.1",
    port: await closedPort(),
    username: "root",
    password: "unused",
    hostKey: { keyType: "ssh-ed25519", fingerprint: `SHA256:${"A".repeat(43)}` },
  };
}

/** Runs one step of `job` on an in-memory store against `nodes`; the job after the step. */
async function runStep(
  job: OnboardingJob,
  nodes: Awaited<ReturnType<typeof unreachableNode>>[],
  request: StepRequest,
): Promise<OnboardingJob> {
  const jobs = new Map<string, OnboardingJob>([[job.id, job]]);
  const store = {
    findJob: async (id: string) => jobs.get(id) ?? null,
    saveJob: async (saved: OnboardingJob) => void jobs.set(saved.id, saved),
  } as unknown as OnboardingStore;
  const pool = new SshPool({
    log: { record: async () => {} },
    connectAttempts: 1,
    connectTimeoutMs: 2_000,
  });
  try {
    return await runOnboardingStep(
      {
        pool,
        store,
        locks: { runExclusive: (_request, operation) => operation() },
        clusterNodes: nodes,
      },
      job.id,
      request,
      { actorId: null, actorName: "test" },
    );
  } finally {
    await pool.close();
  }
}

describe("the create step", () => {
  it("refuses to create the resource when no node can give the agent's metadata", async () => {
    // A parameter the agent does not declare: only its metadata can tell.
    const job = newJob(["node1"], {
      ...defaultResourceOptions(metadata),
      params: { snapshots: "/x" },
    });
    for (const step of ONBOARDING_STEPS.filter((s) => s !== "create"))
      job.steps[step].state = "succeeded";
    const after = await runStep(job, [await unreachableNode("node1")], { step: "create" });
    expect(after.steps.create.state).toBe("failed");
    expect(after.steps.create.message).toMatch(/metadata could not be read.*node1/);
  });
});

describe("the distribute step", () => {
  it("writes every other allowed node again when run again, whatever the last run's rows said", async () => {
    const job = newJob(["node1", "node2", "node3"], defaultResourceOptions(metadata));
    job.sourceNode = "node1";
    job.config = { sha256: "a".repeat(64), bytes: 42, xml: "<domain><name>web1</name></domain>" };
    job.steps.preflight.state = "succeeded";
    job.steps.dump.state = "succeeded";
    job.steps.distribute.state = "failed";
    job.steps.distribute.nodes = [
      { node: "node1", state: "skipped", message: "node1 holds the original dump", ms: null },
      { node: "node2", state: "succeeded", message: "SHA-256 verified on node2", ms: null },
      { node: "node3", state: "failed", message: "unreachable", ms: null },
    ];
    const nodes = await Promise.all(["node1", "node2", "node3"].map(unreachableNode));
    const after = await runStep(job, nodes, { step: "distribute" });
    expect(after.steps.distribute.nodes.map((n) => [n.node, n.state])).toEqual([
      ["node1", "skipped"],
      ["node2", "failed"],
      ["node3", "failed"],
    ]);
    expect(after.steps.distribute.message).toBe(
      "The config did not reach node2, node3; the other nodes have it. Fix the node(s) and run this step again.",
    );
  });
});
