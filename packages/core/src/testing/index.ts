export * from "./example-onboarding-settings.ts";
export * from "./expect-ok.ts";
export * from "./fake-cluster.ts";
export * from "./recording-sshd.ts";
export * from "./test-lab.ts";
export * from "./test-sshd.ts";
