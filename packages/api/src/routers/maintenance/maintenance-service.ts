import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  AppError,
  allowedNodesOf,
  applyMaintenance,
  BOOT_IDENTITY_ARGV,
  domainsRunningOn,
  type Inventory,
  isTransitional,
  judgeMaintenanceGate,
  MAINTENANCE_LOCK,
  type MaintenanceEvent,
  type MaintenanceState,
  type MaintenanceWork,
  maintainedNode,
  maintenanceOver,
  type NodeTarget,
  newMaintenanceState,
  parseBootIdentity,
  quoteArgv,
  readClusterStatusFromAny,
  resourceActionArgv,
  resourcesOn,
  returnHomeMoves,
  runResourceAction,
  type StandbyPlan,
  simulateStandby,
  vmsOutsidePacemaker,
  vmsStoppedByStandby,
  withFreshStatus,
} from "@corral/core";
import { MaintenanceRepository, type VmLock } from "@corral/db";
import { unleased } from "../../operations/unleased.ts";
import type { ServiceParts } from "../../service-parts.ts";
import type { RetestService } from "../test-results/retest-service.ts";
import type { VmsService } from "../vms/vms-service.ts";

type Actor = { id: string; name: string };

/** How long the operator's hook may run on a node. */
const HOOK_TIMEOUT_MS = 30 * 60_000;
/** How long a node may take to come back after its work. */
const REJOIN_TIMEOUT_MS = 20 * 60_000;
/**
 * A hook that asks for a reboot returns before the node goes down: the node counts as back
 * without a reboot only after it stayed up on the same boot this long.
 */
const NO_REBOOT_AFTER_MS = 20_000;
/** How long a drained node may take until its own libvirt runs nothing. */
const EMPTY_TIMEOUT_MS = 120_000;
const POLL_MS = 3_000;
/** How long the cluster may take to settle once a node rejoined (crm_resource --wait). */
const SETTLE_TIMEOUT_S = 300;
/** How long a step waits for the monitor's first whole view of the cluster. */
const INVENTORY_TIMEOUT_MS = 60_000;

const summaryOf = (items: readonly string[], none: string) =>
  items.length ? items.join(", ") : none;

/**
 * Rolling maintenance, one node at a time (core's applyMaintenance holds every transition):
 * gate, drain, the operator's hook or a pause, the node back, the start/stop test of the VMs
 * allowed there, unstandby, the VMs home. Runs under its cluster's lease (MAINTENANCE_LOCK);
 * its record is its state, so any instance shows it and resumes it.
 */
export class MaintenanceService {
  readonly store: MaintenanceRepository;
  readonly #parts: ServiceParts;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();

  constructor(
    parts: ServiceParts,
    readonly vms: VmsService,
    readonly retests: RetestService,
    /** The live inventory of a cluster (the monitor's). */
    readonly inventoryOf: (clusterId: string) => Promise<Inventory | null>,
  ) {
    this.#parts = parts;
    this.store = new MaintenanceRepository(parts.database.client);
  }

  /**
   * What a rolling maintenance over `nodes` would do, node by node, from the live inventory and
   * Pacemaker's scheduler: the VMs there, where the scheduler would put each, those that would
   * stop, those re-tested there; and every command it runs.
   */
  async plan(input: { clusterId: string; work: MaintenanceWork; actor: Actor }) {
    const inventory = await this.#inventory(input.clusterId);
    const nodes = await this.vms.nodesOf(input.clusterId);
    const pool = this.#parts.clusterServices.pool;
    const perNode = [];
    for (const node of inventory.nodes) {
      const simulated = await simulateStandby(pool, nodes, node.name, {
        actorId: input.actor.id,
        clusterId: input.clusterId,
        ...this.#parts.clusterServices.agentLocation,
      });
      const plan: StandbyPlan | null = simulated.ok ? simulated.value : null;
      perNode.push({
        node: node.name,
        state: node.state,
        vms: resourcesOn(inventory, node.name),
        moves: plan?.moves ?? [],
        planError: simulated.ok ? null : simulated.error.message,
        wouldStop: vmsStoppedByStandby(inventory, node.name, plan),
        outsidePacemaker: vmsOutsidePacemaker(inventory, node.name),
        retested: this.#retested(inventory, node.name).map((vm) => vm.resource?.id ?? vm.name),
      });
    }
    const example = inventory.nodes[0]?.name ?? "NODE";
    return {
      nodes: perNode,
      commands: [
        quoteArgv(resourceActionArgv("standby", { node: example })),
        ...(input.work.kind === "hook" ? [`sh -c ${quoteArgv([input.work.command])}`] : []),
        quoteArgv(BOOT_IDENTITY_ARGV),
        "pcs resource disable VM --wait=180; the start/stop test on the node; pcs resource enable VM --wait=180",
        quoteArgv(resourceActionArgv("unstandby", { node: example })),
        "pcs resource move VM NODE (each VM back to its node), then the constraint cleared",
      ],
    };
  }

  async latest(clusterId: string) {
    return this.store.latest(clusterId);
  }

  async start(input: {
    clusterId: string;
    nodes: string[];
    work: MaintenanceWork;
    retest: boolean;
    stopVms: string[];
    actor: Actor;
  }): Promise<MaintenanceState> {
    const known = (await this.vms.nodesOf(input.clusterId)).map((node) => node.id);
    const unknown = input.nodes.filter((node) => !known.includes(node));
    if (unknown.length)
      throw new AppError("INVALID_INPUT", `${unknown.join(", ")} is no node of this cluster.`);
    if (new Set(input.nodes).size !== input.nodes.length)
      throw new AppError("INVALID_INPUT", "Each node is maintained once.");
    const previous = await this.store.latest(input.clusterId);
    if (previous && !maintenanceOver(previous.state)) {
      throw new AppError(
        "CONFLICT",
        `A rolling maintenance is under way on this cluster (${previous.state.status} at ${previous.state.step} on ${maintainedNode(previous.state)}): resume or stop it first.`,
      );
    }
    const id = randomUUID();
    const lock = await this.#acquire(input.clusterId, id, input.actor);
    const state = newMaintenanceState({
      id,
      clusterId: input.clusterId,
      nodes: input.nodes,
      work: input.work,
      retest: input.retest,
      stopVms: input.stopVms,
      actorName: input.actor.name,
      startedAt: Date.now(),
    });
    try {
      await this.store.create(state);
    } catch (error) {
      await this.#parts.locks.release(lock);
      throw error;
    }
    this.#drive(id, lock, input.actor);
    return state;
  }

  /** The operator's word: the work on the node is done (waiting), or run the step again (paused). */
  async continue(input: { id: string; actor: Actor }): Promise<MaintenanceState> {
    const entry = await this.#get(input.id);
    if (entry.state.status !== "waiting" && entry.state.status !== "paused") {
      throw new AppError(
        "CONFLICT",
        `This maintenance is ${entry.state.status}: nothing to continue.`,
      );
    }
    const lock = await this.#acquire(entry.state.clusterId, input.id, input.actor);
    // Read again under the lease: another instance may have continued it meanwhile.
    const current = await this.#get(input.id).catch(async (error: unknown) => {
      await this.#parts.locks.release(lock);
      throw error;
    });
    const next = applyMaintenance(current.state, {
      type: "continued",
      at: Date.now(),
      actorName: input.actor.name,
    });
    if (next === current.state) {
      await this.#parts.locks.release(lock);
      throw new AppError("CONFLICT", `This maintenance is ${next.status}: nothing to continue.`);
    }
    await this.store.save(next);
    this.#drive(input.id, lock, input.actor);
    return next;
  }

  /**
   * Stops the maintenance: at once when it waits or is paused; otherwise the Corral running it
   * stops once the current step is over (a step is never cut in the middle).
   */
  async stop(input: { id: string; actor: Actor }): Promise<MaintenanceState> {
    const entry = await this.#get(input.id);
    if (maintenanceOver(entry.state))
      throw new AppError("CONFLICT", `This maintenance is already ${entry.state.status}.`);
    await this.store.requestStop(input.id, input.actor.name);
    if (entry.state.status === "running") return entry.state;
    const next = applyMaintenance(entry.state, {
      type: "stopped",
      at: Date.now(),
      actorName: input.actor.name,
    });
    await this.store.save(next);
    return next;
  }

  /**
   * Maintenances whose Corral stopped renewing the lease (released by the sweep), and at
   * start-up every running record no live lock names: recorded paused at the step they were
   * in, with why; nothing is done on the cluster. Resume runs that step again.
   */
  async recover(released: readonly VmLock[]): Promise<void> {
    const running = await this.store.listRunning();
    for (const { state } of await unleased(
      running,
      (e) => e.state.id,
      released,
      this.#parts.locks,
    )) {
      const node = maintainedNode(state);
      const hook =
        state.step === "work"
          ? " Resume first reads the node's boot identity: if it rebooted meanwhile the hook is not run again."
          : "";
      const next = applyMaintenance(state, {
        type: "interrupted",
        at: Date.now(),
        message: `The Corral running this maintenance stopped during ${state.step} on ${node}; nothing was done since. Resume runs ${state.step} on ${node} again.${hook}`,
      });
      await this.store.save(next);
    }
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(this.#running);
  }

  async #get(id: string) {
    const entry = await this.store.get(id);
    if (!entry) throw new AppError("NOT_FOUND", "No such maintenance.");
    return entry;
  }

  /**
   * The monitor's inventory once it is whole: a Corral that just started (a resumed
   * maintenance) has no VM in it until Pacemaker and every node first answered.
   */
  async #inventory(clusterId: string): Promise<Inventory> {
    const until = Date.now() + INVENTORY_TIMEOUT_MS;
    for (;;) {
      const inventory = await this.inventoryOf(clusterId);
      const whole =
        inventory?.summary && inventory.nodes.every((node) => node.state !== "connecting");
      if (inventory && whole) return inventory;
      if (Date.now() > until || this.#stop.signal.aborted) {
        throw new AppError(
          "NOT_FOUND",
          `The cluster's state is not known yet${inventory?.statusError ? `: ${inventory.statusError}` : ""}.`,
        );
      }
      await sleep(1_000);
    }
  }

  /** The live inventory with where each VM runs and each node's state from a fresh crm_mon. */
  async #now(
    clusterId: string,
    nodes: readonly NodeTarget[],
    context: { actorId: string; clusterId: string },
  ) {
    const [status, inventory] = await Promise.all([
      readClusterStatusFromAny(this.#parts.clusterServices.pool, nodes, context),
      this.#inventory(clusterId),
    ]);
    if (!status.ok) throw status.error;
    return { status: status.value, inventory: withFreshStatus(inventory, status.value) };
  }

  async #acquire(clusterId: string, id: string, actor: Actor): Promise<VmLock> {
    const { lock } = await this.#parts.locks.acquire({
      clusterId,
      vm: MAINTENANCE_LOCK,
      holderId: actor.id,
      holderName: actor.name,
      operation: "cluster.rolling-maintenance",
      operationId: id,
    });
    return lock;
  }

  /** Runs steps while the record says running, under the lease, in the background. */
  #drive(id: string, lock: VmLock, actor: Actor): void {
    const letGo = this.#parts.locks.hold(lock, () =>
      this.#parts.logger.warn(
        { maintenanceId: id },
        "another instance took this maintenance's lease as stale: it recorded it paused",
      ),
    );
    const running = (async () => {
      for (;;) {
        if (this.#stop.signal.aborted) return;
        const entry = await this.store.get(id);
        if (entry?.state.status !== "running") return;
        if (entry.stopRequestedBy) {
          await this.#save(entry.state, {
            type: "stopped",
            at: Date.now(),
            actorName: entry.stopRequestedBy,
          });
          return;
        }
        const event = await this.#step(entry.state, actor).catch(
          (error: unknown): MaintenanceEvent => ({
            type: "step-failed",
            at: Date.now(),
            message: error instanceof Error ? error.message : String(error),
          }),
        );
        // A Stop asked meanwhile is read at the top of the next round, after this outcome.
        await this.#save(entry.state, event);
      }
    })()
      .catch((error: unknown) =>
        this.#parts.logger.error({ err: error, maintenanceId: id }, "rolling maintenance failed"),
      )
      .finally(async () => {
        await letGo();
        this.#running.delete(running);
      });
    this.#running.add(running);
  }

  async #save(state: MaintenanceState, event: MaintenanceEvent): Promise<void> {
    const next = applyMaintenance(state, event);
    await this.store.save(next);
    if (maintenanceOver(next) && next.finishedAt) {
      this.#parts.metrics.observeOperation(
        "cluster.rolling-maintenance",
        (next.finishedAt - next.startedAt) / 1000,
        next.status,
      );
    }
  }

  /** The current step's side effects, reported as the event that ends it. */
  async #step(state: MaintenanceState, actor: Actor): Promise<MaintenanceEvent> {
    const node = maintainedNode(state);
    const all = await this.vms.nodesOf(state.clusterId);
    // Ask the other nodes first: the maintained one may be down.
    const nodes = [...all.filter((n) => n.id !== node), ...all.filter((n) => n.id === node)];
    const target = all.find((n) => n.id === node);
    const runner = nodes[0];
    if (!target || !runner) throw new AppError("NOT_FOUND", `${node} is no node of this cluster.`);
    const pool = this.#parts.clusterServices.pool;
    const context = { actorId: actor.id, clusterId: state.clusterId };
    const done = (
      message: string,
      extra: Partial<Extract<MaintenanceEvent, { type: "step-succeeded" }>> = {},
    ): MaintenanceEvent => ({ type: "step-succeeded", at: Date.now(), message, ...extra });
    const failed = (message: string): MaintenanceEvent => ({
      type: "step-failed",
      at: Date.now(),
      message,
    });
    switch (state.step) {
      case "gate": {
        const { status, inventory } = await this.#now(state.clusterId, nodes, context);
        const plan = await simulateStandby(pool, nodes, node, {
          ...context,
          ...this.#parts.clusterServices.agentLocation,
        });
        const gate = judgeMaintenanceGate({
          node,
          status,
          inventory,
          plan: plan.ok ? plan.value : null,
          stopVms: state.stopVms,
        });
        if (!gate.ok) return failed(gate.reason);
        const moves = plan.ok
          ? plan.value.moves.map((m) => `${m.resource} → ${m.to} ${m.live ? "live" : "by restart"}`)
          : [];
        return done(
          `${node} may go out: quorum holds without it, every other node is online; ${
            gate.home.length
              ? `the scheduler's plan: ${summaryOf(moves, "none")}${gate.stops.length ? `; ${gate.stops.join(", ")} stop${gate.stops.length > 1 ? "" : "s"}, as agreed` : ""}`
              : "no VM runs there"
          }.`,
          { home: gate.home },
        );
      }
      case "evacuate": {
        const { inventory } = await this.#now(state.clusterId, nodes, context);
        const onNode = resourcesOn(inventory, node);
        const { outcome } = await this.vms.drain({
          clusterId: state.clusterId,
          node,
          resources: onNode,
          nodes,
          runner,
          actor,
        });
        const unexpected = outcome.vms.filter(
          (vm) => vm.how === "stopped" && !state.stopVms.includes(vm.resource),
        );
        if (unexpected.length) {
          return failed(
            `${node} is in standby, but ${unexpected.map((vm) => vm.resource).join(", ")} stopped: no other node took it. Start it where it may run, then Resume.`,
          );
        }
        const left = await this.#waitUntilEmpty(target, nodes, context);
        if (left) return failed(left);
        const went = outcome.vms.map(
          (vm) => `${vm.resource} ${vm.to && vm.how !== "stayed" ? `→ ${vm.to} ` : ""}${vm.how}`,
        );
        return done(
          `${node} drained (${summaryOf(went, "nothing ran there")}); its own libvirt runs nothing and Pacemaker moves nothing.`,
          { bootBefore: await this.#bootOf(target, context) },
        );
      }
      case "work": {
        if (state.work.kind !== "hook") return failed("Waiting for the operator's work.");
        const now = await this.#bootOf(target, context);
        if (now && state.bootBefore && now !== state.bootBefore) {
          return done(`${node} rebooted since its drain: the hook is not run again.`);
        }
        const ran = await pool.run(target, ["sh", "-c", state.work.command], {
          ...context,
          timeoutMs: HOOK_TIMEOUT_MS,
        });
        if (ran.ok) {
          const tail = ran.value.stdout.trim().split("\n").slice(-3).join(" / ");
          return done(`The hook finished on ${node}${tail ? `: ${tail}` : ""}.`);
        }
        const after = await this.#bootOf(target, context);
        if (after === null || after !== state.bootBefore) {
          return done(
            `${node} went down while the hook ran (${ran.error.message}): waiting for it to come back.`,
          );
        }
        return failed(`The hook failed on ${node}: ${ran.error.message}`);
      }
      case "rejoin":
        return this.#rejoin(state, target, nodes, context);
      case "retest": {
        const { inventory } = await this.#now(state.clusterId, nodes, context);
        const passed: string[] = [];
        const skipped: string[] = [];
        for (const vm of this.#retested(inventory, node)) {
          const managed = await this.retests.managedJob(state.clusterId, vm.name).then(
            () => true,
            () => false,
          );
          if (!managed) {
            skipped.push(`${vm.name} (not onboarded through Corral: no test settings)`);
            continue;
          }
          const started = await this.retests.start({
            clusterId: state.clusterId,
            vm: vm.name,
            node,
            actor,
          });
          const result = await this.retests.settled(started.id);
          const tested = result?.results.find((r) => r.node === node);
          if (result?.state !== "succeeded" || tested?.outcome !== "succeeded") {
            return failed(
              `${vm.name}'s start/stop test on ${node} did not pass${result?.error ? `: ${result.error}` : ""}. See Test results; Resume tests again.`,
            );
          }
          // Pacemaker started it again where it chose: back where it ran before its test.
          const was = vm.resource?.nodes[0] ?? null;
          const back =
            was && result.startedOn && result.startedOn !== was
              ? await this.vms.moveHome({
                  clusterId: state.clusterId,
                  node: was,
                  moves: [
                    {
                      resource: result.resource,
                      domain: vm.name,
                      from: result.startedOn,
                      live: vm.resource?.allowMigrate === true,
                    },
                  ],
                  actor,
                })
              : [];
          const notBack = back.find(
            (move) => move.state !== "succeeded" && move.state !== "restarted",
          );
          if (notBack) {
            return failed(
              `${vm.name} passed its test on ${node}, but did not go back to ${was} from ${result.startedOn}: ${notBack.error ?? notBack.state}. Its card says where it runs; Resume tests again.`,
            );
          }
          passed.push(
            `${vm.name} (start ${((tested.startMs ?? 0) / 1000).toFixed(1)} s, stop ${((tested.stopMs ?? 0) / 1000).toFixed(1)} s${back.length ? `; Pacemaker started it on ${result.startedOn}, moved back to ${was}` : ""})`,
          );
        }
        const notTested = inventory.vms.flatMap((vm) => {
          const why = vm.resource ? this.#notRetested(vm, node) : null;
          return why ? [`${vm.name} (${why})`] : [];
        });
        return done(
          `Tested on ${node}: ${summaryOf(passed, "no VM")}${[...skipped, ...notTested].length ? `; not tested: ${[...skipped, ...notTested].join(", ")}` : ""}.`,
        );
      }
      case "unstandby": {
        const result = await runResourceAction(pool, runner, "unstandby", { node }, context);
        if (!result.ok) throw result.error;
        return done(`${node} takes VMs again (unstandby).`);
      }
      case "return-home":
        return this.#returnHome(state, nodes, actor);
    }
  }

  /** The VMs allowed on `node` that run now (a re-test would start one that is stopped). */
  #retested(inventory: Pick<Inventory, "vms">, node: string) {
    return inventory.vms.filter((vm) => this.#notRetested(vm, node) === null);
  }

  /** Why a VM is not tested on `node`, or null when it is. */
  #notRetested(vm: Inventory["vms"][number], node: string): string | null {
    const resource = vm.resource;
    if (!resource) return "no resource";
    if (resource.role !== "Started") return `${resource.role}: a test would start it`;
    const allowed = allowedNodesOf(resource.constraints);
    return allowed === null || allowed.includes(node) ? null : `not allowed on ${node}`;
  }

  async #bootOf(target: NodeTarget, context: { actorId: string; clusterId: string }) {
    const read = await this.#parts.clusterServices.pool.run(target, BOOT_IDENTITY_ARGV, {
      ...context,
      timeoutMs: 10_000,
    });
    return read.ok ? parseBootIdentity(read.value.stdout) : null;
  }

  /** Null once the node's own libvirt runs nothing and Pacemaker moves nothing; else why not. */
  async #waitUntilEmpty(
    target: NodeTarget,
    nodes: readonly NodeTarget[],
    context: { actorId: string; clusterId: string },
  ): Promise<string | null> {
    const pool = this.#parts.clusterServices.pool;
    const until = Date.now() + EMPTY_TIMEOUT_MS;
    let why = "";
    for (;;) {
      const [running, status] = await Promise.all([
        domainsRunningOn(pool, target, context),
        readClusterStatusFromAny(pool, nodes, context),
      ]);
      const moving = status.ok ? status.value.resources.filter(isTransitional) : null;
      if (running?.length === 0 && moving?.length === 0) return null;
      why =
        running === null
          ? `${target.id}'s libvirt could not be asked`
          : running.length
            ? `${target.id}'s libvirt still runs ${running.join(", ")}`
            : `Pacemaker still moves ${moving?.map((r) => r.id).join(", ") ?? "something"}`;
      if (Date.now() > until || this.#stop.signal.aborted) break;
      await sleep(POLL_MS);
    }
    return `${why}: not safe to work on it. Move or stop what runs there, then Resume.`;
  }

  async #rejoin(
    state: MaintenanceState,
    target: NodeTarget,
    nodes: readonly NodeTarget[],
    context: { actorId: string; clusterId: string },
  ): Promise<MaintenanceEvent> {
    const node = target.id;
    const pool = this.#parts.clusterServices.pool;
    const started = Date.now();
    let sameBootSince: number | null = null;
    while (Date.now() - started < REJOIN_TIMEOUT_MS && !this.#stop.signal.aborted) {
      const boot = await this.#bootOf(target, context);
      const status = await readClusterStatusFromAny(pool, nodes, context);
      const online = status.ok && status.value.nodes.some((n) => n.name === node && n.online);
      if (boot && online) {
        const rebooted = state.bootBefore !== null && boot !== state.bootBefore;
        sameBootSince ??= Date.now();
        if (
          rebooted ||
          state.work.kind === "pause" ||
          Date.now() - sameBootSince >= NO_REBOOT_AFTER_MS
        ) {
          // A node that rejoins is probed: Pacemaker may still recover what the probes found.
          const settled = await pool.run(
            nodes[0] ?? target,
            ["crm_resource", "--wait", `--timeout=${SETTLE_TIMEOUT_S}s`],
            { ...context, timeoutMs: (SETTLE_TIMEOUT_S + 20) * 1000 },
          );
          return {
            type: "step-succeeded",
            at: Date.now(),
            message: `${node} is back in the cluster (still in standby)${
              rebooted
                ? ", after a reboot: its boot identity changed"
                : state.bootBefore
                  ? ", without a reboot: same boot identity"
                  : ""
            }${settled.ok ? "; Pacemaker settled" : `; Pacemaker had not settled within ${SETTLE_TIMEOUT_S} s`}.`,
          };
        }
      } else {
        sameBootSince = null;
      }
      await sleep(POLL_MS);
    }
    return {
      type: "step-failed",
      at: Date.now(),
      message: `${node} did not come back in the cluster within ${REJOIN_TIMEOUT_MS / 60_000} minutes. Bring it back, then Resume.`,
    };
  }

  async #returnHome(
    state: MaintenanceState,
    nodes: readonly NodeTarget[],
    actor: Actor,
  ): Promise<MaintenanceEvent> {
    const node = maintainedNode(state);
    const { inventory: current } = await this.#now(state.clusterId, nodes, {
      actorId: actor.id,
      clusterId: state.clusterId,
    });
    const plan = returnHomeMoves(
      {
        node,
        vms: state.home.map((resource) => ({
          resource,
          to: current.vms.find((vm) => vm.resource?.id === resource)?.resource?.nodes[0] ?? null,
        })),
      },
      current,
    );
    if (plan.blocked) return { type: "step-failed", at: Date.now(), message: plan.blocked };
    const moved = await this.vms.moveHome({
      clusterId: state.clusterId,
      node,
      moves: plan.moves,
      actor,
    });
    const failedMove = moved.find(
      (move) => move.state !== "succeeded" && move.state !== "restarted",
    );
    if (failedMove) {
      return {
        type: "step-failed",
        at: Date.now(),
        message: `${failedMove.vm} did not come back to ${node}: ${failedMove.error ?? failedMove.state}. Its card says where it runs; Resume tries the rest again.`,
      };
    }
    const back = moved.map(
      (move) =>
        `${move.vm} ${move.state === "restarted" ? `by restart (${move.error})` : move.live ? "live" : "by restart"}`,
    );
    const left = plan.left.filter((l) => l.reason !== "already home");
    return {
      type: "step-succeeded",
      at: Date.now(),
      message: `Back on ${node}: ${summaryOf(back, "nothing to move")}${left.length ? `; left ${left.map((l) => `${l.resource} (${l.reason})`).join(", ")}` : ""}.`,
    };
  }
}
