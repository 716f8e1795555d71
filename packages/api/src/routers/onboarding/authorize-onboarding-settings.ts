import { AppError } from "@corral/core";
import type { z } from "zod";
import { roleAtLeast } from "../../auth/roles.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseConfigPathOutsideDirectories } from "../settings/config-directories.ts";
import type { onboardingSettingsInput } from "./onboarding-job.schema.ts";

/**
 * What onboarding settings may ask of the nodes, checked before a job stores them: the agent
 * runs the guest-alive command as root on every allowed node, so only an admin sets one; it
 * writes the config file as root, so only under the directories an admin allows.
 */
export async function authorizeOnboardingSettings(
  ctx: Pick<AuthenticatedContext, "server" | "user">,
  settings: Partial<z.infer<typeof onboardingSettingsInput>>,
): Promise<void> {
  if (settings.guestAlive?.kind === "command" && !roleAtLeast(ctx.user.role, "admin")) {
    throw new AppError(
      "FORBIDDEN",
      'Only an admin may set a guest-alive command: it runs as root on the nodes. Use the serial console pattern or "libvirt says running".',
    );
  }
  if (settings.configPath !== undefined) {
    await refuseConfigPathOutsideDirectories(ctx.server.settings, settings.configPath);
  }
}
