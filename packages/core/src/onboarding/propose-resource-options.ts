import type { ResourceOptions } from "./build-resource-create-command.ts";
import { LIVE_MIGRATION_PARAMS } from "./check-migration-readiness.ts";
import type { OnboardingJob } from "./onboarding-job.types.ts";

/**
 * The agent parameters a live migration of this job's resource will use: the chosen options',
 * or (before they are chosen) what the wizard proposes, with the job's migration network suffix.
 */
export function migrationParamsOf(
  job: Pick<OnboardingJob, "settings">,
  options: ResourceOptions | null = job.settings.resourceOptions,
): Record<string, string> {
  const suffix = job.settings.migrationNetworkSuffix;
  return {
    ...(options ? {} : LIVE_MIGRATION_PARAMS),
    ...(suffix ? { migration_network_suffix: suffix } : {}),
    ...Object.fromEntries(
      Object.entries(options?.params ?? {}).filter(([, value]) => value.trim() !== ""),
    ),
  };
}

/**
 * The options the form starts from: the agent's defaults, plus hypervisor=qemu:///system and
 * migration_transport=ssh (the URI the migration step tested) and the migration network suffix;
 * allow-migrate on only when every pair passed.
 */
export function proposeResourceOptions(
  defaults: ResourceOptions,
  job: Pick<OnboardingJob, "settings" | "steps">,
): ResourceOptions {
  const readiness = job.steps.migration.detail;
  return {
    ...defaults,
    params: { ...defaults.params, ...migrationParamsOf(job, null) },
    allowMigrate: defaults.allowMigrate && !readiness?.acceptedRestartMoves,
  };
}
