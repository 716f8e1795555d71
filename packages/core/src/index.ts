export * from "./command-log.ts";
export * from "./errors.ts";
export * from "./result.ts";
export * from "./shell/quote-argv.ts";
