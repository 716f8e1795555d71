/**
 * Bench S (issue 14): Corral at real cluster sizes, in Debian's Chromium against the production
 * server (`next start`), on fake nodes: one real sshd per node running Corral's real agent, with
 * Pacemaker's own crm_mon and cibadmin reading a generated CIB (every VM probed on every node)
 * and virsh answering from generated state (packages/core/src/testing/fake-cluster.ts). Per size
 * (NODESxVMS, default 3x10 32x100 32x1000), side by side in one run:
 *   - a page view: time until every card of every page is whole, failed requests, node
 *     commands Corral ran for it (the long polls excepted);
 *   - one VM stopped or started (the CIB and virsh change as Pacemaker would change them), with
 *     1 and with 10 tabs open: bytes each tab received, server CPU, time until the card shows it,
 *     beside crm_mon's own run time on the same CIB;
 *   - the nodes' side of each change: the commands Corral ran on them (how many were crm_mon)
 *     and the CPU of every node's sshd and all it started (crm_mon, the agent, virsh), and what
 *     staying fresh costs them while nothing changes (the long polls).
 * Needs root and a production build (`pnpm exec turbo run build --filter=@corral/web`). Run:
 * pnpm --filter @corral/bench bench:scale [3x10 32x100 ...]
 */
import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type FakeCluster, startFakeCluster } from "@corral/core/testing/fake-cluster";
import { createDatabase, type Database, resolveDatabaseTarget } from "@corral/db";
import { chromiumLaunchOptions } from "@corral/e2e/chromium-launch";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { baseUrl, createFirstAdmin, startServer, stopServer } from "./corral-server.ts";

const PORT = 3410;
const FIRST_SSH_PORT = 24100;
const TABS = 10;
const CHANGES = 3;
/**
 * Server CPU is summed from each change until this long after it, or 1 s after the last tab
 * showed it when that is later; the quiet rate (measured over as long) times the window is
 * subtracted.
 */
const CPU_WINDOW_MS = 4_000;
/** No node command for this long: the monitor has settled after its start. */
const SETTLED_QUIET_MS = 10_000;
const GOALS = { bytes: 5_000, cpuRatio: 1.3, cardAfterCrmMonMs: 1_000 };
const execFileAsync = promisify(execFile);

declare global {
  interface Window {
    benchSse: { bytes: number; messages: number };
    benchCardLog: { value: string | null; at: number }[];
  }
}

/** Counts what the live stream delivers to the page (installed before the app's scripts). */
function countServerSentEvents() {
  const Original = window.EventSource;
  window.benchSse = { bytes: 0, messages: 0 };
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      this.addEventListener("message", (event) => {
        window.benchSse.bytes += (event as MessageEvent<string>).data.length;
        window.benchSse.messages++;
      });
    }
  };
}

interface ProcCpu {
  pid: number;
  ppid: number;
  pgrp: number;
  /** Its own user + system time, ms. */
  ownMs: number;
  /** That of its children it has reaped, ms. */
  reapedMs: number;
}

/** Every process's CPU so far, from /proc. */
async function readProcCpu(): Promise<ProcCpu[]> {
  const procs: ProcCpu[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (!stat) continue;
    // After the command: state ppid pgrp ... utime(11) stime(12) cutime(13) cstime(14).
    const fields = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    procs.push({
      pid: Number(entry),
      ppid: fields[1] ?? 0,
      pgrp: fields[2] ?? 0,
      ownMs: ((fields[11] ?? 0) + (fields[12] ?? 0)) * 10,
      reapedMs: ((fields[13] ?? 0) + (fields[14] ?? 0)) * 10,
    });
  }
  return procs;
}

/** Server CPU in ms: every process of the server's process group. */
async function serverCpuMs(server: ChildProcess): Promise<number> {
  return (await readProcCpu())
    .filter((proc) => proc.pgrp === server.pid)
    .reduce((sum, proc) => sum + proc.ownMs, 0);
}

/**
 * The nodes' CPU in ms: each node's sshd and everything it started, running (own time) or
 * ended (reaped into its parent's), so crm_mon, the agent and virsh are counted.
 */
async function nodesCpuMs(cluster: FakeCluster): Promise<number> {
  const procs = await readProcCpu();
  const parent = new Map(procs.map((proc) => [proc.pid, proc.ppid]));
  const roots = new Set(cluster.nodes.map((node) => node.sshd.pid()));
  const onNode = (pid: number): boolean => {
    for (let at: number | undefined = pid; at && at > 1; at = parent.get(at))
      if (roots.has(at)) return true;
    return false;
  };
  return procs
    .filter((proc) => onNode(proc.pid))
    .reduce((sum, proc) => sum + proc.ownMs + proc.reapedMs, 0);
}

async function crmMonMs(cluster: FakeCluster): Promise<number> {
  const started = performance.now();
  await execFileAsync("crm_mon", ["--output-as=xml"], {
    env: { ...process.env, CIB_file: cluster.cibPath },
    maxBuffer: 256 * 1024 * 1024,
  });
  return performance.now() - started;
}

/** A lab.json (packages/lab's shape) so register-lab registers the fake nodes like the lab. */
async function writeLabJson(cluster: FakeCluster, dir: string): Promise<string> {
  const nodes = [];
  for (const [index, node] of cluster.nodes.entries()) {
    const keyPath = path.join(dir, `${node.name}.key`);
    await writeFile(keyPath, node.sshd.privateKey, { mode: 0o600 });
    nodes.push({
      index: index + 1,
      name: node.name,
      address: "127.0.0.1",
      sshPort: node.sshd.port,
      user: "root",
      privateKeyPath: keyPath,
      hostKeyFingerprint: node.sshd.hostKey.fingerprint,
      hostKeyType: node.sshd.hostKey.keyType,
      netns: "none",
    });
  }
  const labJson = path.join(dir, "lab.json");
  await writeFile(
    labJson,
    JSON.stringify({
      name: cluster.name,
      subnet: "127.0.0.0/8",
      bridge: "none",
      hostAddress: "127.0.0.1",
      labDir: dir,
      knownHostsPath: path.join(dir, "known_hosts"),
      nodes,
      sharedStoragePath: dir,
      sharedStorageHostPath: dir,
      localStoragePath: dir,
      guests: [],
    }),
  );
  return labJson;
}

/**
 * Waits until each card on the page is whole, then (allPages) walks every page of the managed
 * VMs the same way; the number of cards seen.
 */
async function everyCardWhole(page: Page, vms: number, allPages = true): Promise<number> {
  const group = page.getByTestId("vms-managed");
  await page.waitForFunction(
    (count) =>
      document.querySelector("[data-testid=vms-managed]")?.getAttribute("data-count") ===
      String(count),
    vms,
    { polling: 50, timeout: 600_000 },
  );
  let seen = 0;
  for (;;) {
    await page.waitForFunction(
      () => {
        const cards = document.querySelectorAll("[data-testid=vms-managed] [data-testid=vm-card]");
        return (
          cards.length > 0 &&
          Array.from(cards).every((card) => card.getAttribute("data-whole") === "yes")
        );
      },
      undefined,
      { polling: 50, timeout: 600_000 },
    );
    seen += await group.getByTestId("vm-card").count();
    if (!allPages) return seen;
    const next = group.getByTestId("vms-page-next");
    if ((await next.count()) === 0 || (await next.isDisabled())) return seen;
    await next.click();
  }
}

/** The commands Corral ran on the nodes from `since` (to `until`), the long polls excepted. */
async function commandsBetween(
  database: Database,
  since: Date,
  until = new Date(),
): Promise<{ all: number; crmMon: number }> {
  const commands = await database.client.commandLogEntry.findMany({
    where: { kind: "command", startedAt: { gte: since, lte: until } },
    select: { argv: true },
  });
  // The long polls run whether a page is open or not.
  const run = commands.filter((command) => !command.argv?.includes('"watch"'));
  return {
    all: run.length,
    crmMon: run.filter((command) => command.argv?.includes('"crm_mon"')).length,
  };
}

/**
 * Waits until Corral has run no node command (the long polls excepted) for SETTLED_QUIET_MS:
 * the monitor's start (every node's agent, domains, hashes, the migration paths of every pair
 * of nodes, tried again while some node had not answered yet) is over before anything is
 * measured. How long that took.
 */
async function settled(database: Database): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 600_000) {
    const since = new Date(Date.now() - SETTLED_QUIET_MS);
    if ((await commandsBetween(database, since)).all === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error("Corral kept running node commands for 10 minutes after its start");
}

/**
 * A tab of its own browser context (signed in as `signedIn`): one Chromium profile opens at
 * most 6 connections per host, and every open VMs page holds one for its live stream.
 */
async function openTab(
  browser: Browser,
  signedIn: BrowserContext,
  failures: string[],
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(PORT),
    viewport: { width: 1366, height: 768 },
    storageState: await signedIn.storageState(),
  });
  await context.addInitScript(countServerSentEvents);
  const page = await context.newPage();
  page.on("requestfailed", (request) => {
    // Next's link prefetches that a navigation or a closing tab cancels are not failures.
    const reason = request.failure()?.errorText ?? "failed";
    if (reason !== "net::ERR_ABORTED") failures.push(`${request.url()}: ${reason}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failures.push(`${response.url()}: ${response.status()}`);
  });
  await page.goto("/vms");
  return page;
}

async function observeCard(page: Page, vm: string): Promise<void> {
  await page.evaluate((vm) => {
    const role = `[data-testid=vm-card][data-vm="${vm}"] [data-testid=vm-resource-role]`;
    window.benchCardLog = [];
    new MutationObserver(() => {
      const text = document.querySelector(role)?.textContent ?? null;
      if (text !== window.benchCardLog.at(-1)?.value)
        window.benchCardLog.push({ value: text, at: Date.now() });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, vm);
}

interface ChangeCost {
  bytesPerTab: number;
  cpuMs: number;
  /** The nodes' CPU in the same window, and the commands Corral ran on them for the change. */
  nodeCpuMs: number;
  nodeCommands: number;
  crmMonRuns: number;
  windowMs: number;
  cardMs: number;
  crmMonMs: number;
}

/** Stops then starts the first VM, CHANGES times each; what every change cost. */
async function measureChanges(
  cluster: FakeCluster,
  server: ChildProcess,
  database: Database,
  tabs: Page[],
): Promise<ChangeCost[]> {
  const vm = cluster.vms[0];
  if (!vm?.node) throw new Error("the first VM does not run");
  const home = vm.node;
  for (const tab of tabs) await observeCard(tab, vm.name);
  const costs: ChangeCost[] = [];
  for (let change = 0; change < CHANGES * 2; change++) {
    const stopping = change % 2 === 0;
    const expected = stopping ? "Stopped" : `Started on ${home}`;
    const bytesBefore = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => window.benchSse.bytes)),
    );
    const cpuBefore = await serverCpuMs(server);
    const nodeCpuBefore = await nodesCpuMs(cluster);
    const at = Date.now();
    await cluster.setVmRunning(vm.name, stopping ? null : home);
    const crmMon = await crmMonMs(cluster);
    const seen = await Promise.all(
      tabs.map(async (tab) => {
        const found = await tab
          .waitForFunction(
            ({ text, since }) =>
              // "Stopped (disabled)": the card says why it is stopped.
              window.benchCardLog.find(
                (entry) => entry.at >= since && entry.value?.startsWith(text),
              ),
            { text: expected, since: at },
            { polling: 20, timeout: 120_000 },
          )
          .catch(async (error: Error) => {
            const log = await tab.evaluate(() => window.benchCardLog);
            throw new Error(`the card never showed "${expected}": ${JSON.stringify(log)}`, {
              cause: error,
            });
          });
        return ((await found.jsonValue()) as { at: number }).at;
      }),
    );
    const end = Math.max(at + CPU_WINDOW_MS, Math.max(...seen) + 1_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
    const cpuMs = (await serverCpuMs(server)) - cpuBefore;
    const nodeCpuMs = (await nodesCpuMs(cluster)) - nodeCpuBefore;
    const commands = await commandsBetween(database, new Date(at), new Date(end));
    const bytesAfter = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => window.benchSse.bytes)),
    );
    const bytes = bytesAfter.reduce((sum, after, i) => sum + after - (bytesBefore[i] ?? 0), 0);
    costs.push({
      bytesPerTab: bytes / tabs.length,
      cpuMs,
      nodeCpuMs,
      nodeCommands: commands.all,
      crmMonRuns: commands.crmMon,
      windowMs: end - at,
      cardMs: Math.max(...seen) - at,
      crmMonMs: crmMon,
    });
  }
  return costs;
}

/** The server's and the nodes' CPU while nothing changes, over CPU_WINDOW_MS. */
async function quietCpuMs(
  server: ChildProcess,
  cluster: FakeCluster,
): Promise<{ server: number; nodes: number }> {
  const before = { server: await serverCpuMs(server), nodes: await nodesCpuMs(cluster) };
  await new Promise((resolve) => setTimeout(resolve, CPU_WINDOW_MS));
  return {
    server: (await serverCpuMs(server)) - before.server,
    nodes: (await nodesCpuMs(cluster)) - before.nodes,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ok: boolean) => (ok ? "OK" : "MISSED");

async function benchSize(browser: Browser, nodes: number, vms: number): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "corral-scalebench-"));
  const dataDir = path.join(dir, "data");
  let cluster: FakeCluster | null = null;
  let server: ChildProcess | null = null;
  let context: BrowserContext | null = null;
  let database: Database | null = null;
  const tabs: Page[] = [];
  try {
    cluster = await startFakeCluster({
      dir: path.join(dir, "cluster"),
      nodes,
      vms,
      firstPort: FIRST_SSH_PORT,
    });
    const crmMonAlone = median([
      await crmMonMs(cluster),
      await crmMonMs(cluster),
      await crmMonMs(cluster),
    ]);
    server = await startServer(dataDir, await writeLabJson(cluster, dir), PORT);
    context = await browser.newContext({
      baseURL: baseUrl(PORT),
      viewport: { width: 1366, height: 768 },
    });
    await context.addInitScript(countServerSentEvents);
    const failures: string[] = [];
    const first = await context.newPage();
    await createFirstAdmin(first);
    // The first view starts the monitor (agent checks, every node's domains, crm_mon, hashes).
    const warmStart = Date.now();
    await first.goto("/vms");
    await everyCardWhole(first, vms);
    const warmMs = Date.now() - warmStart;
    await first.close();
    database = await createDatabase(resolveDatabaseTarget({ dataDir }));
    const settledMs = await settled(database);

    const viewStart = new Date();
    const tab = await openTab(browser, context, failures);
    const cards = await everyCardWhole(tab, vms);
    const viewMs = Date.now() - viewStart.getTime();
    const viewCommands = (await commandsBetween(database, viewStart)).all;
    // Back to the first page, where the changed VM's card is.
    await tab.goto("/vms");
    await everyCardWhole(tab, vms, false);

    const quietOne = await quietCpuMs(server, cluster);
    const one = await measureChanges(cluster, server, database, [tab]);
    tabs.push(tab);
    for (let i = 1; i < TABS; i++) {
      const extra = await openTab(browser, context, failures);
      await everyCardWhole(extra, vms, false);
      tabs.push(extra);
    }
    const quietTen = await quietCpuMs(server, cluster);
    const ten = await measureChanges(cluster, server, database, tabs);

    const cpu = (costs: ChangeCost[], quiet: number) =>
      median(costs.map((c) => c.cpuMs - (quiet * c.windowMs) / CPU_WINDOW_MS));
    const nodeCpu = (costs: ChangeCost[], quiet: number) =>
      median(costs.map((c) => c.nodeCpuMs - (quiet * c.windowMs) / CPU_WINDOW_MS));
    const all = [...one, ...ten];
    const bytes = median(ten.map((c) => c.bytesPerTab));
    const cpuRatio = cpu(ten, quietTen.server) / cpu(one, quietOne.server);
    const cardAfterCrmMon = median(all.map((c) => c.cardMs - c.crmMonMs));
    console.log(`\n${nodes} nodes x ${vms} VMs`);
    console.log(
      `  page view: every card whole (${cards} cards, all pages) ${s(viewMs)} (first view, monitor starting: ${s(warmMs)}, settled ${s(settledMs)} later); failed requests ${failures.length}${failures.length ? ` (${failures.slice(0, 3).join("; ")})` : ""}; node commands ${viewCommands} (the long polls excepted)`,
    );
    console.log(
      `  one VM stopped/started, median of ${CHANGES * 2}: bytes per tab ${Math.round(median(one.map((c) => c.bytesPerTab)))} (1 tab) / ${Math.round(bytes)} (${TABS} tabs), goal < ${GOALS.bytes} ${verdict(bytes < GOALS.bytes)}`,
    );
    console.log(
      `  server CPU per change (from the change to ${s(CPU_WINDOW_MS)} after it or 1 s after every tab showed it; quiet ${quietOne.server} / ${quietTen.server} ms per ${s(CPU_WINDOW_MS)} subtracted): ${Math.round(cpu(one, quietOne.server))} ms (1 tab) / ${Math.round(cpu(ten, quietTen.server))} ms (${TABS} tabs), ratio ${cpuRatio.toFixed(2)} (goal <= ${GOALS.cpuRatio}) ${verdict(cpuRatio <= GOALS.cpuRatio)}`,
    );
    console.log(
      `  node side, median of ${all.length} changes: ${median(all.map((c) => c.nodeCommands))} commands Corral ran on the nodes (crm_mon ${median(all.map((c) => c.crmMonRuns))}), the nodes' CPU ${Math.round(nodeCpu(all, quietOne.nodes))} ms per change (${Math.round(nodeCpu(all, quietOne.nodes) / nodes)} ms per node); staying fresh while nothing changes (the long polls): ${Math.round((quietOne.nodes * 1000) / CPU_WINDOW_MS)} ms of node CPU per second for all ${nodes} nodes`,
    );
    console.log(
      `  CIB change -> card updated: ${s(median(one.map((c) => c.cardMs)))} (1 tab), ${s(median(ten.map((c) => c.cardMs)))} (all ${TABS} tabs); crm_mon on the same CIB ${s(median([...one, ...ten].map((c) => c.crmMonMs)))} (alone, before: ${s(crmMonAlone)}); card - crm_mon ${s(cardAfterCrmMon)} (goal <= ${s(GOALS.cardAfterCrmMonMs)}) ${verdict(cardAfterCrmMon <= GOALS.cardAfterCrmMonMs)}`,
    );
  } finally {
    for (const tab of tabs) await tab.context().close();
    await context?.close();
    await database?.close();
    if (server) await stopServer(server);
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the scale bench must run as root");
  const sizes = (
    process.argv.slice(2).length ? process.argv.slice(2) : ["3x10", "32x100", "32x1000"]
  ).map((size) => {
    const [nodes, vms] = size.split("x").map(Number);
    if (!nodes || !vms) throw new Error(`a size is NODESxVMS, not ${size}`);
    return { nodes, vms };
  });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    for (const { nodes, vms } of sizes) await benchSize(browser, nodes, vms);
  } finally {
    await browser.close();
  }
}

await main();
