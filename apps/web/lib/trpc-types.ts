import type { AppRouter } from "@corral/api";
import type { TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/**
 * What the procedures take and answer, inferred from the router: the pages name the server's
 * data by these, never by core's or the api's own types, so a change there reaches every page
 * that uses it as a type error.
 */
type RouterInputs = inferRouterInputs<AppRouter>;
type RouterOutputs = inferRouterOutputs<AppRouter>;

/** One cluster's live inventory: nodes, quorum, VMs. */
export type Inventory = RouterOutputs["clusters"]["list"][number];
export type InventoryNode = Inventory["nodes"][number];
export type InventoryVm = Inventory["vms"][number];
/** A cluster just added, with the members it reported that Corral does not know yet. */
export type AddedNodes = RouterOutputs["clusters"]["add"];
export type HostKey = RouterOutputs["clusters"]["probeHostKey"];

export type OnboardingJob = RouterOutputs["onboarding"]["get"];
export type OnboardingStep = keyof OnboardingJob["steps"];
export type StepProgress = OnboardingJob["steps"][OnboardingStep];
export type ResourceOptions = NonNullable<OnboardingJob["settings"]["resourceOptions"]>;
export type RunStepRequest = RouterInputs["onboarding"]["runStep"]["request"];

export type NodeTestResult = RouterOutputs["testResults"]["history"][number];
/** A hazard the watch found, open or resolved, with its acknowledgement. */
export type Finding = RouterOutputs["findings"]["list"][number];
/** One event on a cluster's, VM's or node's timeline. */
export type TimelineEvent = RouterOutputs["timeline"]["list"][number];
/** A re-test or a change of allowed nodes, as it runs and after. */
export type RetestView = RouterOutputs["testResults"]["retestStatus"];

/** The cluster's locks and migrations (vms.activity), read once per cluster for every card. */
export type VmActivity = RouterOutputs["vms"]["activity"];
/** What Pacemaker's scheduler would do with a node in standby (crm_simulate). */
export type StandbyPlan = NonNullable<RouterOutputs["vms"]["standbyPlan"]["plan"]>;
/** A node's latest drain, with where each VM went and what Bring back would move now. */
export type Evacuation = RouterOutputs["vms"]["evacuations"][number];
export type MigrationView = NonNullable<RouterOutputs["vms"]["details"]["migration"]>;
export type VmResourceConfig = NonNullable<RouterOutputs["vms"]["details"]["config"]>;
export type ResourceChange = RouterInputs["vms"]["changeResource"]["change"];
/** One pcs command on a VM's resource or on a node (vms.action). */
export type ResourceActionInput = RouterInputs["vms"]["action"];
export type VmAction = Extract<ResourceActionInput, { kind: "vm" }>["action"];

/** A failed call, with the formatter's `data` (appCode, fieldErrors) typed. */
export type CorralClientError = TRPCClientError<AppRouter>;
/** core's error vocabulary, as the error formatter names it in `data.appCode`. */
export type ErrorCode = NonNullable<CorralClientError["data"]>["appCode"];

export type CommandLogEntry = RouterOutputs["commandLog"]["list"]["entries"][number];
export type CommandLogFilter = RouterInputs["commandLog"]["list"];
/** A cluster's latest rolling maintenance: its state (current node and step, log) and any Stop asked. */
export type Maintenance = NonNullable<RouterOutputs["maintenance"]["latest"]>;
/** What a rolling maintenance would do on each node, before the click. */
export type MaintenancePlan = RouterOutputs["maintenance"]["plan"];
export type MaintenanceWork = RouterInputs["maintenance"]["start"]["work"];
/** A VM card's details: config, drift, targets, the exact commands of its actions. */
export type VmDetails = RouterOutputs["vms"]["details"];
/** What becomes of a move's location constraint once the VM is there. */
export type MoveConstraint = NonNullable<RouterInputs["vms"]["move"]["constraint"]>;
/** What a move to the picked node would meet, before the click, and the memory copy's estimate. */
export type MovePrecheck = RouterOutputs["vms"]["movePrecheck"];
/** A cluster's latest bulk action, with a result per VM. */
export type BulkRun = NonNullable<RouterOutputs["bulk"]["latest"]>;
export type BulkActionName = RouterInputs["bulk"]["start"]["action"];
