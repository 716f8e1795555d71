/**
 * A bulk action: one action on a set of VMs (those a filter of the VMs page shows), a few at a
 * time, each under its own VM lock as the card's action would run it, with a result per VM.
 * Its state is data and every transition is `applyBulk`. Browser-safe.
 */

export const BULK_ACTIONS = ["start", "stop", "cleanup", "migrate"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkItem {
  resource: string;
  /** The libvirt domain it runs. */
  domain: string;
  state: "pending" | "running" | "succeeded" | "failed" | "skipped" | "not-run";
  /** What came of it, in the operator's words (pcs's error, where it runs). */
  message: string | null;
}

/** running: items are being worked; done: every item ended; interrupted: its Corral stopped. */
export interface BulkState {
  id: string;
  clusterId: string;
  action: BulkAction;
  /** The node a migrate moves each VM to. */
  target: string | null;
  /** How many VMs are worked at once. */
  concurrency: number;
  status: "running" | "done" | "interrupted";
  items: BulkItem[];
  actorName: string | null;
  startedAt: number;
  finishedAt: number | null;
}

export type BulkEvent =
  | { type: "item-started"; resource: string }
  | { type: "item-finished"; resource: string; ok: boolean; message: string | null; at: number }
  | { type: "interrupted"; message: string; at: number };

export function newBulkState(
  input: Omit<BulkState, "status" | "finishedAt" | "items"> & {
    items: { resource: string; domain: string; skipped: string | null }[];
  },
): BulkState {
  const state: BulkState = {
    ...input,
    status: "running",
    finishedAt: null,
    items: input.items.map(({ resource, domain, skipped }) => ({
      resource,
      domain,
      state: skipped === null ? "pending" : "skipped",
      message: skipped,
    })),
  };
  return settle(state, input.startedAt);
}

/** Every transition of a bulk action, pure. An event the state does not accept returns it. */
export function applyBulk(state: BulkState, event: BulkEvent): BulkState {
  if (state.status !== "running") return state;
  const item = "resource" in event ? state.items.find((i) => i.resource === event.resource) : null;
  switch (event.type) {
    case "item-started":
      if (item?.state !== "pending") return state;
      return update(state, event.resource, { state: "running" });
    case "item-finished":
      if (item?.state !== "running") return state;
      return settle(
        update(state, event.resource, {
          state: event.ok ? "succeeded" : "failed",
          message: event.message,
        }),
        event.at,
      );
    case "interrupted":
      return {
        ...state,
        status: "interrupted",
        finishedAt: event.at,
        items: state.items.map((i) =>
          i.state === "running"
            ? { ...i, state: "failed", message: event.message }
            : i.state === "pending"
              ? { ...i, state: "not-run", message: "Not started: the Corral running it stopped." }
              : i,
        ),
      };
  }
}

function update(state: BulkState, resource: string, change: Partial<BulkItem>): BulkState {
  return {
    ...state,
    items: state.items.map((i) => (i.resource === resource ? { ...i, ...change } : i)),
  };
}

/** Done once no item is pending or running. */
function settle(state: BulkState, at: number): BulkState {
  const open = state.items.some((i) => i.state === "pending" || i.state === "running");
  return open ? state : { ...state, status: "done", finishedAt: at };
}
