import { newOnboardingJob, sealCredentials } from "@corral/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../testing/test-server.ts";

const settings = {
  configPath: "/etc/pacemaker/web1.xml",
  shutdownTimeoutS: 60,
  startTimeoutS: 60,
  guestAlive: null,
  migrationNetworkSuffix: null,
  resourceOptions: null,
};
const pingCommand = { kind: "command" as const, argv: ["ping", "-c1", "-W1", "192.0.2.50"] };

let clusters = 0;

/** A cluster of one node nothing connects to, and a job onboarding web1 on it. */
async function waitingJob(test: TestServer) {
  const clusterId = `c${++clusters}`;
  const nodeId = `${clusterId}-node1`;
  await test.server.clusterServices.registry.registerCluster({ id: clusterId, name: clusterId }, [
    {
      id: nodeId,
      name: "node1",
      host: `192.0.2.${clusters}`,
      port: 22,
      username: "root",
      hostKey: {
        keyType: "ssh-ed25519",
        fingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      },
      sealed: sealCredentials(
        { username: "root", password: "unused" },
        test.server.clusterServices.credentialKey,
        nodeId,
      ),
      agentVersion: null,
      versions: null,
      lastSeenAt: null,
    },
  ]);
  const job = newOnboardingJob({
    clusterId,
    vm: "web1",
    resourceName: "web1",
    allowedNodes: ["node1"],
    settings,
    actor: { actorId: "someone", actorName: "someone@example.test" },
  });
  await test.server.services.onboarding.store.createJob(job);
  return job;
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("what an onboarding may ask of the nodes, by role", () => {
  let test: TestServer;
  let operator: Awaited<ReturnType<TestServer["caller"]>>;
  let admin: Awaited<ReturnType<TestServer["caller"]>>;

  beforeAll(async () => {
    test = await createTestServer();
    operator = await test.caller((await test.signedIn("operator")).headers);
    admin = await test.caller((await test.signedIn("admin")).headers);
  });
  afterAll(() => test?.dispose());

  it("refuses an operator's guest-alive command, at start and on update", async () => {
    const started = await refusal(
      operator.onboarding.start({
        clusterId: "anywhere",
        vm: "web1",
        resourceName: "web1",
        allowedNodes: ["node1"],
        settings: { ...settings, guestAlive: pingCommand },
      }),
    );
    expect(started.code).toBe("FORBIDDEN");
    expect(started.message).toMatch(/only an admin may set a guest-alive command/i);

    const job = await waitingJob(test);
    const updated = await refusal(
      operator.onboarding.update({ jobId: job.id, settings: { guestAlive: pingCommand } }),
    );
    expect(updated.code).toBe("FORBIDDEN");
    expect((await operator.onboarding.get({ jobId: job.id })).settings.guestAlive).toBeNull();
  });

  it("lets an operator use the console pattern, and an admin the command", async () => {
    const job = await waitingJob(test);
    const pattern = { kind: "console" as const, pattern: "login:" };
    const byOperator = await operator.onboarding.update({
      jobId: job.id,
      settings: { guestAlive: pattern },
    });
    expect(byOperator.settings.guestAlive).toEqual(pattern);
    const byAdmin = await admin.onboarding.update({
      jobId: job.id,
      settings: { guestAlive: pingCommand },
    });
    expect(byAdmin.settings.guestAlive).toEqual(pingCommand);
  });

  it("keeps config paths under the directories an admin allows, /etc/pacemaker by default", async () => {
    expect(await operator.settings.configDirectories()).toEqual({
      directories: ["/etc/pacemaker"],
    });
    const outside = await refusal(
      operator.onboarding.start({
        clusterId: "anywhere",
        vm: "web1",
        resourceName: "web1",
        allowedNodes: ["node1"],
        settings: { ...settings, configPath: "/root/.ssh/authorized_keys" },
      }),
    );
    expect(outside.code).toBe("BAD_REQUEST");
    expect(outside.message).toContain("outside the directories");
    expect(outside.message).toContain("/etc/pacemaker");

    const job = await waitingJob(test);
    for (const configPath of ["/etc/cron.d/web1", "/etc/pacemakerx/web1.xml", "/etc/pacemaker"]) {
      const refused = await refusal(
        admin.onboarding.update({ jobId: job.id, settings: { configPath } }),
      );
      expect(refused.message, configPath).toContain("outside the directories");
    }
    const inside = await operator.onboarding.update({
      jobId: job.id,
      settings: { configPath: "/etc/pacemaker/vms/web1.xml" },
    });
    expect(inside.settings.configPath).toBe("/etc/pacemaker/vms/web1.xml");

    expect(
      (await refusal(operator.settings.setConfigDirectories({ directories: ["/"] }))).code,
    ).toBe("FORBIDDEN");
    await admin.settings.setConfigDirectories({ directories: ["/srv/vm-configs"] });
    const moved = await operator.onboarding.update({
      jobId: job.id,
      settings: { configPath: "/srv/vm-configs/web1.xml" },
    });
    expect(moved.settings.configPath).toBe("/srv/vm-configs/web1.xml");
    const refused = await refusal(
      operator.onboarding.update({
        jobId: job.id,
        settings: { configPath: "/etc/pacemaker/web1.xml" },
      }),
    );
    expect(refused.message).toContain("/srv/vm-configs");
    // A job that took its path before the directories narrowed runs no step until it moves.
    const earlier = await waitingJob(test);
    const step = await refusal(
      operator.onboarding.runStep({ jobId: earlier.id, request: { step: "preflight" } }),
    );
    expect(step.code).toBe("BAD_REQUEST");
    expect(step.message).toContain("/srv/vm-configs");
  });
});
