// What a browser may import from core: the zod schemas of operation inputs, which forms share
// with the procedures. Nothing here reaches node:* modules or ssh2.
export * from "./cluster/add-cluster.types.ts";
export * from "./cluster/add-nodes.types.ts";
export * from "./cluster/node-access.types.ts";
export * from "./cluster/replace-host-key.types.ts";
export * from "./findings/finding.types.ts";
export * from "./notifications/notification.types.ts";
export * from "./onboarding/onboarding-schemas.ts";
export { BULK_ACTIONS, type BulkAction } from "./operations/bulk-operation.ts";
export * from "./values/no-control-characters.ts";
export { EVACUATION_STRATEGIES } from "./vm-actions/evacuation-strategy.ts";
export * from "./vm-actions/move-constraint-mode.ts";
