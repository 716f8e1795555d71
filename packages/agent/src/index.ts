export * from "./read-agent-bundle.ts";
