import { configPathSchema } from "@corral/core/schemas";
import { z } from "zod";

/**
 * The directories onboarding may write a VM's config file under. Each is held to the config
 * path's own rules (absolute, normalised, characters the agent can use unquoted, outside
 * libvirt's directories), so no directory lets through a path the rules would refuse.
 */
export const setConfigDirectoriesInput = z.object({
  directories: z
    .array(configPathSchema)
    .min(1, "Allow at least one directory.")
    .max(16, "At most 16 directories."),
});
