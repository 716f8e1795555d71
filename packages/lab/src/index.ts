export * from "./cluster-status.ts";
export * from "./guest-serial-log.ts";
export * from "./lab-info.ts";
export * from "./poll-until.ts";
export * from "./run-lab.ts";
export * from "./run-on-lab-node.ts";
