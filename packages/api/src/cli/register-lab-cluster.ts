// `pnpm --filter @corral/api register-lab <lab.json>`: registers the lab cluster (packages/lab)
// in the Corral of this data directory, pinning the host keys the lab recorded, through the same
// operation as the "Add a cluster" page. scripts/up.sh runs it so a new user can onboard a VM
// at once. Does nothing when the lab cluster is registered already.
import { readFile } from "node:fs/promises";
import { addCluster, addClusterInput, isAppError } from "@corral/core";
import { labInfoSchema, labNodeTarget } from "@corral/lab";
import { loadConfig } from "../config.ts";
import { createCorralServer } from "../server.ts";

const [labJson] = process.argv.slice(2);
if (!labJson) {
  console.error("usage: register-lab-cluster <path to lab.json>");
  process.exit(2);
}

const lab = labInfoSchema.parse(JSON.parse(await readFile(labJson, "utf8")));
const server = await createCorralServer(loadConfig());
try {
  const registry = server.clusterServices.registry;
  const [first] = lab.nodes;
  const known = first ? await registry.findNodeByEndpoint(first.address, first.sshPort) : null;
  if (known) {
    console.log(`The lab cluster is registered already (node ${known.name} at ${first?.address}).`);
  } else {
    const nodes = await Promise.all(lab.nodes.map(labNodeTarget));
    const startedAt = new Date();
    const input = addClusterInput.parse({ nodes });
    const added = await addCluster(server.clusterServices, input, { actorId: null });
    await server.commandLog.recordAction({
      actorId: null,
      actorName: "scripts/up.sh",
      action: "cluster.add",
      clusterId: added.ok ? added.value.clusterId : null,
      detail: {
        lab: labJson,
        nodes: nodes.map(({ host, port, hostKey }) => ({ host, port, hostKey })),
      },
      ok: added.ok,
      error: added.ok ? undefined : added.error.message,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
    });
    if (!added.ok) throw added.error;
    console.log(`Registered cluster ${added.value.clusterName}: ${added.value.added.join(", ")}.`);
  }
} catch (error) {
  console.error(isAppError(error) ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await server.close();
}
