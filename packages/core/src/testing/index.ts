export * from "./example-onboarding-settings.ts";
export * from "./expect-ok.ts";
export * from "./test-lab.ts";
export * from "./test-sshd.ts";
