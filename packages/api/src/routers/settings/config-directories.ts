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

/** True when `path` is a file below one of `directories` (the paths are normalised already). */
export function isUnderConfigDirectories(path: string, directories: string[]): boolean {
  return directories.some((directory) => path.startsWith(`${directory}/`));
}
