// What the browser may import: the input schemas the forms share with the procedures, and the
// roles. Nothing here reaches the server's modules.
export { ROLES, type Role } from "./auth/roles.ts";
export * from "./routers/api-tokens/api-tokens.schema.ts";
export * from "./routers/bulk/bulk.schema.ts";
export * from "./routers/clusters/add-cluster.schema.ts";
export * from "./routers/clusters/add-nodes.schema.ts";
export * from "./routers/clusters/probe-host-key.schema.ts";
export * from "./routers/command-log/list-command-log.schema.ts";
export * from "./routers/findings/findings.schema.ts";
export * from "./routers/maintenance/maintenance.schema.ts";
export * from "./routers/nodes/replace-host-key.schema.ts";
export * from "./routers/notifications/notification-channel.schema.ts";
export * from "./routers/notifications/notification-rule.schema.ts";
export * from "./routers/onboarding/onboarding-job.schema.ts";
export * from "./routers/settings/config-directories.schema.ts";
export * from "./routers/setup/create-first-admin.schema.ts";
export * from "./routers/test-results/test-results.schema.ts";
export * from "./routers/users/create-user.schema.ts";
export * from "./routers/users/remove-user.schema.ts";
export * from "./routers/users/set-user-disabled.schema.ts";
export * from "./routers/users/set-user-role.schema.ts";
export * from "./routers/vms/vms.schema.ts";
