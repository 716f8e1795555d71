import { randomUUID } from "node:crypto";
import type { AgentLocation } from "../agent/agent-layout.ts";
import { applyOnboarding, openOnboardingJob } from "../operations/onboarding-operation.ts";
import type { OnboardingJob, OnboardingSettings } from "./onboarding-job.types.ts";
import { planCommands } from "./plan-onboarding-commands.ts";
import type { OnboardingActor } from "./steps/step-run.ts";

/** The wizard's job for a VM, waiting for its first step, every step's commands planned. */
export function newOnboardingJob(input: {
  clusterId: string;
  vm: string;
  resourceName: string;
  allowedNodes: string[];
  settings: OnboardingSettings;
  actor: OnboardingActor;
  agentLocation?: AgentLocation;
}): OnboardingJob {
  const now = new Date();
  const job = openOnboardingJob(
    {
      id: randomUUID(),
      clusterId: input.clusterId,
      vm: input.vm,
      resourceName: input.resourceName,
      allowedNodes: input.allowedNodes,
      settings: input.settings,
      actorId: input.actor.actorId,
      actorName: input.actor.actorName,
    },
    now,
  );
  return applyOnboarding(job, {
    type: "commands-planned",
    commands: planCommands(job, input.agentLocation),
    at: now.toISOString(),
  });
}
