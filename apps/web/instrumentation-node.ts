import { getCorralServer } from "@corral/api";

/**
 * Builds the server from the validated configuration at start-up, so a missing or invalid
 * setting stops Corral with a message naming it instead of failing on the first request.
 */
export async function startCorral(): Promise<void> {
  try {
    const server = await getCorralServer();
    server.logger.info(
      { database: server.config.database.provider, dataDir: server.config.dataDir },
      "Corral started",
    );
  } catch (error) {
    console.error(`Corral cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
