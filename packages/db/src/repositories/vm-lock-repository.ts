import { hostname } from "node:os";
import { AppError } from "@corral/core";
import type { DbClient } from "../create-database.ts";

/** Who takes a VM and for what, as a second operator is told when the VM is busy. */
export interface VmLockRequest {
  clusterId: string;
  vm: string;
  holderId: string | null;
  /** Shown to others ("ada@example.test"); copied so it outlives a removed operator. */
  holderName: string;
  /** "vm.move", "vm.disable", "onboarding", ... */
  operation: string;
  /** The record of the operation (a migration, a job), to mark it interrupted if it dies. */
  operationId?: string | null;
}

export interface VmLock extends Required<VmLockRequest> {
  instanceId: string;
  since: Date;
  renewedAt: Date;
}

export interface VmLockOptions {
  /** This server process; the default, `<hostname>:<pid>`, lets a restart tell its dead locks. */
  instanceId?: string;
  /** A lock not renewed for this long belongs to a dead server. */
  staleAfterMs?: number;
  /** How often a holder renews its lock while its operation runs. */
  renewEveryMs?: number;
}

/**
 * One operation per VM at a time across Corral, decided by the database's primary key on
 * (cluster, vm), so it holds across requests, operators and Corral servers sharing a database.
 * A holder renews its lock while it works; a lock whose server died (its process is gone on this
 * host, or it stopped renewing) is stale: `releaseStale` at start-up and every `acquire` release
 * it and hand it back so its operation can be recorded as interrupted.
 */
export class VmLockRepository {
  readonly instanceId: string;
  readonly staleAfterMs: number;
  readonly renewEveryMs: number;

  constructor(
    private readonly db: DbClient,
    options: VmLockOptions = {},
  ) {
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
    this.staleAfterMs = options.staleAfterMs ?? 60_000;
    this.renewEveryMs = options.renewEveryMs ?? 10_000;
  }

  /**
   * Takes the VM for one operation, or throws VM_BUSY naming the holder, the operation and
   * since when. `released` is the stale lock this took over, if any.
   */
  async acquire(request: VmLockRequest): Promise<{ lock: VmLock; released: VmLock | null }> {
    const data = {
      clusterId: request.clusterId,
      vm: request.vm,
      holderId: request.holderId,
      holderName: request.holderName,
      operation: request.operation,
      operationId: request.operationId ?? null,
      instanceId: this.instanceId,
    };
    let released: VmLock | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const created = await this.db.vmLock.createMany({ data: [data] }).catch((error) => {
        if ((error as { code?: string }).code === "P2002") return { count: 0 };
        throw error;
      });
      if (created.count === 1) {
        const lock = await this.find(request.clusterId, request.vm);
        if (lock) return { lock, released };
      }
      const holder = await this.find(request.clusterId, request.vm);
      if (!holder) continue;
      if (!this.isStale(holder, new Date()) || !(await this.releaseExactly(holder))) {
        throw busyError(holder);
      }
      released = holder;
    }
    throw new AppError("CONFLICT", `Taking ${request.vm} raced with another operation: try again.`);
  }

  /** Keeps the lock fresh; false when it is no longer this holder's (released as stale). */
  async renew(lock: VmLock): Promise<boolean> {
    const updated = await this.db.vmLock.updateMany({
      where: { ...lockKey(lock), instanceId: lock.instanceId, since: lock.since },
      data: { renewedAt: new Date() },
    });
    return updated.count === 1;
  }

  async release(lock: VmLock): Promise<void> {
    await this.db.vmLock.deleteMany({
      where: { ...lockKey(lock), instanceId: lock.instanceId, since: lock.since },
    });
  }

  /**
   * Renews the lock every `renewEveryMs` until the returned function is called, which also
   * releases it. `onLost` hears once if another instance took it as stale (this one was too slow
   * to renew): the operation goes on, but its recovery has been recorded elsewhere.
   */
  hold(lock: VmLock, onLost: () => void = () => {}): () => Promise<void> {
    let lost = false;
    const renewal = setInterval(
      () =>
        void this.renew(lock).then(
          (held) => {
            if (!held && !lost) {
              lost = true;
              onLost();
            }
          },
          () => {},
        ),
      this.renewEveryMs,
    );
    renewal.unref();
    return async () => {
      clearInterval(renewal);
      await this.release(lock).catch(() => {});
    };
  }

  /**
   * Runs `operation` holding the VM: acquires (VM_BUSY if taken), renews while it runs,
   * releases when it settles, success or failure.
   */
  async runExclusive<T>(request: VmLockRequest, operation: (lock: VmLock) => Promise<T>) {
    const { lock } = await this.acquire(request);
    const letGo = this.hold(lock);
    try {
      return await operation(lock);
    } finally {
      await letGo();
    }
  }

  async find(clusterId: string, vm: string): Promise<VmLock | null> {
    return this.db.vmLock.findUnique({ where: { clusterId_vm: { clusterId, vm } } });
  }

  async list(clusterId?: string): Promise<VmLock[]> {
    return this.db.vmLock.findMany({
      where: clusterId ? { clusterId } : {},
      orderBy: [{ clusterId: "asc" }, { vm: "asc" }],
    });
  }

  /**
   * Releases every stale lock (run at start-up, before serving) and returns them, so the
   * caller records their operations as interrupted.
   */
  async releaseStale(): Promise<VmLock[]> {
    const now = new Date();
    const released: VmLock[] = [];
    for (const lock of await this.list()) {
      if (this.isStale(lock, now) && (await this.releaseExactly(lock))) released.push(lock);
    }
    return released;
  }

  private isStale(lock: VmLock, now: Date): boolean {
    if (now.getTime() - lock.renewedAt.getTime() > this.staleAfterMs) return true;
    return lock.instanceId !== this.instanceId && isDeadLocalProcess(lock.instanceId);
  }

  /** Deletes exactly this lock, not one taken since by someone else; true if it did. */
  private async releaseExactly(lock: VmLock): Promise<boolean> {
    const deleted = await this.db.vmLock.deleteMany({
      where: { ...lockKey(lock), instanceId: lock.instanceId, since: lock.since },
    });
    return deleted.count === 1;
  }
}

function lockKey(lock: Pick<VmLock, "clusterId" | "vm">) {
  return { clusterId: lock.clusterId, vm: lock.vm };
}

function busyError(holder: VmLock): AppError {
  return new AppError(
    "VM_BUSY",
    `${holder.vm} is busy: ${holder.operation} by ${holder.holderName} since ${holder.since.toISOString()}.`,
  );
}

/** A lock taken on this host by a process that no longer exists. */
function isDeadLocalProcess(instanceId: string): boolean {
  const separator = instanceId.lastIndexOf(":");
  const host = instanceId.slice(0, separator);
  const pid = Number(instanceId.slice(separator + 1));
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
