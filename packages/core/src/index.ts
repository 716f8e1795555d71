export * from "./command-log.ts";
export * from "./errors.ts";
export * from "./result.ts";
