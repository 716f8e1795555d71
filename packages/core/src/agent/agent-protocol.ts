import { z } from "zod";

/** The JSON the agent prints, command by command (packages/agent/corral-agent). */

export const agentFailureSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export const agentVersionSchema = z.object({
  protocol: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  path: z.string(),
});
export type AgentVersion = z.infer<typeof agentVersionSchema>;

const nullableString = z.string().nullable();

export const nodeFactsSchema = z.object({
  hostname: z.string(),
  nodeName: nullableString,
  clusterName: nullableString,
  quorate: z.boolean().nullable(),
  membership: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })).nullable(),
  versions: z.object({
    pacemaker: nullableString,
    corosync: nullableString,
    pcs: nullableString,
    libvirt: nullableString,
    qemu: nullableString,
    resourceAgents: nullableString,
  }),
  /** Facts the agent could not read, each with the reason; their values above are null. */
  problems: z.array(z.object({ fact: z.string(), code: z.string(), message: z.string() })),
});
export type NodeFacts = z.infer<typeof nodeFactsSchema>;

export const domainSchema = z.object({
  name: z.string(),
  uuid: z.string(),
  type: nullableString,
  /** virsh's words: "running", "shut off", "paused", "in shutdown", "crashed", "pmsuspended". */
  state: z.string(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  vcpus: z.number().int().nullable(),
  memoryKiB: z.number().int().nullable(),
  currentMemoryKiB: z.number().int().nullable(),
  kernel: nullableString,
  initrd: nullableString,
  cmdline: nullableString,
  loader: nullableString,
  disks: z.array(
    z.object({
      device: z.string(),
      type: nullableString,
      source: nullableString,
      target: nullableString,
      format: nullableString,
      readonly: z.boolean(),
      shareable: z.boolean(),
    }),
  ),
  filesystems: z.array(
    z.object({ type: nullableString, source: nullableString, target: nullableString }),
  ),
});
export type Domain = z.infer<typeof domainSchema>;

export const domainListSchema = z.object({
  domains: z.array(domainSchema),
  /** Domains the agent could not describe; the others are listed all the same. */
  unreadable: z
    .array(z.object({ name: z.string(), code: z.string(), message: z.string() }))
    // Agents before this field answered without it (and failed whole instead).
    .default([]),
});
export type NodeDomains = z.infer<typeof domainListSchema>;

export const agentMetadataSchema = z.object({ agent: z.string(), xml: z.string() });
export type AgentMetadataXml = z.infer<typeof agentMetadataSchema>;
