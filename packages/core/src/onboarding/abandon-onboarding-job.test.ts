import { describe, expect, it } from "vitest";
import { planAbandon } from "./abandon-onboarding-job.ts";
import { newOnboardingJob } from "./new-onboarding-job.ts";

function job() {
  const created = newOnboardingJob({
    clusterId: "c",
    vm: "web1",
    resourceName: "web1",
    allowedNodes: ["node1", "node2"],
    settings: {
      configPath: "/etc/pacemaker/web1.xml",
      shutdownTimeoutS: 60,
      startTimeoutS: 120,
      guestAlive: null,
      migrationNetworkSuffix: null,
      resourceOptions: null,
    },
    actor: { actorId: null, actorName: "Ada" },
  });
  created.sourceNode = "node1";
  return created;
}

const sha = "a".repeat(64);

describe("planAbandon", () => {
  it("removes nothing for a job that wrote nothing", () => {
    const plan = planAbandon(job(), false);
    expect(plan.actions).toEqual([]);
    expect(plan.keeps.join(" ")).toContain("web1 stays defined on node1");
  });

  it("removes each config file the job wrote, only while it holds the job's bytes", () => {
    const written = job();
    written.written = [
      { node: "node1", path: "/etc/pacemaker/web1.xml", sha256: sha },
      { node: "node2", path: "/etc/pacemaker/web1.xml", sha256: sha },
    ];
    const plan = planAbandon(written, false, { root: "/opt/corral" });
    expect(plan.actions.map((a) => [a.kind, a.node, a.argv.slice(-3)])).toEqual([
      ["remove-config", "node1", ["remove-config", "/etc/pacemaker/web1.xml", sha]],
      ["remove-config", "node2", ["remove-config", "/etc/pacemaker/web1.xml", sha]],
    ]);
  });

  it("deletes the resource it created and defines the domain again before removing files", () => {
    const created = job();
    created.steps.create.state = "failed";
    created.written = [{ node: "node2", path: "/etc/pacemaker/web1.xml", sha256: sha }];
    const plan = planAbandon(created, true);
    expect(plan.actions.map((a) => a.argv.slice(0, 4).join(" "))).toEqual([
      "pcs resource delete web1",
      "virsh --connect qemu:///system define",
      expect.stringContaining("python3"),
    ]);
    expect(plan.actions[1]?.argv.at(-1)).toBe("/etc/pacemaker/web1.xml");
  });

  it("keeps a resource of that name the job did not create", () => {
    const plan = planAbandon(job(), true);
    expect(plan.actions).toEqual([]);
    expect(plan.keeps[0]).toContain("this job did not create it");
  });
});
