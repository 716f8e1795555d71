import { type AgentLocation, agentArgv } from "../agent/agent-layout.ts";
import { resourceCreationCommands } from "./build-resource-create-command.ts";
import { migrationReadinessArgv } from "./check-migration-readiness.ts";
import { checkStorageArgv, listDomainStorage } from "./check-storage.ts";
import { checkStorageSourcesArgv } from "./check-storage-sources.ts";
import { distributeConfigArgv } from "./distribute-config.ts";
import { dumpDomainConfigArgv } from "./dump-domain-config.ts";
import type { OnboardingJob, OnboardingStep } from "./onboarding-job.types.ts";
import { preflightArgv } from "./preflight-vm.ts";
import { disableAutostartArgv, shutdownDomainArgv, undefineDomainArgv } from "./prepare-domain.ts";
import { migrationParamsOf } from "./propose-resource-options.ts";
import {
  startStopTestCommands,
  startStopTestOf,
  testStartStopArgv,
} from "./test-start-stop-on-node.ts";

/** The exact commands of every step, from what the job knows so far (shown before running). */
export function planCommands(
  job: OnboardingJob,
  location: AgentLocation = {},
): Record<OnboardingStep, string[][]> {
  const { settings, vm } = job;
  const sha = job.config?.sha256 ?? "<sha256 of the dumped file>";
  const storage = job.config ? listDomainStorage(job.config.xml) : null;
  return {
    preflight: [
      ...preflightArgv(job.resourceName, location),
      ...shutdownDomainArgv(vm, true),
      disableAutostartArgv(vm),
    ],
    dump: [dumpDomainConfigArgv({ domain: vm, path: settings.configPath }, location)],
    distribute: distributeConfigArgv({ path: settings.configPath, sha256: sha }, location),
    storage: storage
      ? [
          checkStorageArgv(storage.paths, location),
          ...checkStorageSourcesArgv(storage.uncheckable, location),
        ]
      : [
          agentArgv(
            "check-paths",
            ["<every disk, kernel, initrd and loader path in the XML>"],
            location,
          ),
        ],
    migration: migrationReadinessArgv(
      job.allowedNodes[0] ?? "",
      job.allowedNodes,
      migrationParamsOf(job),
    ),
    test: [testStartStopArgv(location), ...startStopTestCommands(startStopTestOf(job))],
    create: settings.resourceOptions
      ? [
          ...resourceCreationCommands({
            name: job.resourceName,
            configPath: settings.configPath,
            options: settings.resourceOptions,
            allowedNodes: job.allowedNodes,
          }),
          undefineDomainArgv(vm),
        ]
      : [],
  };
}
