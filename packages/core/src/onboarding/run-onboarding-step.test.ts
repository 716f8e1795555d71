import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { exampleOnboardingSettings } from "../testing/example-onboarding-settings.ts";
import { defaultResourceOptions } from "./build-resource-create-command.ts";
import { newOnboardingJob } from "./new-onboarding-job.ts";
import {
  ONBOARDING_STEPS,
  type OnboardingJob,
  type OnboardingStore,
} from "./onboarding-job.types.ts";
import { runOnboardingStep } from "./run-onboarding-step.ts";

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

describe("the create step", () => {
  it("refuses to create the resource when no node can give the agent's metadata", async () => {
    const job = newOnboardingJob({
      clusterId: "c1",
      vm: "web1",
      resourceName: "web1",
      allowedNodes: ["node1"],
      // A parameter the agent does not declare: only its metadata can tell.
      settings: exampleOnboardingSettings({
        ...defaultResourceOptions(metadata),
        params: { snapshots: "/x" },
      }),
      actor: { actorId: null, actorName: "test" },
    });
    for (const step of ONBOARDING_STEPS.filter((s) => s !== "create"))
      job.steps[step].state = "succeeded";
    const jobs = new Map<string, OnboardingJob>([[job.id, job]]);
    const store = {
      findJob: async (id: string) => jobs.get(id) ?? null,
      saveJob: async (saved: OnboardingJob) => void jobs.set(saved.id, saved),
    } as unknown as OnboardingStore;
    const node = {
      id: "node1",
      host: "127.0.0.1",
      port: await closedPort(),
      username: "root",
      password: "unused",
      hostKey: { keyType: "ssh-ed25519", fingerprint: `SHA256:${"A".repeat(43)}` },
    };
    const pool = new SshPool({
      log: { record: async () => {} },
      connectAttempts: 1,
      connectTimeoutMs: 2_000,
    });
    try {
      const after = await runOnboardingStep(
        {
          pool,
          store,
          locks: { runExclusive: (_request, operation) => operation() },
          clusterNodes: [node],
        },
        job.id,
        { step: "create" },
        { actorId: null, actorName: "test" },
      );
      expect(after.steps.create.state).toBe("failed");
      expect(after.steps.create.message).toMatch(/metadata could not be read.*node1/);
    } finally {
      await pool.close();
    }
  });
});
