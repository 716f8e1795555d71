import type { ResourceOptions } from "../onboarding/build-resource-create-command.ts";
import type { OnboardingSettings } from "../onboarding/onboarding-job.types.ts";

/** Valid settings for onboarding web1, for tests that need a job or a request to start from. */
export function exampleOnboardingSettings(resourceOptions: ResourceOptions): OnboardingSettings {
  return {
    configPath: "/etc/pacemaker/web1.xml",
    shutdownTimeoutS: 60,
    startTimeoutS: 60,
    guestAlive: null,
    migrationNetworkSuffix: null,
    resourceOptions,
  };
}
