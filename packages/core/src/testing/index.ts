export * from "./expect-ok.ts";
export * from "./test-sshd.ts";
