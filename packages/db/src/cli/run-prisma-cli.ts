import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/**
 * Runs the Prisma CLI for one provider's schema and migration history, with the preload that
 * lets it exit as soon as it is done. Returns the CLI's exit code; with `quiet`, its output is
 * kept and printed only when it fails.
 */
export function runPrismaCli(
  provider: "sqlite" | "postgres",
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): number {
  const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");
  const config = path.resolve(import.meta.dirname, `../prisma-config/${provider}.config.ts`);
  const preload = path.resolve(import.meta.dirname, "unref-wasm-timers.cjs");
  const result = spawnSync(
    process.execPath,
    ["--require", preload, cli, ...args, "--config", config],
    {
      stdio: options.quiet ? "pipe" : "inherit",
      encoding: "utf8",
      env: { ...(options.env ?? process.env), CHECKPOINT_DISABLE: "1" },
    },
  );
  if (options.quiet && result.status !== 0) process.stderr.write(result.stdout + result.stderr);
  return result.status ?? 1;
}
