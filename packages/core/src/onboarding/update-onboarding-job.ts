import type { AgentLocation } from "../agent/agent-layout.ts";
import { AppError } from "../errors.ts";
import { applyOnboarding, settingsBlocker } from "../operations/onboarding-operation.ts";
import type { OnboardingJob, OnboardingSettings, OnboardingStore } from "./onboarding-job.types.ts";
import { planCommands } from "./plan-onboarding-commands.ts";

/**
 * The operator changes the allowed nodes or the settings between steps; the steps that relied
 * on them run again (applyOnboarding, "settings-changed").
 */
export async function updateOnboardingJob(
  store: OnboardingStore,
  jobId: string,
  patch: { allowedNodes?: string[]; settings?: Partial<OnboardingSettings> },
  clusterNodeNames: readonly string[],
  location: AgentLocation = {},
): Promise<OnboardingJob> {
  const job = await store.findJob(jobId);
  if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${jobId}.`);
  const blocker = settingsBlocker(job);
  if (blocker) throw new AppError("CONFLICT", blocker);
  if (patch.allowedNodes) {
    const unknown = patch.allowedNodes.filter((n) => !clusterNodeNames.includes(n));
    if (unknown.length || patch.allowedNodes.length === 0) {
      throw new AppError(
        "INVALID_INPUT",
        unknown.length
          ? `${unknown.join(", ")} is not a node of this cluster.`
          : "Allow at least one node.",
      );
    }
  }
  const at = new Date().toISOString();
  const changed = applyOnboarding(job, {
    type: "settings-changed",
    ...(patch.allowedNodes ? { allowedNodes: patch.allowedNodes } : {}),
    ...(patch.settings ? { settings: patch.settings } : {}),
    at,
  });
  const planned = applyOnboarding(changed, {
    type: "commands-planned",
    commands: planCommands(changed, location),
    at,
  });
  await store.saveJob(planned);
  return planned;
}
