import {
  AppError,
  checkMonitorScripts,
  defaultResourceOptions,
  firstAnswer,
  formParameters,
  parseAgentMetadata,
  proposeResourceOptions,
  quoteArgv,
  readAgentMetadataXml,
  resourceCreationCommands,
  validateResourceOptions,
} from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { PreviewCommandInput } from "./onboarding-job.schema.ts";

/** The VirtualDomain agent's metadata as the first node that answers has it. */
async function readMetadata(ctx: AuthenticatedContext, clusterId: string) {
  await ctx.server.recovered;
  const service = ctx.server.services.onboarding;
  const read = await firstAnswer(await service.nodesOf(clusterId), (node) =>
    readAgentMetadataXml(ctx.server.clusterServices.pool, node, undefined, {
      actorId: ctx.user.id,
      clusterId,
    }),
  );
  if (!read.node)
    throw read.failures.at(-1) ?? new AppError("NOT_FOUND", "The cluster has no nodes.");
  return { node: read.node.id, metadata: parseAgentMetadata(read.value.xml) };
}

/**
 * Every parameter with type, default and description, plus what the form starts from: for a
 * job, the wizard's proposal from its migration check (proposeResourceOptions).
 */
export async function resourceFormHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { clusterId: string; jobId?: string };
}) {
  const { node, metadata } = await readMetadata(ctx, input.clusterId);
  const job = input.jobId ? await ctx.server.services.onboarding.store.findJob(input.jobId) : null;
  const defaults = defaultResourceOptions(metadata);
  return {
    readFrom: node,
    agent: metadata.name,
    version: metadata.version,
    parameters: formParameters(metadata),
    defaults: job ? proposeResourceOptions(defaults, job) : defaults,
  };
}

/** The exact `pcs resource create` argv for the form as it stands, quoted as it will run. */
export async function previewCommandHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: PreviewCommandInput;
}) {
  const { metadata } = await readMetadata(ctx, input.clusterId);
  const commands = resourceCreationCommands({
    name: input.resourceName,
    configPath: input.configPath,
    options: input.options,
    allowedNodes: input.allowedNodes,
  });
  await ctx.server.recovered;
  const service = ctx.server.services.onboarding;
  const allowed = (await service.nodesOf(input.clusterId)).filter((node) =>
    input.allowedNodes.includes(node.id),
  );
  const missingScripts = await checkMonitorScripts(
    ctx.server.clusterServices.pool,
    allowed,
    input.options,
    { actorId: ctx.user.id, clusterId: input.clusterId },
  );
  return {
    commands: commands.map((argv) => ({ argv, shell: quoteArgv(argv) })),
    issues: [...validateResourceOptions(metadata, input.options), ...missingScripts],
  };
}
