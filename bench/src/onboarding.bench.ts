/**
 * Bench P4 (issue 5): the onboarding of web1 on a 3-node lab of its own, every step through
 * core's runner with the real SQLite store and VM locks, against the time it spent waiting for
 * the VM itself: each boot and graceful shutdown of the start/stop tests plus pacemaker's start.
 * Goal: Corral's overhead (wall time beyond those waits) <= 20 %. Needs root. Run:
 * pnpm --filter @corral/bench bench:onboarding
 */
import { readLabInfo, runLab } from "@corral/lab";
import { onboardAsTheWizard } from "./onboard-as-the-wizard.ts";

const env = { CORRAL_LAB_NAME: "onbbench", CORRAL_LAB_SUBNET: "10.213.98.0/24" };
const OVERHEAD_GOAL = 0.2;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the onboarding bench must run as root");
  await runLab(["down"], { env });
  try {
    await runLab(["up"], { env });
    const { job, store, stepSeconds, dispose } = await onboardAsTheWizard(
      await readLabInfo(env),
      "web1",
    );
    const wallS = stepSeconds.reduce((sum, [, seconds]) => sum + seconds, 0);

    const tests = await store.listTestResults({ clusterId: "bench", vm: "web1", limit: 10 });
    const bootS = tests.reduce((sum, t) => sum + (t.startMs ?? 0), 0) / 1000;
    const shutdownS = tests.reduce((sum, t) => sum + (t.stopMs ?? 0), 0) / 1000;
    const pacemakerStartS =
      ((job.steps.create.detail as { waitedMs?: number } | null)?.waitedMs ?? 0) / 1000;
    const waitedS = bootS + shutdownS + pacemakerStartS;
    const overhead = wallS / waitedS - 1;

    const row = (label: string, value: string) =>
      console.log(`${label.padEnd(44)} ${value.padStart(10)}`);
    console.log("Onboarding web1 on 3 lab nodes (P4)");
    for (const [step, seconds] of stepSeconds) row(`  step ${step}`, `${seconds.toFixed(1)} s`);
    row("wall time of the whole onboarding", `${wallS.toFixed(1)} s`);
    row(`  VM boots waited for (${tests.length} tests)`, `${bootS.toFixed(1)} s`);
    row("  graceful shutdowns waited for", `${shutdownS.toFixed(1)} s`);
    row("  pacemaker start waited for", `${pacemakerStartS.toFixed(1)} s`);
    row("sum of the waits on the VM", `${waitedS.toFixed(1)} s`);
    row("Corral overhead (wall / waits - 1)", `${(overhead * 100).toFixed(1)} %`);
    console.log(
      `goal: overhead <= ${OVERHEAD_GOAL * 100} %: ${overhead <= OVERHEAD_GOAL ? "met" : "NOT met"}`,
    );
    await dispose();
  } finally {
    await runLab(["down"], { env });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
