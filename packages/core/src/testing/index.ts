export * from "./expect-ok.ts";
export * from "./fake-cluster.ts";
export * from "./test-lab.ts";
export * from "./test-sshd.ts";
