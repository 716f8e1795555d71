import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError, type NodeTarget } from "@corral/core";
import { z } from "zod";

export const labNodeSchema = z.object({
  index: z.number().int().min(1),
  name: z.string(),
  address: z.string(),
  sshPort: z.number().int(),
  user: z.literal("root"),
  privateKeyPath: z.string(),
  /** As `ssh-keygen -lf` prints it: "SHA256:..." */
  hostKeyFingerprint: z.string().startsWith("SHA256:"),
  hostKeyType: z.string(),
  netns: z.string(),
});

const labGuestSchema = z.object({
  name: z.string(),
  /** The node the lab defined the guest on. */
  node: z.string(),
  /** The disk image path as the nodes see it. */
  disk: z.string(),
  storage: z.enum(["shared", "local"]),
  initialState: z.enum(["running", "shut off"]),
  autostart: z.boolean(),
  /** The serial log as the host sees it (readable while the guest runs on any node). */
  serialLog: z.string(),
  serialLogOnNode: z.string(),
  memoryMiB: z.number().int(),
});

/** The contract of `<CORRAL_LAB_DIR>/lab.json`, written by `corral-lab up`. */
export const labInfoSchema = z.object({
  name: z.string(),
  subnet: z.string(),
  bridge: z.string(),
  hostAddress: z.string(),
  labDir: z.string(),
  knownHostsPath: z.string(),
  nodes: z.array(labNodeSchema).min(2),
  /** The shared storage directory, at this path on every node. */
  sharedStoragePath: z.string(),
  sharedStorageHostPath: z.string(),
  /** A per-node directory: a disk here exists on one node only. */
  localStoragePath: z.string(),
  guests: z.array(labGuestSchema),
});

export type LabNode = z.infer<typeof labNodeSchema>;
export type LabInfo = z.infer<typeof labInfoSchema>;

export type LabEnv = Readonly<Record<string, string | undefined>>;

/** The state directory of the lab instance that `env` selects, resolved as the CLI does. */
export function labDirFor(env: LabEnv = process.env): string {
  return env.CORRAL_LAB_DIR || join("/var/lib/corral-lab", env.CORRAL_LAB_NAME || "corral");
}

/** Reads and validates lab.json of the instance selected by `env` (CORRAL_LAB_NAME/DIR). */
export async function readLabInfo(env: LabEnv = process.env): Promise<LabInfo> {
  const path = join(labDirFor(env), "lab.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new AppError(
      "NOT_FOUND",
      `no lab is up (cannot read ${path}); run: pnpm lab up`,
      {},
      {
        cause,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError("CONFIG_INVALID", `${path} is not JSON`, {}, { cause });
  }
  const parsed = labInfoSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      "CONFIG_INVALID",
      `${path} is not a lab description: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** How Corral reaches a lab node: its key file read, its recorded host key pinned. */
export async function labNodeTarget(node: LabNode): Promise<NodeTarget> {
  return {
    id: node.name,
    host: node.address,
    port: node.sshPort,
    username: node.user,
    privateKey: await readFile(node.privateKeyPath, "utf8"),
    hostKey: { keyType: node.hostKeyType, fingerprint: node.hostKeyFingerprint },
  };
}
