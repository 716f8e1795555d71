import { EventEmitter, on } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureAgent } from "../agent/install-agent.ts";
import { listNodeDomains } from "../agent/list-node-domains.ts";
import { readNodeFacts } from "../agent/read-node-facts.ts";
import { AppError } from "../errors.ts";
import {
  type ClusterStatus,
  type FenceEvent,
  parseFenceDeviceList,
  parseFenceHistory,
} from "../inventory/parse-crm-mon.ts";
import {
  type LocationConstraint,
  parseLocationConstraints,
} from "../inventory/parse-location-constraints.ts";
import { err, ok, type Result } from "../result.ts";
import { probeHostKey } from "../ssh/host-key.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import { readClusterStatus } from "../vm-actions/read-cluster-status.ts";
import { buildInventory, type NodeLiveState } from "./build-inventory.ts";
import type { ClusterServices } from "./cluster-services.ts";
import { type PlacementClaim, reviewPlacementAlarms } from "./confirm-placement-alarms.ts";
import { type FileHash, hashConfigFiles } from "./hash-config-files.ts";
import type { Inventory, MigrationPathCheck } from "./inventory.types.ts";
import { diffInventory, type InventoryDelta } from "./inventory-delta.ts";
import { InventoryFeed } from "./inventory-feed.ts";
import { type DomainResource, listDomainResources } from "./list-domain-resources.ts";
import {
  migrationPlanKey,
  plannedMigrationPaths,
  probeMigrationPaths,
  probePeriodMs,
  SSH_TRUST_FILES,
} from "./migration-paths.ts";
import { openNodeTarget } from "./open-node-target.ts";
import type { NodeHealthUpdate, RegisteredCluster, RegisteredNode } from "./registered-cluster.ts";
import { LIBVIRT_AUTOSTART_DIR, type NodeWatch, watchNode } from "./watch-node.ts";

/** The first pause before probing again after an incomplete probe. */
const INCOMPLETE_PROBE_RETRY_MS = 10_000;

export interface ClusterMonitorOptions {
  /** How long one `corral-agent watch` waits on the node for a change before it answers anyway. */
  watchWaitS?: number;
  /** First pause after a failed contact; doubles per failure up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /**
   * How often, at least, every live-migration path is probed again (ssh and libvirt between the
   * nodes), besides at once when the paths or a node's ssh trust files change; a cluster with
   * many paths is probed less often (probePeriodMs).
   */
  migrationProbeMs?: number;
  /**
   * How often the fencer's history is read: it is not in the CIB, so a fencing that changed no
   * node's state (one that failed, say) would wait for the next cluster change otherwise.
   */
  fenceHistoryMs?: number;
}

/**
 * Keeps every registered cluster's inventory fresh and tells subscribers when it changes.
 *
 * Per node, one long-polling `corral-agent watch` at a time (one SSH channel on the pooled
 * connection): the node compares its CIB version and domain states every 0.5 s locally and
 * answers only on a change. On a change the monitor re-reads what changed: crm_mon (once per
 * cluster, from one node where Pacemaker runs) or that node's domains, and publishes one
 * snapshot that every subscriber shares. Cost grows with changes and nodes, not with clients.
 */
export class ClusterMonitor {
  readonly #events = new EventEmitter().setMaxListeners(0);
  readonly #feed = new InventoryFeed();
  readonly #watches = new Map<string, ClusterWatch>();
  readonly #options: Required<ClusterMonitorOptions>;
  #started: Promise<void> | undefined;
  #stopped = false;
  /** Watches of removed clusters, still finishing their last commands. */
  readonly #retiring = new Set<Promise<void>>();

  constructor(
    private readonly services: ClusterServices,
    options: ClusterMonitorOptions = {},
  ) {
    this.#options = {
      watchWaitS: 50,
      minRetryMs: 1_000,
      maxRetryMs: 30_000,
      migrationProbeMs: 300_000,
      fenceHistoryMs: 15_000,
      ...options,
    };
  }

  /** Starts watching every registered cluster; later calls return the same start. */
  start(): Promise<void> {
    this.#started ??= this.#sync();
    return this.#started;
  }

  /**
   * Watches exactly the registered clusters. Run on every read too: another process (the
   * lab registration of scripts/up.sh, a second server) may have changed the registry.
   */
  async #sync(): Promise<void> {
    const clusters = await this.services.registry.listClusters();
    const registered = new Set(clusters.map((cluster) => cluster.id));
    for (const [id, watch] of this.#watches) {
      if (!registered.has(id)) {
        this.#retire(watch);
        this.#watches.delete(id);
        this.#feed.remove(id);
      }
    }
    for (const cluster of clusters) {
      const watch = this.#watches.get(cluster.id);
      if (!watch) this.#watch(cluster);
      else if (watch.differsFrom(cluster)) watch.update(cluster);
    }
  }

  /** Picks up a registration change (cluster or nodes added, removed, key replaced). */
  async reload(clusterId: string): Promise<void> {
    await this.start();
    const cluster = await this.services.registry.findCluster(clusterId);
    const existing = this.#watches.get(clusterId);
    if (!cluster) {
      if (existing) this.#retire(existing);
      this.#watches.delete(clusterId);
      this.#feed.remove(clusterId);
      this.#events.emit("removed", clusterId);
      return;
    }
    if (existing) existing.update(cluster);
    else this.#watch(cluster);
  }

  /** Every watched cluster's inventory, after catching up with the registry. */
  async inventories(): Promise<Inventory[]> {
    await this.start();
    await this.#sync();
    return this.snapshots();
  }

  /** The inventories as last published: what subscribers get on a change, without a query. */
  snapshots(): Inventory[] {
    return [...this.#watches.values()]
      .map((watch) => watch.inventory)
      .sort((a, b) => a.clusterName.localeCompare(b.clusterName));
  }

  async inventory(clusterId: string): Promise<Inventory | null> {
    await this.start();
    return this.#watches.get(clusterId)?.inventory ?? null;
  }

  /** Yields each new inventory snapshot (of any cluster) until `signal` aborts. */
  async *changes(signal: AbortSignal | undefined): AsyncGenerator<Inventory> {
    try {
      for await (const [inventory] of on(this.#events, "inventory", { signal })) {
        yield inventory as Inventory;
      }
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }

  /**
   * The live stream of every cluster, as JSON arrays of InventoryFeedMessage: snapshots first,
   * then one delta per new version, each encoded once for all subscribers (InventoryFeed).
   */
  async *feed(signal: AbortSignal | undefined): AsyncGenerator<string> {
    await this.start();
    await this.#sync();
    yield* this.#feed.follow(signal);
  }

  /**
   * Stops every watch. Resolves once their loops ended, which needs the pool's connections
   * closed too (a long poll in flight ends with its channel): close the pool, then await this.
   */
  stop(): Promise<void> {
    this.#stopped = true;
    const stopping = [...this.#watches.values()].map((watch) => watch.stop());
    this.#watches.clear();
    return Promise.all([...stopping, ...this.#retiring]).then(() => undefined);
  }

  #retire(watch: ClusterWatch): void {
    const stopping = watch.stop().finally(() => this.#retiring.delete(stopping));
    this.#retiring.add(stopping);
  }

  #watch(cluster: RegisteredCluster): void {
    if (this.#stopped) return;
    const watch = new ClusterWatch(this.services, this.#options, cluster, (inventory, delta) => {
      this.#feed.publish(inventory, delta);
      this.#events.emit("inventory", inventory);
    });
    this.#watches.set(cluster.id, watch);
    watch.update(cluster);
  }
}

class ClusterWatch {
  readonly #loops = new Map<string, AbortController>();
  readonly #running = new Set<Promise<void>>();
  readonly #live = new Map<string, NodeLiveState & { watch: NodeWatch | null }>();
  #status: ClusterStatus | null = null;
  #statusError: string | null = null;
  #constraints: LocationConstraint[] = [];
  #resources: DomainResource[] = [];
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  /** The newest CIB version (admin_epoch, epoch, num_updates) any node reported. */
  #cibSeen: CibVersion | null = null;
  /** The CIB version the running (or last) status read covers: what nodes reported before it. */
  #cibCovered: CibVersion | null = null;
  /** admin_epoch/epoch of the configuration last read: only those change constraints and resources. */
  #configRead: string | null = null;
  /** Per node name, the hashes of the resources' config files (drift without a command per VM). */
  readonly #hashes = new Map<string, Map<string, FileHash>>();
  readonly #hashing = new Map<string, Promise<void>>();
  readonly #hashAgain = new Set<string>();
  /**
   * Per node id, the long poll waiting there and the files it watches: asked again at once when
   * the resources' config files change, so a file Corral just learnt of is watched from then on.
   */
  readonly #waits = new Map<string, { files: ReadonlySet<string>; rewatch: AbortController }>();
  /** By node name, the fence devices that can fence it (read with the configuration). */
  #fencers = new Map<string, string[]>();
  /** The fence devices and whether each ran, when #fencers was asked. */
  #fencingRead: string | null = null;
  /** The live-migration paths as last probed, the plan that probe covered, and its run. */
  #paths: MigrationPathCheck | null = null;
  #pathsPlan: string | null = null;
  #probing: Promise<void> | null = null;
  #probeAgain = false;
  /** The next periodic probe, a period after the last probe of any cause. */
  #probeTimer: NodeJS.Timeout | undefined;
  #probePeriodMs: number;
  /** The probe again after one that could not ask every source, sooner than the timer. */
  #probeRetry: NodeJS.Timeout | undefined;
  #probeRetryMs = INCOMPLETE_PROBE_RETRY_MS;
  readonly #fenceTimer: NodeJS.Timeout;
  /** Placement alarms a read after they were first seen still showed, and those being read. */
  #placementsConfirmed = new Set<string>();
  readonly #placementsConfirming = new Set<string>();
  #published: Inventory | null = null;
  #stopped = false;
  inventory: Inventory;

  constructor(
    private readonly services: ClusterServices,
    private readonly options: Required<ClusterMonitorOptions>,
    private cluster: RegisteredCluster,
    private readonly publish: (inventory: Inventory, delta: InventoryDelta | null) => void,
  ) {
    this.inventory = this.#build();
    this.#probePeriodMs = options.migrationProbeMs;
    this.#fenceTimer = setInterval(() => void this.#checkFencing(), options.fenceHistoryMs);
    this.#fenceTimer.unref();
  }

  /** Starts loops for new nodes, stops those of removed ones, restarts changed ones. */
  update(cluster: RegisteredCluster): void {
    const previous = new Map(this.cluster.nodes.map((node) => [node.id, node]));
    this.cluster = cluster;
    const current = new Set(cluster.nodes.map((node) => node.id));
    for (const [id, loop] of this.#loops) {
      if (!current.has(id)) {
        loop.abort();
        this.#loops.delete(id);
        this.#live.delete(id);
      }
    }
    for (const node of cluster.nodes) {
      const before = previous.get(node.id);
      const changed =
        before !== undefined &&
        (before.hostKey.fingerprint !== node.hostKey.fingerprint || before.host !== node.host);
      if (this.#loops.has(node.id) && !changed) continue;
      this.#loops.get(node.id)?.abort();
      const loop = new AbortController();
      this.#loops.set(node.id, loop);
      // A loop reports its failures on the node's card; a throw here would be a bug in it.
      const running = this.#nodeLoop(node.id, loop.signal)
        .catch(() => undefined)
        .finally(() => this.#running.delete(running));
      this.#running.add(running);
    }
    this.#emit();
  }

  /** Whether the registry holds other nodes (or other pins) than this watch runs. */
  differsFrom(cluster: RegisteredCluster): boolean {
    const pins = (c: RegisteredCluster) =>
      JSON.stringify(c.nodes.map((node) => [node.id, node.host, node.port, node.hostKey]));
    return pins(cluster) !== pins(this.cluster);
  }

  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#probeTimer);
    clearTimeout(this.#probeRetry);
    clearInterval(this.#fenceTimer);
    for (const loop of this.#loops.values()) loop.abort();
    this.#loops.clear();
    return Promise.all([...this.#running, this.#refreshing]).then(() => undefined);
  }

  /**
   * Health is best effort: a failed write is repeated by the next contact, and a watch that
   * was stopped (node or cluster removed, server closing) writes nothing more.
   */
  async #saveHealth(nodeId: string, update: NodeHealthUpdate): Promise<void> {
    if (this.#stopped) return;
    await this.services.registry.updateNodeHealth(nodeId, update).catch(() => undefined);
  }

  #node(nodeId: string): RegisteredNode | undefined {
    return this.cluster.nodes.find((node) => node.id === nodeId);
  }

  async #nodeLoop(nodeId: string, signal: AbortSignal): Promise<void> {
    let token: string | null = null;
    let failures = 0;
    let checked = false;
    while (!signal.aborted) {
      const node = this.#node(nodeId);
      if (!node) return;
      let target: NodeTarget;
      try {
        target = openNodeTarget(node, this.services.credentialKey);
      } catch (error) {
        await this.#fail(node, error as AppError, signal);
        await pause(this.options.maxRetryMs, signal);
        continue;
      }
      const context = { clusterId: this.cluster.id, ...this.services.agentLocation };
      if (!checked) {
        // On every (re)connect: the agent is current (upgraded when Corral's bundle changed)
        // and the versions on the card are fresh.
        const agent = await ensureAgent(this.services.pool, target, this.services.agent, context);
        const facts = agent.ok ? await readNodeFacts(this.services.pool, target, context) : agent;
        if (signal.aborted) return;
        if (!facts.ok) {
          failures++;
          await this.#fail(node, facts.error, signal);
          await pause(this.#backoff(failures), signal);
          continue;
        }
        checked = true;
        await this.#saveHealth(node.id, {
          seen: new Date(),
          agentVersion: this.services.agent.id,
          versions: facts.value.versions,
        });
        await this.#reloadNode(node.id);
      }
      // A config file removed or edited there ends the wait too: the copies are hashed again.
      // So does a change to what the node trusts or presents over ssh (the paths are probed)
      // and to a domain's autostart (the domains are read again).
      const files = [...configPaths(this.#resources), ...SSH_TRUST_FILES, LIBVIRT_AUTOSTART_DIR];
      const rewatch = new AbortController();
      this.#waits.set(nodeId, { files: new Set(files), rewatch });
      const watched = await watchNode(this.services.pool, target, token, this.options.watchWaitS, {
        ...context,
        files,
        signal: AbortSignal.any([signal, rewatch.signal]),
      });
      this.#waits.delete(nodeId);
      if (signal.aborted) return;
      if (rewatch.signal.aborted) continue;
      if (!watched.ok) {
        token = null;
        checked = false;
        failures++;
        await this.#fail(node, watched.error, signal);
        await pause(this.#backoff(failures), signal);
        continue;
      }
      failures = 0;
      const watch = watched.value;
      const before = this.#live.get(nodeId);
      token = watch.token;
      const seenAt = new Date();
      this.#live.set(nodeId, {
        reachable: true,
        error: null,
        pacemakerUp: watch.pacemaker.up,
        domains: before?.domains ?? null,
        seenAt,
        libvirt: { up: watch.libvirt.up, error: watch.libvirt.error },
        watch,
      });
      void this.#saveHealth(nodeId, { seen: seenAt });
      if (!watch.changed && before?.watch) continue;
      const cib = watch.pacemaker.cib;
      if (cib && compareCib(cib, this.#cibSeen) > 0) this.#cibSeen = cib;
      const libvirtChanged =
        JSON.stringify(before?.watch?.libvirt) !== JSON.stringify(watch.libvirt);
      const upChanged = !before?.watch || before.pacemakerUp !== watch.pacemaker.up;
      if (upChanged) {
        // Tell subscribers what the node itself said at once (Pacemaker stopped there, say);
        // the cluster's view follows from the re-read.
        this.#emit();
        void this.#refreshStatus(true);
      } else if (cib && compareCib(cib, this.#cibCovered) > 0) {
        // Every node reports the same CIB change within half a second: the first report
        // starts one read, the others are covered by it.
        void this.#refreshStatus(false);
      }
      const filesChanged = (paths: readonly string[]) =>
        before?.watch != null &&
        JSON.stringify(filesAmong(before.watch.files, paths)) !==
          JSON.stringify(filesAmong(watch.files, paths));
      // libvirt stopping or starting on a node, or its ssh trust changing, decides whether
      // live migrations to and from it work.
      const libvirtUpChanged = before?.watch?.libvirt.up !== watch.libvirt.up;
      if (filesChanged(SSH_TRUST_FILES) || (before?.watch && libvirtUpChanged)) {
        void this.#probePaths();
      }
      if (libvirtChanged || filesChanged([LIBVIRT_AUTOSTART_DIR])) {
        await this.#refreshDomains(nodeId, target);
        void this.#rehash(nodeId);
      } else if (filesChanged(configPaths(this.#resources))) void this.#rehash(nodeId);
    }
  }

  #backoff(failures: number): number {
    return Math.min(this.options.maxRetryMs, this.options.minRetryMs * 2 ** (failures - 1));
  }

  async #fail(node: RegisteredNode, error: AppError, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const problem = { code: error.code, message: error.message };
    const before = this.#live.get(node.id);
    this.#live.set(node.id, {
      reachable: false,
      error: problem,
      pacemakerUp: null,
      domains: null,
      seenAt: before?.seenAt ?? null,
      watch: null,
    });
    const presented =
      error.code === "HOST_KEY_MISMATCH" ? await probeHostKey(node.host, node.port) : null;
    await this.#saveHealth(node.id, {
      error: problem,
      ...(presented?.ok ? { presentedHostKey: presented.value } : {}),
    });
    await this.#reloadNode(node.id);
    this.#emit();
    void this.#refreshStatus(true);
  }

  async #reloadNode(nodeId: string): Promise<void> {
    if (this.#stopped) return;
    const fresh = await this.services.registry.findNode(nodeId).catch(() => null);
    if (!fresh) return;
    this.cluster = {
      ...this.cluster,
      nodes: this.cluster.nodes.map((node) => (node.id === nodeId ? fresh : node)),
    };
  }

  async #refreshDomains(nodeId: string, target: NodeTarget): Promise<void> {
    const domains = await listNodeDomains(this.services.pool, target, {
      clusterId: this.cluster.id,
      ...this.services.agentLocation,
    });
    const live = this.#live.get(nodeId);
    if (!live) return;
    if (domains.ok) {
      live.domains = domains.value.domains;
      // The card shows the domains that could be read and says which could not.
      const unreadable = domains.value.unreadable;
      if (unreadable.length) {
        live.error = {
          code: "COMMAND_FAILED",
          message: unreadable
            .map((u) => `domain ${u.name} could not be read: ${u.message}`)
            .join("; "),
        };
      }
    } else live.error = { code: domains.error.code, message: domains.error.message };
    this.#emit();
  }

  /**
   * Coalesced per cluster: a change during a read causes exactly one more read after it, and a
   * CIB version the running read already covers causes none. `force` reads again whatever the
   * version (a node's Pacemaker started or stopped, a node was lost).
   */
  #refreshStatus(force: boolean): Promise<void> {
    if (this.#refreshing) {
      if (force || compareCib(this.#cibSeen, this.#cibCovered) > 0) this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#cibCovered = this.#cibSeen;
    this.#refreshing = this.#readStatus(force)
      .catch((error: Error) => {
        // Not a node's answer (those are Results) but Corral's own failure, e.g. the command
        // log's database: shown where the cluster status would be.
        this.#statusError = `Corral could not read the cluster status: ${error.message}`;
      })
      .finally(() => {
        this.#refreshing = null;
        if (this.#refreshAgain && !this.#stopped) {
          this.#refreshAgain = false;
          void this.#refreshStatus(true);
        }
      });
    return this.#refreshing;
  }

  /**
   * Reads the fencer's history from one node (a cheap query of its memory, no CIB) and, when
   * it differs from what the last status read had, reads the status again.
   */
  async #checkFencing(): Promise<void> {
    if (this.#stopped || !this.#status || this.#refreshing) return;
    const [node] = this.#pacemakerNodes();
    if (!node) return;
    let target: NodeTarget;
    try {
      target = openNodeTarget(node, this.services.credentialKey);
    } catch {
      // A node whose credentials cannot be opened says so on its card; the next tick tries again.
      return;
    }
    const read = await this.services.pool
      .run(
        target,
        // --verbose: without it, the failed events are left out.
        ["stonith_admin", "--history", "*", "--verbose", "--output-as=xml"],
        { clusterId: this.cluster.id, ...this.services.agentLocation },
      )
      .catch(() => null);
    if (!read?.ok || this.#stopped) return;
    let history: FenceEvent[];
    try {
      history = parseFenceHistory(read.value.stdout);
    } catch {
      return;
    }
    if (JSON.stringify(history) !== JSON.stringify(this.#status?.fenceHistory ?? [])) {
      void this.#refreshStatus(true);
    }
  }

  /** Asks the fencer, for each node, which devices can fence it (one short query per node). */
  async #readFencers(target: NodeTarget): Promise<void> {
    const context = { clusterId: this.cluster.id, ...this.services.agentLocation };
    const fencers = new Map<string, string[]>();
    await Promise.all(
      this.cluster.nodes.map(async (node) => {
        const listed = await this.services.pool
          // Its exit code follows the fencer's answer: the XML says what it was.
          .run(target, ["stonith_admin", "--list", node.name, "--output-as=xml"], {
            ...context,
            okExitCodes: "any",
          })
          .catch(() => null);
        if (!listed?.ok) return;
        try {
          fencers.set(node.name, parseFenceDeviceList(listed.value.stdout));
        } catch {
          // Not known, not none: the node shows no fence devices until the next read.
        }
      }),
    );
    if (this.#stopped) return;
    this.#fencers = fencers;
    this.#emit();
  }

  /** The nodes Corral reaches where Pacemaker runs: those that can answer for the cluster. */
  #pacemakerNodes(): RegisteredNode[] {
    return this.cluster.nodes.filter((node) => {
      const live = this.#live.get(node.id);
      return live?.reachable && live.pacemakerUp;
    });
  }

  async #readStatus(force: boolean): Promise<void> {
    const read = await firstAnswer(this.#pacemakerNodes(), (node) =>
      this.#readStatusFrom(node, force),
    );
    if (read.node) {
      this.#emit();
      return;
    }
    this.#status = null;
    // Nothing covers the versions reported meanwhile: the next report reads again.
    this.#cibCovered = null;
    this.#configRead = null;
    this.#statusError = read.failures.length
      ? read.failures.map((failure) => failure.message).join(" ")
      : "No registered node is reachable with Pacemaker running.";
    this.#emit();
  }

  /**
   * The cluster's status as this node answers for it, or why it could not. crm_mon every time;
   * the constraints and resources only when the configuration's epoch moved (a status-only
   * change, which most are, bumps num_updates alone).
   */
  async #readStatusFrom(node: RegisteredNode, force: boolean): Promise<Result<void>> {
    let target: NodeTarget;
    try {
      target = openNodeTarget(node, this.services.credentialKey);
    } catch (error) {
      return err(
        error instanceof AppError ? error : new AppError("INTERNAL", (error as Error).message),
      );
    }
    const pool = this.services.pool;
    const context = { clusterId: this.cluster.id, ...this.services.agentLocation };
    const epoch = this.#cibCovered ? this.#cibCovered.slice(0, 2).join("/") : null;
    const readConfig = force || epoch === null || epoch !== this.#configRead;
    const reading = Promise.all([
      readConfig
        ? pool.run(target, ["cibadmin", "--query", "--scope", "constraints"], context)
        : null,
      readConfig ? listDomainResources(pool, target, context) : null,
    ]);
    // Awaited below on every path that returns; this guard keeps a rejection that comes while
    // crm_mon's own run throws (the pool closing) from going unhandled.
    reading.catch(() => undefined);
    const crmMon = await readClusterStatus(pool, target, context);
    if (!crmMon.ok) {
      await reading;
      return err(crmMon.error);
    }
    this.#status = crmMon.value;
    // Which device fences each node changes with the configuration (devices, their host lists)
    // and with the devices starting or stopping (the fencer registers them as they start).
    // Until asked again it is unknown, not what it was.
    const fencing = JSON.stringify(
      crmMon.value.resources
        .filter((resource) => resource.agent.startsWith("stonith:"))
        .map((resource) => [resource.id, resource.active]),
    );
    if (readConfig || fencing !== this.#fencingRead) {
      this.#fencingRead = fencing;
      this.#fencers = new Map();
      void this.#readFencers(target);
    }
    // What crm_mon says (the cards' state) goes out at once; a configuration read, slower on
    // a large CIB, follows in its own version.
    this.#statusError = null;
    if (readConfig) this.#emit();
    const [constraints, resources] = await reading;
    if (constraints && !constraints.ok) return err(constraints.error);
    if (resources && !resources.ok) return err(resources.error);
    try {
      if (constraints) this.#constraints = parseLocationConstraints(constraints.value.stdout);
    } catch (error) {
      return err(
        new AppError("PARSE_ERROR", `${node.name}: ${(error as Error).message}`, {
          node: node.name,
        }),
      );
    }
    if (resources) {
      const paths = (list: DomainResource[]) => configPaths(list).join("\n");
      const pathsChanged = paths(resources.value) !== paths(this.#resources);
      this.#resources = resources.value;
      this.#configRead = epoch;
      if (pathsChanged) {
        for (const other of this.cluster.nodes) {
          if (this.#live.get(other.id)?.reachable) void this.#rehash(other.id);
        }
        this.#rewatchConfigs();
      }
    }
    this.#statusError = null;
    return ok(undefined);
  }

  /** Ends the waits that do not watch every resource's config file; each loop asks again. */
  #rewatchConfigs(): void {
    const wanted = configPaths(this.#resources);
    for (const wait of this.#waits.values()) {
      if (wanted.some((path) => !wait.files.has(path))) wait.rewatch.abort();
    }
  }

  /**
   * Hashes every resource's config file on one node (one command), coalesced per node like the
   * status read. Run when the node's domains change or the resources' config paths do.
   */
  #rehash(nodeId: string): Promise<void> {
    const running = this.#hashing.get(nodeId);
    if (running) {
      this.#hashAgain.add(nodeId);
      return running;
    }
    const hashing = this.#hashNode(nodeId)
      .catch(() => undefined)
      .finally(() => {
        this.#hashing.delete(nodeId);
        if (this.#hashAgain.delete(nodeId) && !this.#stopped) void this.#rehash(nodeId);
      });
    this.#hashing.set(nodeId, hashing);
    return hashing;
  }

  async #hashNode(nodeId: string): Promise<void> {
    const node = this.#node(nodeId);
    if (!node || this.#stopped) return;
    const target = openNodeTarget(node, this.services.credentialKey);
    const hashed = await hashConfigFiles(this.services.pool, target, configPaths(this.#resources), {
      clusterId: this.cluster.id,
      ...this.services.agentLocation,
    });
    if (!hashed.ok) {
      // Not a verdict on the files: the card shows no drift check until the next answer.
      this.#hashes.delete(node.name);
    } else {
      this.#hashes.set(node.name, new Map(hashed.value.map((file) => [file.path, file])));
    }
    this.#emit();
  }

  #build(): Inventory {
    const live = new Map(
      [...this.#live].map(([id, state]) => [id, state] as [string, NodeLiveState]),
    );
    return buildInventory({
      cluster: this.cluster,
      status: this.#status,
      statusError: this.#statusError,
      constraints: this.#constraints,
      resources: this.#resources,
      live,
      configHashes: this.#hashes,
      migrationPaths: this.#paths,
      fencers: this.#fencers,
      refreshedAt: new Date(),
    });
  }

  /**
   * Reads the claim's nodes' domains again, started after the claim was seen, and waits for a
   * status read under way by then (a CIB change the nodes reported), then publishes the claim if
   * they still show it. No crm_mon of its own: at a VM's stop or move the stale side is the
   * domains, and crm_mon is the costliest read of a large cluster. A read that fails confirms
   * it: an alarm Corral cannot rule out is shown, never hidden.
   */
  async #confirmPlacement(claim: PlacementClaim): Promise<void> {
    this.#placementsConfirming.add(claim.key);
    const domainReads = claim.nodes.map((name) => {
      const node = this.cluster.nodes.find((each) => each.name === name);
      return node && this.#live.get(node.id)?.reachable
        ? this.#refreshDomains(node.id, openNodeTarget(node, this.services.credentialKey))
        : undefined;
    });
    await Promise.all(domainReads).catch(() => undefined);
    // The read running now, and the one it queued, cover what the nodes have reported so far.
    for (let reads = 0; reads < 2 && this.#refreshing; reads++) await this.#refreshing;
    this.#placementsConfirming.delete(claim.key);
    if (this.#stopped) return;
    this.#placementsConfirmed.add(claim.key);
    this.#emit();
  }

  /**
   * Probes every live-migration path the cluster may use, coalesced like the status read.
   * Run when the paths change (a VM's allowed nodes or parameters, a node joining), when a
   * node's ssh trust files or libvirt change, and a period after the last probe (probePeriodMs).
   */
  #probePaths(): Promise<void> {
    if (this.#probing) {
      this.#probeAgain = true;
      return this.#probing;
    }
    this.#probing = this.#probeOnce()
      .catch(() => undefined)
      .finally(() => {
        this.#probing = null;
        if (this.#stopped) return;
        if (this.#probeAgain) {
          this.#probeAgain = false;
          void this.#probePaths();
          return;
        }
        clearTimeout(this.#probeTimer);
        this.#probeTimer = setTimeout(() => void this.#probePaths(), this.#probePeriodMs);
        this.#probeTimer.unref();
      });
    return this.#probing;
  }

  async #probeOnce(): Promise<void> {
    // Nothing is known of the paths before the cluster answered for its resources.
    if (this.#stopped || !this.inventory.summary) return;
    const plan = plannedMigrationPaths(this.inventory, this.#resources);
    this.#pathsPlan = migrationPlanKey(plan);
    this.#probePeriodMs = probePeriodMs(plan.paths.length, this.options.migrationProbeMs);
    const targetOf = (name: string) => {
      const node = this.cluster.nodes.find((each) => each.name === name);
      return node && this.#live.get(node.id)?.reachable
        ? openNodeTarget(node, this.services.credentialKey)
        : null;
    };
    const check = await probeMigrationPaths(this.services.pool, plan, targetOf, {
      clusterId: this.cluster.id,
      ...this.services.agentLocation,
    });
    if (this.#stopped) return;
    this.#retryIfIncomplete(check.complete);
    // The same verdict again is no change: the inventory keeps when it was first reached.
    const same = (a: MigrationPathCheck) => JSON.stringify({ ...a, since: null });
    if (this.#paths && same(this.#paths) === same(check)) return;
    this.#paths = check;
    this.#emit();
  }

  /**
   * A probe that could not ask some source (a node not answering, an ssh that timed out on a
   * busy machine) is no verdict on its paths: tried again after INCOMPLETE_PROBE_RETRY_MS,
   * doubling while it stays incomplete, up to the timer's own pace.
   */
  #retryIfIncomplete(complete: boolean): void {
    clearTimeout(this.#probeRetry);
    if (complete) {
      this.#probeRetryMs = INCOMPLETE_PROBE_RETRY_MS;
      return;
    }
    this.#probeRetry = setTimeout(() => void this.#probePaths(), this.#probeRetryMs);
    this.#probeRetry.unref();
    this.#probeRetryMs = Math.min(this.#probeRetryMs * 2, this.#probePeriodMs);
  }

  /**
   * Publishes only when something other than the time changed (refreshedAt, a node's
   * lastSeenAt), with what changed since the last publication.
   */
  #emit(): void {
    const review = reviewPlacementAlarms(
      this.#build(),
      this.#placementsConfirmed,
      this.#placementsConfirming,
    );
    this.#placementsConfirmed = review.confirmed;
    for (const claim of review.toConfirm) void this.#confirmPlacement(claim);
    const inventory = review.published;
    this.inventory = inventory;
    if (
      inventory.summary &&
      migrationPlanKey(plannedMigrationPaths(inventory, this.#resources)) !== this.#pathsPlan
    ) {
      void this.#probePaths();
    }
    const delta = this.#published ? diffInventory(this.#published, inventory) : null;
    if (this.#published && !delta) return;
    this.#published = inventory;
    this.publish(inventory, delta);
  }
}

type CibVersion = readonly (string | null)[];

/** >0 when `a` is a newer CIB than `b` (admin_epoch, then epoch, then num_updates); null is oldest. */
function compareCib(a: CibVersion | null, b: CibVersion | null): number {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  for (let i = 0; i < 3; i++) {
    const difference = Number(a[i] ?? 0) - Number(b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The watched files' entries for the given paths. */
function filesAmong(files: NodeWatch["files"], paths: readonly string[]): NodeWatch["files"] {
  return files.filter(([path]) => paths.includes(path));
}

/** The distinct config files of the resources, sorted. */
function configPaths(resources: readonly DomainResource[]): string[] {
  return [...new Set(resources.flatMap((resource) => resource.config ?? []))].sort();
}

/** Waits, or returns early when the loop is stopped. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}
