import { randomUUID } from "node:crypto";
import {
  AppError,
  allowedNodesOf,
  applyBulk,
  type BulkAction,
  type BulkEvent,
  type BulkState,
  bulkLock,
  type Inventory,
  type NodeTarget,
  newBulkState,
  runResourceAction,
} from "@corral/core";
import { BulkActionRepository, type VmLock } from "@corral/db";
import pLimit from "p-limit";
import { unleased } from "../../operations/unleased.ts";
import type { ServiceParts } from "../../service-parts.ts";
import type { VmsService } from "../vms/vms-service.ts";

type Actor = { id: string; name: string };
type InventoryResource = NonNullable<Inventory["vms"][number]["resource"]>;

/** The pcs action each bulk action runs on a VM (migrate is a move of its own). */
const PCS_ACTION = { start: "enable", stop: "disable", cleanup: "cleanup" } as const;

/**
 * Why a VM is left out of a bulk action, from the live inventory; null when it is worked.
 * Pure.
 */
export function bulkSkipReason(
  action: BulkAction,
  resource: InventoryResource,
  target: string | null,
): string | null {
  switch (action) {
    case "start":
      return resource.role === "Started" ? `already Started on ${resource.nodes.join(", ")}` : null;
    case "stop":
      return resource.role === "Stopped" && resource.targetRole === "Stopped"
        ? "already stopped"
        : null;
    case "cleanup":
      return null;
    case "migrate": {
      if (resource.role !== "Started" || resource.nodes.length !== 1)
        return `it is ${resource.role}: nothing to migrate`;
      if (resource.nodes[0] === target) return `already on ${target}`;
      const allowed = allowedNodesOf(resource.constraints);
      return allowed && target && !allowed.includes(target) ? `not allowed on ${target}` : null;
    }
  }
}

/**
 * One action on a set of VMs, a few at a time (p-limit), each VM under its own lock exactly as
 * its card would run it (pcs enable, disable, cleanup; a move through VmsService), with a
 * result per VM. The bulk action holds a lease of its own (bulkLock) and its record is its
 * state, so any instance shows it; a Corral that stops leaves it interrupted, the VMs it was
 * working recovered by their own kinds.
 */
export class BulkService {
  readonly store: BulkActionRepository;
  readonly #parts: ServiceParts;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();

  constructor(
    parts: ServiceParts,
    readonly vms: VmsService,
    readonly inventoryOf: (clusterId: string) => Promise<Inventory | null>,
  ) {
    this.#parts = parts;
    this.store = new BulkActionRepository(parts.database.client);
  }

  latest(clusterId: string): Promise<BulkState | null> {
    return this.store.latest(clusterId);
  }

  async start(input: {
    clusterId: string;
    resources: string[];
    action: BulkAction;
    target: string | null;
    concurrency: number;
    actor: Actor;
  }): Promise<BulkState> {
    const inventory = await this.inventoryOf(input.clusterId);
    if (!inventory) throw new AppError("NOT_FOUND", "The cluster's state is not known yet.");
    const target = input.action === "migrate" ? input.target : null;
    if (input.action === "migrate") {
      const node = inventory.nodes.find((candidate) => candidate.name === target);
      if (!node) throw new AppError("INVALID_INPUT", "Pick the node to migrate the VMs to.");
      if (node.state !== "online")
        throw new AppError("INVALID_INPUT", `${target} is ${node.state}: pick an online node.`);
    }
    const items = input.resources.map((resource) => {
      const vm = inventory.vms.find((candidate) => candidate.resource?.id === resource);
      return {
        resource,
        domain: vm?.name ?? resource,
        skipped: vm?.resource
          ? bulkSkipReason(input.action, vm.resource, target)
          : "not a VM resource of this cluster",
      };
    });
    const { runner } = await this.vms.nodesAndRunner(input.clusterId, inventory);
    const id = randomUUID();
    const { lock } = await this.#parts.locks.acquire({
      clusterId: input.clusterId,
      vm: bulkLock(id),
      holderId: input.actor.id,
      holderName: input.actor.name,
      operation: "cluster.bulk",
      operationId: id,
    });
    const state = newBulkState({
      id,
      clusterId: input.clusterId,
      action: input.action,
      target,
      concurrency: input.concurrency,
      actorName: input.actor.name,
      startedAt: Date.now(),
      items,
    });
    try {
      await this.store.save(state);
    } catch (error) {
      await this.#parts.locks.release(lock);
      throw error;
    }
    const running = this.#run(state, lock, input.actor, runner, inventory).finally(() =>
      this.#running.delete(running),
    );
    this.#running.add(running);
    return state;
  }

  /**
   * Bulk actions whose Corral stopped renewing the lease, and at start-up every running record
   * no live lock names: recorded interrupted (the VM being worked failed with why, the rest not
   * run). Each VM's own operation is recovered by its kind.
   */
  async recover(released: readonly VmLock[]): Promise<void> {
    const running = await this.store.listRunning();
    for (const state of await unleased(running, (s) => s.id, released, this.#parts.locks)) {
      await this.store.save(
        applyBulk(state, {
          type: "interrupted",
          message:
            "Interrupted: the Corral running the bulk action stopped; the card says where the VM runs now.",
          at: Date.now(),
        }),
      );
    }
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(this.#running);
  }

  async #run(
    initial: BulkState,
    lock: VmLock,
    actor: Actor,
    /** The node pcs runs on. */
    runner: NodeTarget,
    inventory: Inventory,
  ): Promise<void> {
    const letGo = this.#parts.locks.hold(lock);
    let state = initial;
    let saved = Promise.resolve();
    // Each event applies at once; the saves follow one another, each with the latest state.
    const dispatch = (event: BulkEvent) => {
      state = applyBulk(state, event);
      const snapshot = state;
      saved = saved.then(() => this.store.save(snapshot));
      return saved;
    };
    const limit = pLimit(initial.concurrency);
    try {
      await Promise.all(
        initial.items
          .filter((item) => item.state === "pending")
          .map((item) =>
            limit(async () => {
              if (this.#stop.signal.aborted) return;
              await dispatch({ type: "item-started", resource: item.resource });
              const done = await this.#one(state, item, actor, runner, inventory).then(
                (message) => ({ ok: true, message }),
                (error: unknown) => ({
                  ok: false,
                  message: error instanceof Error ? error.message : String(error),
                }),
              );
              await dispatch({
                type: "item-finished",
                resource: item.resource,
                ...done,
                at: Date.now(),
              });
            }),
          ),
      );
      await saved;
    } catch (error) {
      this.#parts.logger.error({ err: error, bulkId: initial.id }, "bulk action failed");
    } finally {
      await letGo();
    }
  }

  /** One VM, as its card would run it; the result in the operator's words. */
  async #one(
    state: BulkState,
    item: { resource: string; domain: string },
    actor: Actor,
    /** The node pcs runs on. */
    runner: NodeTarget,
    inventory: Inventory,
  ): Promise<string | null> {
    if (state.action === "migrate") {
      const resource = inventory.vms.find((vm) => vm.resource?.id === item.resource)?.resource;
      const started = await this.vms.startMove({
        clusterId: state.clusterId,
        vm: item.resource,
        domain: item.domain,
        source: resource?.nodes[0] ?? null,
        target: state.target ?? "",
        live: resource?.allowMigrate === true,
        actor,
      });
      const move = await this.vms.settled(started.id);
      if (move?.state === "succeeded")
        return `${move.live ? "Migrated live" : "Moved (stop and start)"} to ${move.toNode}.`;
      if (move?.state === "restarted") return `On ${move.toNode}, but not live: ${move.error}`;
      throw new AppError("COMMAND_FAILED", move?.error ?? `The move ended ${move?.state}.`);
    }
    const action = PCS_ACTION[state.action];
    return this.#parts.locks.runExclusive(
      {
        clusterId: state.clusterId,
        vm: item.resource,
        holderId: actor.id,
        holderName: actor.name,
        operation: `vm.${action}`,
      },
      async () => {
        const result = await runResourceAction(
          this.#parts.clusterServices.pool,
          runner,
          action,
          { vm: item.resource },
          { actorId: actor.id, clusterId: state.clusterId, vm: item.resource },
        );
        if (!result.ok) throw result.error;
        return result.value.stdout.trim() || null;
      },
    );
  }
}
