import { dumpDomainConfig } from "../dump-domain-config.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface DumpRequest {
  step: "dump";
}

/** Dump: the source node writes the domain's XML to the config path; the job keeps its bytes. */
export async function runDumpStep(
  run: StepRun<"dump">,
  _request: DumpRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  const [source] = run.targets([job.sourceNode ?? ""]);
  if (!source) return run.fail("Run preflight first.");
  await run.node(source.id, "running", `Dumping ${job.vm} to ${job.settings.configPath}`);
  const dumped = await dumpDomainConfig(
    run.deps.pool,
    source,
    { domain: job.vm, path: job.settings.configPath },
    context,
  );
  if (!dumped.ok) {
    await run.node(source.id, "failed", dumped.error.message);
    return run.fail(dumped.error.message);
  }
  run.record({
    type: "config-dumped",
    node: source.id,
    config: { sha256: dumped.value.sha256, bytes: dumped.value.bytes, xml: dumped.value.xml },
  });
  await run.node(
    source.id,
    "succeeded",
    `${dumped.value.path} written (${dumped.value.bytes} bytes, SHA-256 ${dumped.value.sha256.slice(0, 12)}…)`,
  );
  await run.succeed(`Config written to ${job.settings.configPath} on ${source.id}.`);
}
