import { randomUUID } from "node:crypto";
import { EventEmitter, on } from "node:events";
import {
  type LocationConstraint,
  type MoveProgress,
  moveResource,
  type NodeTarget,
  openClusterNodeTargets,
  settleCancelledMove,
} from "@corral/core";
import {
  MigrationRepository,
  type MigrationStart,
  type VmLock,
  VmLockRepository,
} from "@corral/db";
import type { ServiceParts } from "../../service-parts.ts";

/** What the card's migration panel draws, from the click to the result. */
export interface MigrationView
  extends Pick<MigrationStart, "id" | "clusterId" | "vm" | "fromNode" | "toNode" | "live"> {
  /** restarted: asked live, but Pacemaker's record shows it stopped and started it. */
  state: "running" | "succeeded" | "restarted" | "failed" | "cancelled";
  phase: MoveProgress["phase"];
  /** 0..1 of the memory transfer (migrate_to), null outside it. */
  transferFraction: number | null;
  transferredBytes: number | null;
  totalBytes: number | null;
  /** From the click to Started on the target (the operator's wait), once reached. */
  startedAfterMs: number | null;
  durationMs: number | null;
  error: string | null;
  leftoverConstraint: LocationConstraint | null;
  cancelling: boolean;
  /** The latest memory transfer reading says a job runs on the source (cancel can abort it). */
  transferActive: boolean;
}

/**
 * What the VM procedures share within one server: the VM locks, the migration history and the
 * migrations running now (their live view, for the SSE subscription and for cancel).
 */
export class VmsService {
  readonly locks: VmLockRepository;
  readonly migrations: MigrationRepository;
  readonly #running = new Map<string, MigrationView>();
  readonly #events = new EventEmitter().setMaxListeners(0);

  readonly #parts: ServiceParts;

  constructor(parts: ServiceParts) {
    this.#parts = parts;
    this.locks = new VmLockRepository(parts.database.client);
    this.migrations = new MigrationRepository(parts.database.client);
  }

  nodesOf(clusterId: string): Promise<NodeTarget[]> {
    return openClusterNodeTargets(this.#parts.clusterServices, clusterId);
  }

  view(migrationId: string): MigrationView | null {
    return this.#running.get(migrationId) ?? null;
  }

  /** The VM's latest migration of this server: running, or settled in the last minutes. */
  latestFor(clusterId: string, vm: string): MigrationView | null {
    return this.latestIn(clusterId).findLast((view) => view.vm === vm) ?? null;
  }

  /** The cluster's migrations of this server, running or settled in the last minutes. */
  latestIn(clusterId: string): MigrationView[] {
    return [...this.#running.values()]
      .filter((view) => view.clusterId === clusterId)
      .map((view) => ({ ...view }));
  }

  async *changes(migrationId: string, signal: AbortSignal | undefined) {
    try {
      for await (const [view] of on(this.#events, migrationId, { signal })) {
        yield view as MigrationView;
      }
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }

  /**
   * Takes the VM's lock (VM_BUSY if another operation holds it), records the migration, and
   * runs it in the background; the caller gets its id at once and watches `changes`.
   */
  async startMove(input: {
    clusterId: string;
    vm: string;
    /** The libvirt domain the resource runs (for every node's own view after a cancel). */
    domain: string;
    source: string | null;
    target: string;
    live: boolean;
    actor: { id: string; name: string };
  }): Promise<MigrationView> {
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
    const view: MigrationView = {
      ...migration,
      state: "running",
      phase: "requested",
      transferFraction: null,
      transferredBytes: null,
      totalBytes: null,
      startedAfterMs: null,
      durationMs: null,
      error: null,
      leftoverConstraint: null,
      cancelling: false,
      transferActive: false,
    };
    this.#running.set(id, view);
    const publish = (change: Partial<MigrationView>) => {
      Object.assign(view, change);
      this.#events.emit(id, { ...view });
    };
    const renewal = setInterval(() => void this.locks.renew(lock).catch(() => {}), 10_000);
    void moveResource(
      this.#parts.clusterServices.pool,
      nodes,
      { vm: input.vm, source: input.source, target: input.target, live: input.live },
      (progress) =>
        publish({
          phase: progress.phase,
          transferFraction: progress.transfer?.fraction ?? null,
          transferredBytes:
            progress.transfer?.memoryTotalBytes != null &&
            progress.transfer.memoryRemainingBytes != null
              ? progress.transfer.memoryTotalBytes - progress.transfer.memoryRemainingBytes
              : null,
          totalBytes: progress.transfer?.memoryTotalBytes ?? null,
          transferActive: progress.transfer?.active ?? false,
          startedAfterMs:
            view.startedAfterMs ?? (progress.phase === "started" ? progress.elapsedMs : null),
        }),
      { actorId: input.actor.id, clusterId: input.clusterId },
    )
      .then(async (outcome) => {
        const { result, error } = view.cancelling
          ? await this.#settleCancel(input, nodes)
          : !outcome.ok
            ? { result: "failed" as const, error: outcome.error.error.message }
            : input.live && outcome.value.how.how === "restarted"
              ? { result: "restarted" as const, error: outcome.value.how.reason }
              : { result: "succeeded" as const, error: null };
        await this.migrations.finish(id, { result, error });
        publish({
          state: result,
          error,
          durationMs: Date.now() - startedAt.getTime(),
          startedAfterMs: outcome.ok ? outcome.value.startedAfterMs : view.startedAfterMs,
          leftoverConstraint:
            result === "cancelled"
              ? null
              : outcome.ok
                ? outcome.value.leftoverConstraint
                : outcome.error.leftoverConstraint,
        });
      })
      .catch((error: unknown) => {
        this.#parts.logger.error({ err: error, migrationId: id }, "migration failed unexpectedly");
        publish({ state: "failed", error: String(error) });
      })
      .finally(async () => {
        clearInterval(renewal);
        await this.locks.release(lock).catch(() => {});
        // Kept a while so a card opened just after the end still shows the result.
        setTimeout(() => this.#running.delete(id), 10 * 60_000).unref();
      });
    return { ...view };
  }

  setCancelling(migrationId: string, cancelling: boolean) {
    const view = this.#running.get(migrationId);
    if (view) {
      view.cancelling = cancelling;
      this.#events.emit(migrationId, { ...view });
    }
  }

  /**
   * After an aborted transfer, once Pacemaker settled: cancelled when the VM runs on exactly one
   * node (libvirt and Pacemaker agree) and the move constraint could then be cleared; failed,
   * saying where it runs, otherwise.
   */
  async #settleCancel(
    input: { clusterId: string; vm: string; domain: string; actor: { id: string } },
    nodes: NodeTarget[],
  ): Promise<{ result: "cancelled" | "failed"; error: string }> {
    const settled = await settleCancelledMove(
      this.#parts.clusterServices.pool,
      nodes,
      { resource: input.vm, domain: input.domain },
      { actorId: input.actor.id, clusterId: input.clusterId },
    );
    return settled.ok
      ? {
          result: "cancelled",
          error: `Transfer aborted. Pacemaker recovered ${input.domain} from the failed migrate_to by stopping and starting it (its guest rebooted): it now runs on ${settled.value.node} only (every node's virsh and Pacemaker agree); move constraint cleared.`,
        }
      : { result: "failed", error: `Cancel: ${settled.error.message}` };
  }

  /**
   * Migrations a stopped Corral left "running" become interrupted, given the migration locks
   * start-up released (recoverInterruptedOperations): every running record no live lock names.
   */
  async recover(released: readonly VmLock[]): Promise<void> {
    const releasedIds = new Set(released.map((lock) => lock.operationId));
    const held = (await this.locks.list())
      .map((lock) => lock.operationId)
      .filter((id): id is string => id !== null && !releasedIds.has(id));
    await this.migrations.interruptOrphans(held);
  }
}
