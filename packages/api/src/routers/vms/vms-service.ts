import { randomUUID } from "node:crypto";
import {
  AppError,
  applyMove,
  drainLock,
  type EvacuationMove,
  type EvacuationOutcome,
  err,
  type Inventory,
  type MoveConstraintMode,
  type MoveEvent,
  type MoveState,
  moveResource,
  type NodeTarget,
  newMoveState,
  openClusterNodeTargets,
  type Result,
  type ReturnHomeMove,
  type ReturnHomeStart,
  readClusterStatusFromAny,
  readEvacuationOutcome,
  readOperationHistory,
  restartElsewhere,
  runResourceAction,
  settleCancelledMove,
  startedOn,
  whereItRunsOnceSettled,
} from "@corral/core";
import {
  type EvacuationEntry,
  EvacuationRepository,
  MigrationRepository,
  type VmLock,
} from "@corral/db";
import pLimit from "p-limit";
import { LiveOperations } from "../../operations/live-operations.ts";
import { unleased } from "../../operations/unleased.ts";
import type { ServiceParts } from "../../service-parts.ts";

/**
 * What the VM procedures share: the VM locks, the migration history and the moves of the last
 * minutes on every instance (their live state, for the cards, the SSE subscription and cancel).
 */
export class VmsService {
  readonly migrations: MigrationRepository;
  readonly evacuations: EvacuationRepository;
  readonly moves: LiveOperations<MoveState, MoveEvent>;

  readonly #parts: ServiceParts;
  /** Recoveries waiting for Pacemaker to settle a move whose Corral died. */
  readonly #settling = new Set<Promise<void>>();
  /** This instance's moves until they are over (a return home waits for each in turn). */
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();

  constructor(parts: ServiceParts) {
    this.#parts = parts;
    this.migrations = new MigrationRepository(parts.database.client);
    this.evacuations = new EvacuationRepository(parts.database.client);
    this.moves = new LiveOperations(parts.database.events, "move", applyMove, (error) =>
      parts.logger.warn({ err: error }, "publishing a move's state failed"),
    );
  }

  get locks() {
    return this.#parts.locks;
  }

  nodesOf(clusterId: string): Promise<NodeTarget[]> {
    return openClusterNodeTargets(this.#parts.clusterServices, clusterId);
  }

  /** The cluster's nodes and the one pcs runs on: the first the inventory has online. */
  async nodesAndRunner(
    clusterId: string,
    inventory: Pick<Inventory, "nodes"> | null,
  ): Promise<{ nodes: NodeTarget[]; runner: NodeTarget }> {
    const nodes = await this.nodesOf(clusterId);
    const online = new Set(
      inventory?.nodes.filter((node) => node.state !== "offline").map((node) => node.name),
    );
    const runner = nodes.find((node) => online.has(node.id)) ?? nodes[0];
    if (!runner) throw new AppError("NOT_FOUND", "The cluster has no node.");
    return { nodes, runner };
  }

  /** The VM's latest move: running, or settled in the last minutes, on any instance. */
  latestFor(clusterId: string, vm: string): MoveState | null {
    return this.latestIn(clusterId).findLast((move) => move.vm === vm) ?? null;
  }

  /** The cluster's moves, running or settled in the last minutes, on any instance. */
  latestIn(clusterId: string): MoveState[] {
    return this.moves.list((move) => move.clusterId === clusterId);
  }

  /**
   * Takes the VM's lock (VM_BUSY if another operation holds it), records the migration, and
   * runs it in the background; the caller gets its state at once and follows `moves.changes`.
   */
  async startMove(input: {
    clusterId: string;
    vm: string;
    /** The libvirt domain the resource runs (for every node's own view after a cancel). */
    domain: string;
    source: string | null;
    target: string;
    live: boolean;
    constraint?: MoveConstraintMode;
    actor: { id: string; name: string };
  }): Promise<MoveState> {
    const nodes = await this.nodesOf(input.clusterId);
    const id = randomUUID();
    const { lock } = await this.locks.acquire({
      clusterId: input.clusterId,
      vm: input.vm,
      holderId: input.actor.id,
      holderName: input.actor.name,
      operation: input.live ? "vm.migrate" : "vm.move",
      operationId: id,
    });
    const migration = {
      id,
      clusterId: input.clusterId,
      vm: input.vm,
      fromNode: input.source,
      toNode: input.target,
      live: input.live,
    };
    const startedAt = new Date();
    try {
      await this.migrations.start({
        ...migration,
        actorId: input.actor.id,
        actorName: input.actor.name,
        startedAt,
      });
    } catch (error) {
      await this.locks.release(lock);
      throw error;
    }
    const letGo = this.locks.hold(lock, () =>
      this.#parts.logger.warn(
        { migrationId: id },
        "another instance took this move's lease as stale: it recorded the move interrupted",
      ),
    );
    const initial = await this.moves.own(
      newMoveState({
        ...migration,
        domain: input.domain,
        startedAt: startedAt.getTime(),
        constraint: input.constraint ?? "clear",
      }),
    );
    const running = this.#run(id, input, nodes)
      .catch(async (error: unknown) => {
        this.#parts.logger.error({ err: error, migrationId: id }, "migration failed unexpectedly");
        await this.#settle(id, { type: "crashed", error: String(error), at: Date.now() });
      })
      .finally(() => {
        letGo();
        this.#inFlight.delete(id);
      });
    this.#inFlight.set(id, running);
    return initial;
  }

  /**
   * Drains `node`, recorded as an evacuation: first what the operator chose (the held VMs
   * stopped, then the chosen moves to the scheduler's nodes, a few at a time, each a move of its
   * own with its constraint kept so that nothing heads home meanwhile), then the standby moves
   * whatever is left and the kept constraints are cleared. Once pcs returned (the cluster
   * settled): where each VM went and how by Pacemaker's operation history since the request,
   * and whether the node's own libvirt runs nothing. Throws what pcs or the read said, recorded
   * on the evacuation.
   */
  async drain(input: {
    clusterId: string;
    node: string;
    /** The resources Pacemaker runs on the node now. */
    resources: readonly string[];
    nodes: readonly NodeTarget[];
    /** The node pcs runs on. */
    runner: NodeTarget;
    actor: { id: string; name: string };
    first?: DrainFirst;
  }): Promise<{ evacuationId: string; outcome: EvacuationOutcome; output: string }> {
    // Its own lease: one drain of the node at a time; a Corral that stops mid-way has the
    // record taken over by a live one (recoverDrains).
    const id = randomUUID();
    const { lock } = await this.locks.acquire({
      clusterId: input.clusterId,
      vm: drainLock(input.node),
      holderId: input.actor.id,
      holderName: input.actor.name,
      operation: "node.drain",
      operationId: id,
    });
    const letGo = this.locks.hold(lock, () =>
      this.#parts.logger.warn(
        { evacuationId: id },
        "another instance took this drain's lease as stale: it recorded the drain interrupted",
      ),
    );
    try {
      return await this.#drainHeld(id, input);
    } finally {
      await letGo();
    }
  }

  async #drainHeld(
    id: string,
    input: Parameters<VmsService["drain"]>[0],
  ): Promise<{ evacuationId: string; outcome: EvacuationOutcome; output: string }> {
    const pool = this.#parts.clusterServices.pool;
    const context = { actorId: input.actor.id, clusterId: input.clusterId };
    // Pacemaker's record before the drain: the operations after it are the drain's.
    const before = await readOperationHistory(pool, input.nodes, context);
    const evacuation = await this.evacuations.start({
      id,
      clusterId: input.clusterId,
      node: input.node,
      actorId: input.actor.id,
      actorName: input.actor.name,
      resources: input.resources,
    });
    const fail = async (error: string) =>
      this.evacuations.finish(evacuation.id, { state: "failed", outcome: null, error });
    const problem = input.first ? await this.#evacuateFirst(input, input.first) : null;
    if (problem) {
      await fail(problem);
      throw new AppError("COMMAND_FAILED", problem);
    }
    const result = await runResourceAction(
      pool,
      input.runner,
      "standby",
      { node: input.node },
      context,
    );
    if (!result.ok) {
      await fail(result.error.message);
      throw result.error;
    }
    // In standby, the node takes nothing back: the moves' constraints may go.
    const notes = [result.value.stdout.trim()];
    for (const move of input.first?.moves ?? []) {
      const cleared = await runResourceAction(
        pool,
        input.runner,
        "clear",
        { vm: move.resource },
        context,
      );
      if (!cleared.ok)
        notes.push(`${move.resource}'s move constraint stays: ${cleared.error.message}`);
    }
    const outcome = await readEvacuationOutcome(
      pool,
      input.nodes,
      {
        node: input.node,
        resources: input.resources,
        held: input.first?.holds ?? [],
        restarted: input.first?.moves.filter((move) => !move.live).map((move) => move.resource),
      },
      before,
      context,
    );
    if (!outcome.ok) {
      await fail(`The drain's outcome could not be read: ${outcome.error.message}`);
      throw outcome.error;
    }
    await this.evacuations.finish(evacuation.id, {
      state: "drained",
      outcome: outcome.value,
      error: null,
    });
    return {
      evacuationId: evacuation.id,
      outcome: outcome.value,
      output: notes.filter(Boolean).join("\n"),
    };
  }

  /**
   * The operator's part of a drain, before the standby: holds (each VM disabled under its
   * lock), then the moves in order, `concurrency` at a time (live ones as ordinary moves, on
   * their cards; restarts under the VM's lock); none starts after one did not get there.
   * Answers why it stopped, or null.
   */
  async #evacuateFirst(
    input: {
      clusterId: string;
      node: string;
      runner: NodeTarget;
      actor: { id: string; name: string };
    },
    first: DrainFirst,
  ): Promise<string | null> {
    const pool = this.#parts.clusterServices.pool;
    const context = { actorId: input.actor.id, clusterId: input.clusterId };
    const holder = {
      clusterId: input.clusterId,
      holderId: input.actor.id,
      holderName: input.actor.name,
    };
    // Under the VM's lock; a VM another operation holds (VM_BUSY) is a step that failed.
    const exclusive = async <T>(
      vm: string,
      operation: string,
      run: () => Promise<Result<T>>,
    ): Promise<Result<T>> => {
      try {
        return await this.locks.runExclusive({ ...holder, vm, operation }, run);
      } catch (error) {
        return err(error instanceof AppError ? error : new AppError("CONFLICT", String(error)));
      }
    };
    for (const vm of first.holds) {
      const held = await exclusive(vm, "vm.disable", () =>
        runResourceAction(pool, input.runner, "disable", { vm }, context),
      );
      if (!held.ok)
        return `${vm} was not stopped (${held.error.message}): ${input.node} stays online.`;
    }
    const limit = pLimit(first.concurrency);
    const missed: string[] = [];
    await Promise.all(
      first.moves.map((move) =>
        limit(async () => {
          if (missed.length) return;
          if (!move.live) {
            // A restart, whatever its allow-migrate: stopped, then started on the target.
            const restarted = await exclusive(move.resource, "vm.move", () =>
              restartElsewhere(pool, input.runner, { vm: move.resource, target: move.to }, context),
            );
            if (!restarted.ok) {
              missed.push(
                `${move.resource} did not get to ${move.to} (${restarted.error.message})`,
              );
            }
            return;
          }
          const started = await this.startMove({
            clusterId: input.clusterId,
            vm: move.resource,
            domain: move.domain,
            source: move.from,
            target: move.to,
            live: true,
            constraint: "keep",
            actor: input.actor,
          }).catch((error: unknown) => {
            missed.push(
              `${move.resource} did not move (${error instanceof Error ? error.message : String(error)})`,
            );
            return null;
          });
          const settled = started && ((await this.settled(started.id)) ?? started);
          if (settled && settled.state !== "succeeded" && settled.state !== "restarted") {
            missed.push(
              `${move.resource} did not get to ${move.to} (${settled.error ?? settled.state})`,
            );
          }
        }),
      ),
    );
    return missed.length
      ? `${missed.join("; ")}: ${input.node} stays online; the VMs moved before keep their move constraint (on their cards) until cleared${first.holds.length ? `, and ${first.holds.join(", ")} stay stopped (Enable on their cards)` : ""}.`
      : null;
  }

  /**
   * Bring back, from an evacuation's panel: recorded on the evacuation; the held VMs started
   * (each under its lock), then moveHome for the others and for a started one Pacemaker put
   * elsewhere.
   */
  async returnHome(input: {
    evacuation: EvacuationEntry;
    moves: readonly ReturnHomeMove[];
    starts: readonly ReturnHomeStart[];
    nodes: readonly NodeTarget[];
    runner: NodeTarget;
    actor: { id: string; name: string };
  }): Promise<void> {
    const { evacuation } = input;
    const pool = this.#parts.clusterServices.pool;
    const context = { actorId: input.actor.id, clusterId: evacuation.clusterId };
    await this.evacuations.markReturned(evacuation.id);
    for (const start of input.starts) {
      const started = await this.locks.runExclusive(
        {
          clusterId: evacuation.clusterId,
          vm: start.resource,
          holderId: input.actor.id,
          holderName: input.actor.name,
          operation: "vm.enable",
        },
        () => runResourceAction(pool, input.runner, "enable", { vm: start.resource }, context),
      );
      if (!started.ok) throw started.error;
    }
    const status = input.starts.length
      ? await readClusterStatusFromAny(pool, input.nodes, context)
      : null;
    if (status && !status.ok) throw status.error;
    const elsewhere = input.starts.flatMap((start) => {
      const from = startedOn(
        status?.value.resources.find((resource) => resource.id === start.resource),
      );
      return from && from !== evacuation.node ? [{ ...start, from }] : [];
    });
    await this.moveHome({
      clusterId: evacuation.clusterId,
      node: evacuation.node,
      moves: [...input.moves, ...elsewhere],
      actor: input.actor,
    });
  }

  /**
   * Brings VMs back to `node`, one move at a time (each a move of its own: locked, recorded, on
   * its card), and stops at the first that did not get there (a live move Pacemaker did by
   * restart got there): its card says why. Answers the moves' final states, in order.
   */
  async moveHome(input: {
    clusterId: string;
    node: string;
    moves: readonly ReturnHomeMove[];
    actor: { id: string; name: string };
  }): Promise<MoveState[]> {
    const done: MoveState[] = [];
    for (const move of input.moves) {
      const started = await this.startMove({
        clusterId: input.clusterId,
        vm: move.resource,
        domain: move.domain,
        source: move.from,
        target: input.node,
        live: move.live,
        actor: input.actor,
      });
      const settled = (await this.settled(started.id)) ?? started;
      done.push(settled);
      if (settled.state !== "succeeded" && settled.state !== "restarted") break;
    }
    return done;
  }

  /** A move started on this instance, once it is over (its latest state on any instance). */
  async settled(id: string): Promise<MoveState | null> {
    await this.#inFlight.get(id);
    return this.moves.view(id);
  }

  /** The move's side effects; every change of its state goes through applyMove. */
  async #run(
    id: string,
    input: Parameters<VmsService["startMove"]>[0],
    nodes: NodeTarget[],
  ): Promise<void> {
    const context = { actorId: input.actor.id, clusterId: input.clusterId };
    const outcome = await moveResource(
      this.#parts.clusterServices.pool,
      nodes,
      {
        vm: input.vm,
        source: input.source,
        target: input.target,
        live: input.live,
        constraint: input.constraint ?? "clear",
      },
      (progress) => void this.moves.dispatch(id, { type: "progress", progress }),
      context,
    );
    const moved = await this.#settle(id, { type: "moved", outcome, at: Date.now() });
    if (!moved?.settlingCancel) return;
    const settled = await settleCancelledMove(
      this.#parts.clusterServices.pool,
      nodes,
      { resource: input.vm, domain: input.domain },
      context,
    );
    await this.#settle(id, {
      type: "cancel-settled",
      settled: settled.ok
        ? { ok: true, node: settled.value.node }
        : { ok: false, message: settled.error.message },
      at: Date.now(),
    });
  }

  /** Applies an event; once the move is over, its record says so before anyone is told. */
  async #settle(id: string, event: MoveEvent): Promise<MoveState | null> {
    const current = this.moves.view(id);
    if (!current) return null;
    const next = applyMove(current, event);
    if (next.state !== "running" && next.state !== "interrupted") {
      await this.migrations.finish(id, { result: next.state, error: next.error });
      this.#parts.metrics.observeOperation(
        next.live ? "vm.migrate" : "vm.move",
        (next.durationMs ?? 0) / 1000,
        next.state,
      );
    }
    return this.moves.dispatch(id, event);
  }

  /**
   * Moves whose Corral stopped renewing their lease (released by the lease sweep), and at
   * start-up every running record no live lock names. Pacemaker goes on with a move whose
   * Corral died, so it is recorded interrupted at once and, once Pacemaker settled, with where
   * the VM runs by every node's libvirt. Nothing is done on the cluster: the card offers the
   * next step (Clear the move constraint pcs may have left, then move again).
   */
  async recover(released: readonly VmLock[]): Promise<void> {
    for (const lock of released) {
      const id = lock.operationId;
      if (!id) continue;
      const dead = `The Corral running this move (${lock.instanceId}) stopped renewing its lease`;
      const waiting = `${dead}; Pacemaker goes on with the move without it. Where the VM runs follows once Pacemaker settles.`;
      await this.migrations.finish(id, { result: "interrupted", error: waiting });
      const move = await this.moves.takeOver(id, {
        type: "interrupted",
        error: waiting,
        at: Date.now(),
      });
      this.#settling.add(this.#noteWhereItEnded(lock, move, dead));
    }
    const releasedIds = new Set(released.map((lock) => lock.operationId));
    const held = (await this.locks.list())
      .map((lock) => lock.operationId)
      .filter((id): id is string => id !== null && !releasedIds.has(id));
    await this.migrations.interruptOrphans(held);
  }

  /** Waits for Pacemaker to settle the move, then says where the VM ended up. */
  async #noteWhereItEnded(lock: VmLock, move: MoveState | null, dead: string): Promise<void> {
    const id = lock.operationId ?? "";
    try {
      const nodes = await this.nodesOf(lock.clusterId);
      const { note } = await whereItRunsOnceSettled(
        this.#parts.clusterServices.pool,
        nodes,
        { resource: lock.vm, domain: move?.domain ?? lock.vm },
        { clusterId: lock.clusterId, vm: lock.vm, signal: this.#stop.signal },
      );
      const error = `${dead}; Pacemaker settled without it: ${note} If its card shows a leftover move constraint, clear it.`;
      await this.migrations.noteInterrupted(id, error);
      await this.moves.takeOver(id, { type: "interrupted", error, at: Date.now() });
    } catch (error) {
      if (!this.#stop.signal.aborted) {
        this.#parts.logger.warn(
          { err: error, migrationId: id },
          "where an interrupted move ended is unknown",
        );
      }
    }
  }

  /**
   * Drains whose Corral stopped renewing their lease, and at start-up every running one no live
   * lock names: recorded interrupted. Its moves are recovered by their own kind; where each VM
   * runs is on its card.
   */
  async recoverDrains(released: readonly VmLock[]): Promise<void> {
    const running = await this.evacuations.listRunning();
    for (const drain of await unleased(running, (d) => d.id, released, this.locks)) {
      await this.evacuations.interrupt(drain.id);
    }
  }

  /** Stops following interrupted moves (server close). */
  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(this.#settling);
    this.moves.close();
  }
}

/** What a drain does before the standby, as the operator chose (core's evacuationSteps). */
export interface DrainFirst {
  holds: readonly string[];
  moves: readonly (EvacuationMove & { domain: string })[];
  concurrency: number;
}
