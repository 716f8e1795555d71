import type { Evacuation, Maintenance } from "@/lib/trpc-types.ts";

/**
 * How often a tab reads a cluster's drains and rolling maintenance: every 2 s while one runs or
 * some VM of the cluster is locked or moving (a drain begun elsewhere), else every 15 s; a node
 * changing state reads them at once (ClusterNodeControls). A quiet tab then costs the server
 * little, and a change to one VM costs no tab a read of them.
 */
export const readEvery = (running: boolean) => (running ? 2_000 : 15_000);

/** How long after Bring back the drain's panel stays while some VM is not home yet. */
export const RETURN_SHOWN_MS = 15 * 60_000;

export const maintenanceActive = (maintenance: Maintenance | null | undefined) =>
  maintenance != null && !["succeeded", "stopped"].includes(maintenance.state.status);

/** A drain still moving VMs away, or one whose VMs were brought back lately. */
export const evacuationActive = (evacuation: Evacuation) =>
  evacuation.state === "running" ||
  (evacuation.returnedAt !== null &&
    Date.now() - new Date(evacuation.returnedAt).getTime() < RETURN_SHOWN_MS);
