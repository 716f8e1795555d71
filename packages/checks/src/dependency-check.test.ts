import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const depcruise = path.join(repoRoot, "node_modules/.bin/depcruise");
const config = path.join(repoRoot, ".dependency-cruiser.cjs");

/** Runs the check; depcruise exits with the number of violations it found. */
async function check(command: string, args: string[], cwd: string) {
  try {
    const { stdout } = await run(command, args, { cwd });
    return { violations: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { violations: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

const fixtures: string[] = [];
afterAll(() => {
  for (const dir of fixtures) rmSync(dir, { recursive: true, force: true });
});

/** The check with the repository's rules, on a tree laid out like it with the given files. */
function checkFixture(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "corral-dependency-check-"));
  fixtures.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return check(depcruise, ["apps", "packages", "--config", config], dir);
}

// A small tree like the repository's; the cycle this check was added for is the server building
// services that name its type.
const tree = {
  "apps/web/lib/trpc.ts": "export const trpc = {};\n",
  "packages/api/src/server.ts": [
    'import { VmsService } from "./routers/vms/vms-service.ts";',
    "export interface CorralServer { vms: VmsService }",
  ].join("\n"),
  "packages/core/src/move-resource.ts": "export const moveResource = () => {};\n",
};
const serviceWithCycle = [
  'import type { CorralServer } from "../../server.ts";',
  "export class VmsService { constructor(readonly server: CorralServer) {} }",
].join("\n");
const serviceWithoutCycle = [
  'import { moveResource } from "../../../../core/src/move-resource.ts";',
  "export class VmsService { move = moveResource; }",
].join("\n");

describe("the dependency check (pnpm lint:deps)", () => {
  it("passes on the repository", { timeout: 180_000 }, async () => {
    const result = await check("pnpm", ["--silent", "run", "lint:deps"], repoRoot);
    expect(result.output).toContain("no dependency violations found");
    expect(result.violations).toBe(0);
  });

  it("passes on a tree without a cycle", { timeout: 60_000 }, async () => {
    const result = await checkFixture({
      ...tree,
      "packages/api/src/routers/vms/vms-service.ts": serviceWithoutCycle,
    });
    expect(result.violations).toBe(0);
  });

  it("fails on a cycle closed by a type-only import", { timeout: 60_000 }, async () => {
    const result = await checkFixture({
      ...tree,
      "packages/api/src/routers/vms/vms-service.ts": serviceWithCycle,
    });
    expect(result.violations).toBeGreaterThan(0);
    expect(result.output).toMatch(
      /error no-cycle: packages\/api\/src\/routers\/vms\/vms-service\.ts →\s+packages\/api\/src\/server\.ts/,
    );
  });

  it("fails on imports up the layers", { timeout: 60_000 }, async () => {
    const result = await checkFixture({
      ...tree,
      "packages/api/src/routers/vms/vms-service.ts": serviceWithoutCycle,
      "packages/core/src/read-server.ts": [
        'import type { CorralServer } from "../../api/src/server.ts";',
        'import type { Database } from "@corral/db";',
        "export type Parts = [CorralServer, Database];",
      ].join("\n"),
      "packages/db/src/repository.ts": 'export * from "../../../apps/web/lib/trpc.ts";\n',
    });
    expect(result.output).toContain(
      "error core-imports-above: packages/core/src/read-server.ts → packages/api/src/server.ts",
    );
    // A workspace package the importer does not depend on does not resolve.
    expect(result.output).toContain(
      "error unresolvable: packages/core/src/read-server.ts → @corral/db",
    );
    expect(result.output).toContain(
      "error db-imports-above: packages/db/src/repository.ts → apps/web/lib/trpc.ts",
    );
    expect(result.violations).toBe(3);
  });
});
