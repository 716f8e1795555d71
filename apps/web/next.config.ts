import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace packages are TypeScript source (no build step); Next compiles them.
  transpilePackages: ["@corral/api", "@corral/core", "@corral/db"],
  // Native and driver modules stay plain Node requires on the server.
  serverExternalPackages: ["better-sqlite3", "pg", "pino", "ssh2"],
  poweredByHeader: false,
  typedRoutes: true,
};

export default config;
