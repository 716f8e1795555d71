import { loadConfig } from "@corral/api";

/**
 * Validates the configuration at start-up, so a missing or invalid setting stops Corral with a
 * message naming it instead of failing on the first request. The server itself is built by the
 * first request (getCorralServer): this file is a separate bundle, and objects created here
 * would carry its own copies of the libraries' classes.
 */
export function startCorral(): void {
  try {
    const config = loadConfig();
    console.log(
      `Corral: ${config.database.provider} database, data in ${config.dataDir}, serving ${config.baseUrl}`,
    );
  } catch (error) {
    console.error(`Corral cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
