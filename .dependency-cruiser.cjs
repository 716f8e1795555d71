// The dependency check `pnpm lint` runs (ARCHITECTURE.md, "The layers"): no import cycle,
// type-only imports included, and no import that runs up the layers
// web -> api -> {db, lab} -> core -> agent.
const path = require("node:path");

const layer = {
  web: "^apps/web/",
  api: "^packages/api/",
  db: "^packages/db/",
  lab: "^packages/lab/",
  core: "^packages/core/",
  agent: "^packages/agent/",
  tests: "^(e2e|bench)/",
};

const upward = (from, above) => ({
  name: `${from}-imports-above`,
  comment: `${from} imports only from the layers below it (ARCHITECTURE.md, "The layers")`,
  severity: "error",
  from: { path: layer[from] },
  to: { path: above.map((name) => layer[name]) },
});

module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "an import cycle, type-only imports included, ties the modules on it together",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "unresolvable",
      comment:
        "an import that does not resolve, such as a workspace package the importer does not " +
        "depend on (which is how an import up the layers usually starts)",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    upward("agent", ["core", "db", "lab", "api", "web", "tests"]),
    upward("core", ["db", "lab", "api", "web", "tests"]),
    upward("db", ["lab", "api", "web", "tests"]),
    upward("lab", ["db", "api", "web", "tests"]),
    upward("api", ["web", "tests"]),
    upward("web", ["tests"]),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Generated: Next's type references, the Prisma clients.
    exclude: {
      path: ["(^|/)node_modules/", "(^|/)\\.next/", "/next-env\\.d\\.ts$", "/src/generated/"],
    },
    tsPreCompilationDeps: true,
    // for the web's "@/*" path
    tsConfig: { fileName: path.join(__dirname, "tsconfig.dependency-cruiser.json") },
    enhancedResolveOptions: {
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
      conditionNames: ["import", "require", "node", "default", "types"],
      exportsFields: ["exports"],
      mainFields: ["module", "main", "types"],
    },
  },
};
