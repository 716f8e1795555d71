import { readFileSync } from "node:fs";
import { readAgentBundle } from "@corral/agent";
import {
  ensureAgent,
  listNodeDomains,
  readAgentMetadataXml,
  readNodeFacts,
  runOnNodes,
  SshPool,
} from "./src/index.ts";

const lab = JSON.parse(readFileSync("/var/lib/corral-lab/corec/lab.json", "utf8"));
const key = readFileSync(lab.nodes[0].privateKeyPath, "utf8");
const nodes = lab.nodes.map((n: any) => ({
  id: n.name,
  host: n.address,
  port: n.sshPort,
  username: n.user,
  privateKey: key,
  hostKey: { keyType: n.hostKeyType, fingerprint: n.hostKeyFingerprint },
}));
const pool = new SshPool({ log: { record: async () => {} } });
let t = Date.now();
console.log(
  JSON.stringify(await runOnNodes(nodes, (n) => ensureAgent(pool, n, readAgentBundle()))),
  Date.now() - t,
);
t = Date.now();
console.log(
  JSON.stringify(await runOnNodes(nodes, (n) => readNodeFacts(pool, n)), null, 1).slice(0, 3000),
  Date.now() - t,
);
t = Date.now();
console.log(
  JSON.stringify(await listNodeDomains(pool, nodes[0]), null, 1).slice(0, 3000),
  Date.now() - t,
);
const md = await readAgentMetadataXml(pool, nodes[0]);
console.log(md.ok ? md.value.xml.length : md.error);
pool.close();
