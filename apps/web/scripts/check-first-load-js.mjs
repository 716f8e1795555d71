// Reads the production build (.next, after `next build`) and prints each page's first-load
// JavaScript, gzipped: the root main files every page loads plus the chunks of the page's own
// layouts and page (its client reference manifest). Exits 1 when a page passes the budget.
// Run: node apps/web/scripts/check-first-load-js.mjs [--budget-kb 200]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const next = path.join(import.meta.dirname, "..", ".next");
const budgetArg = process.argv.indexOf("--budget-kb");
const budgetKb = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 200;

if (!existsSync(path.join(next, "build-manifest.json"))) {
  console.error(`no production build in ${next}: run next build first`);
  process.exit(2);
}
const gzipped = new Map();
const sizeOf = (file) => {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(next, file))).length);
  return gzipped.get(file);
};
const root = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8")).rootMainFiles;

function* manifests(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* manifests(full);
    else if (entry.name === "page_client-reference-manifest.js") yield full;
  }
}

const pages = [];
for (const file of manifests(path.join(next, "server", "app"))) {
  globalThis.__RSC_MANIFEST = {};
  // The manifest is a script assigning globalThis.__RSC_MANIFEST[route].
  new Function(readFileSync(file, "utf8"))();
  for (const [route, manifest] of Object.entries(globalThis.__RSC_MANIFEST)) {
    const files = new Set(root);
    for (const chunks of Object.values(manifest.entryJSFiles ?? {})) {
      for (const chunk of chunks) files.add(chunk);
    }
    const bytes = [...files].reduce((sum, chunk) => sum + sizeOf(chunk), 0);
    pages.push({ route: route.replace(/\/page$/, "") || "/", bytes });
  }
}
if (pages.length === 0) {
  console.error("found no page in the build's client reference manifests");
  process.exit(2);
}
const shared = root.reduce((sum, chunk) => sum + sizeOf(chunk), 0);
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
let over = 0;
for (const { route, bytes } of pages.sort((a, b) => a.route.localeCompare(b.route))) {
  const ok = bytes <= budgetKb * 1000;
  if (!ok) over++;
  console.log(`${ok ? "ok  " : "OVER"} ${kb(bytes).padStart(9)}  ${route}`);
}
console.log(`shared by all: ${kb(shared)}; budget ${budgetKb} kB gzipped per page`);
if (over) {
  console.log(`${over} page(s) over the first-load JS budget`);
  process.exit(1);
}
