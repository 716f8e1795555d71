import { AppError } from "@corral/core";
import type { SettingRepository } from "@corral/db";

const CONFIG_DIRECTORIES_KEY = "onboarding.configDirectories";
const DEFAULT_CONFIG_DIRECTORIES = ["/etc/pacemaker"];

/** The directories an admin allows config files under; /etc/pacemaker until one sets them. */
export async function readConfigDirectories(settings: SettingRepository): Promise<string[]> {
  const stored = await settings.get(CONFIG_DIRECTORIES_KEY);
  return stored ? (JSON.parse(stored) as string[]) : DEFAULT_CONFIG_DIRECTORIES;
}

export function writeConfigDirectories(settings: SettingRepository, directories: string[]) {
  return settings.set(CONFIG_DIRECTORIES_KEY, JSON.stringify(directories));
}

/**
 * Refuses a config file outside the allowed directories. A prefix test suffices: the config path
 * schema refuses . and .. segments, and the agent refuses any path that is not normalised.
 */
export async function refuseConfigPathOutsideDirectories(
  settings: SettingRepository,
  path: string,
): Promise<void> {
  const directories = await readConfigDirectories(settings);
  if (directories.some((directory) => path.startsWith(`${directory}/`))) return;
  throw new AppError(
    "INVALID_INPUT",
    `${path} is outside the directories config files may be written to (${directories.join(", ")}); an admin sets them on the Settings page.`,
  );
}
