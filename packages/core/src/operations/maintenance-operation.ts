/**
 * Rolling maintenance: one node at a time, each through the same steps. Its state is data and
 * every transition is `applyMaintenance`; the service does each step's side effects and reports
 * what happened as an event. Browser-safe (the panel reads the steps and the rule of what may
 * happen next from here).
 */

/** Each node's steps, in order; after the last node's return home the maintenance is over. */
export const MAINTENANCE_STEPS = [
  // quorum holds without the node, every other node is online, the scheduler places every VM
  "gate",
  // standby, recorded as a drain; done once the node's own libvirt runs nothing
  "evacuate",
  // the operator's hook on the node (reboot detected by its boot identity), or a pause
  "work",
  // the node answers again and Pacemaker has it back (still in standby)
  "rejoin",
  // the start/stop test of each VM allowed there, on that node, through the managed re-test
  "retest",
  "unstandby",
  // the VMs that ran there before the drain move back, each a move of its own
  "return-home",
] as const;
export type MaintenanceStep = (typeof MAINTENANCE_STEPS)[number];

/** What is done on each node once it is empty. */
export type MaintenanceWork = { kind: "pause" } | { kind: "hook"; command: string };

/**
 * running: a Corral is carrying out the current step. waiting: the node is empty and the
 * operator does the work, then Continues. paused: a step failed, or the Corral running it
 * stopped; Resume runs the current step again. succeeded / stopped: over.
 */
export type MaintenanceStatus = "running" | "waiting" | "paused" | "succeeded" | "stopped";

export interface MaintenanceEntry {
  at: number;
  node: string;
  step: MaintenanceStep;
  ok: boolean;
  message: string;
}

export interface MaintenanceState {
  id: string;
  clusterId: string;
  /** The nodes, in the order they are maintained. */
  nodes: string[];
  work: MaintenanceWork;
  /** Re-test the VMs allowed on each node before it takes VMs again. */
  retest: boolean;
  /** VMs the operator agreed may stop while their node is out (no other node may run them). */
  stopVms: string[];
  /** Index in `nodes` of the node being maintained. */
  current: number;
  step: MaintenanceStep;
  status: MaintenanceStatus;
  /** Why it is paused or stopped. */
  reason: string | null;
  /** The resources that ran on the current node before its drain: return home brings them back. */
  home: string[];
  /** The current node's boot identity before the work: another one afterwards is a reboot. */
  bootBefore: string | null;
  log: MaintenanceEntry[];
  actorName: string | null;
  startedAt: number;
  finishedAt: number | null;
}

export type MaintenanceEvent =
  | {
      type: "step-succeeded";
      at: number;
      message: string;
      /** From the gate: what runs on the node now. */
      home?: string[];
      /** From the drain: the node's boot identity before the work. */
      bootBefore?: string | null;
    }
  | { type: "step-failed"; at: number; message: string }
  /** The Corral running the step stopped renewing its lease. */
  | { type: "interrupted"; at: number; message: string }
  /** The operator's word: the work is done (waiting), or run the failed step again (paused). */
  | { type: "continued"; at: number; actorName: string }
  | { type: "stopped"; at: number; actorName: string };

export function newMaintenanceState(
  input: Pick<
    MaintenanceState,
    "id" | "clusterId" | "nodes" | "work" | "retest" | "stopVms" | "actorName" | "startedAt"
  >,
): MaintenanceState {
  return {
    ...input,
    current: 0,
    step: "gate",
    status: "running",
    reason: null,
    home: [],
    bootBefore: null,
    log: [],
    finishedAt: null,
  };
}

/** The node being maintained. */
export function maintainedNode(state: MaintenanceState): string {
  return state.nodes[state.current] ?? "";
}

/** Whether the maintenance is over (nothing more to do or offer). */
export function maintenanceOver(state: Pick<MaintenanceState, "status">): boolean {
  return state.status === "succeeded" || state.status === "stopped";
}

/** Every transition of a rolling maintenance, pure. An event the state does not accept returns it unchanged. */
export function applyMaintenance(
  state: MaintenanceState,
  event: MaintenanceEvent,
): MaintenanceState {
  const node = maintainedNode(state);
  const entry = (ok: boolean, message: string): MaintenanceEntry => ({
    at: event.at,
    node,
    step: state.step,
    ok,
    message,
  });
  switch (event.type) {
    case "step-succeeded": {
      if (state.status !== "running") return state;
      const log = [...state.log, entry(true, event.message)];
      const home = event.home ?? state.home;
      const bootBefore = event.bootBefore !== undefined ? event.bootBefore : state.bootBefore;
      const index = MAINTENANCE_STEPS.indexOf(state.step);
      const next = MAINTENANCE_STEPS[index + 1];
      if (next === undefined) {
        const last = state.current + 1 >= state.nodes.length;
        return last
          ? { ...state, log, status: "succeeded", finishedAt: event.at }
          : { ...state, log, current: state.current + 1, step: "gate", home: [], bootBefore: null };
      }
      if (next === "retest" && !state.retest) {
        return {
          ...state,
          log: [...log, { ...entry(true, "Re-test skipped, as asked."), step: "retest" }],
          home,
          bootBefore,
          step: "unstandby",
        };
      }
      const waiting = next === "work" && state.work.kind === "pause";
      return {
        ...state,
        log,
        home,
        bootBefore,
        step: next,
        status: waiting ? "waiting" : "running",
      };
    }
    case "step-failed":
    case "interrupted":
      if (state.status !== "running") return state;
      return {
        ...state,
        log: [...state.log, entry(false, event.message)],
        status: "paused",
        reason: event.message,
      };
    case "continued":
      if (state.status === "waiting") {
        return {
          ...state,
          log: [...state.log, entry(true, `${event.actorName} said the work on ${node} is done.`)],
          step: "rejoin",
          status: "running",
        };
      }
      if (state.status === "paused") {
        return {
          ...state,
          log: [
            ...state.log,
            entry(true, `${event.actorName} resumed: ${state.step} on ${node} runs again.`),
          ],
          status: "running",
          reason: null,
        };
      }
      return state;
    case "stopped": {
      if (maintenanceOver(state)) return state;
      const reason = `Stopped by ${event.actorName} at ${state.step} on ${node}.`;
      return {
        ...state,
        log: [...state.log, entry(true, reason)],
        status: "stopped",
        reason,
        finishedAt: event.at,
      };
    }
  }
}
