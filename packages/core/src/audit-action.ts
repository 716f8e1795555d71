import type { OnboardingStep } from "./onboarding/onboarding-job.types.ts";
import type { ResourceAction } from "./vm-actions/resource-actions.ts";

type NodeAction = Extract<ResourceAction, "standby" | "unstandby">;
type ClusterAction = Extract<ResourceAction, "maintenance-on" | "maintenance-off" | "cleanup-all">;

/**
 * Every action the command log records beside the commands Corral runs: what operators did
 * (audited, with who and the outcome), what the watch and recovery recorded. One vocabulary, so
 * a new action is named here once and the log's filters and exports know every one.
 */
export type AuditAction =
  | "auth.sign-in"
  | "setup.first-admin"
  | "session.change-password"
  | `user.${"create" | "remove" | "set-role" | "set-password" | "disable" | "enable"}`
  | `api-token.${"create" | "revoke" | "use"}`
  | "settings.configDirectories"
  | `notification.${"channel" | "rule"}.${"create" | "update" | "delete" | "test"}`
  | `cluster.${"add" | "add-nodes" | "remove" | ClusterAction}`
  | `cluster.rolling-maintenance${"" | ".continue" | ".stop"}`
  | "cluster.bulk"
  | `node.${"remove" | "replace-host-key" | "return-home" | NodeAction}`
  | `onboarding.${"start" | "update" | "resume" | "abandon" | OnboardingStep}`
  | `vm.${Exclude<ResourceAction, NodeAction | ClusterAction>}`
  | `vm.${"move" | "migrate.cancel" | "change" | "config.resync" | "delete-resource" | "retest" | "allowed-nodes" | "autostart-off"}`
  | `finding.${"acknowledge" | "snooze" | "opened" | "resolved"}`
  /** An operation whose Corral stopped, recorded by the instance that recovered it. */
  | `${string}.interrupted`;
