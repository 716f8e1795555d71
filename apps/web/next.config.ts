import type { NextConfig } from "next";

/**
 * Every response's security headers. Scripts stay 'self' plus inline: Next streams its page data
 * in inline scripts and the theme script runs before hydration; what the policy adds is that no
 * page loads or sends anything elsewhere, nor is framed by another site.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

const config: NextConfig = {
  // The workspace packages are TypeScript source (no build step); Next compiles them.
  transpilePackages: ["@corral/api", "@corral/core", "@corral/db"],
  // Native and driver modules stay plain Node requires on the server.
  serverExternalPackages: ["better-sqlite3", "pg", "pino", "ssh2"],
  poweredByHeader: false,
  typedRoutes: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default config;
