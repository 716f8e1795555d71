import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAgent } from "../agent/install-agent.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { startTestSshd, type TestSshd } from "../testing/test-sshd.ts";
import { listDomainStorage } from "./check-storage.ts";
import { checkStorageSources } from "./check-storage-sources.ts";

const pool = new SshPool({ log: { record: async () => {} } });
let sshd: TestSshd;
let root: string;
const listening = createServer();

beforeAll(async () => {
  sshd = await startTestSshd({ withFaultyDirs: true });
  root = join(sshd.readOnlyDir, "..", "agent-sources");
  expectOk(await ensureAgent(pool, sshd.target(), readAgentBundle(), { root }));
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  listening.close();
  await pool.close();
  await sshd?.stop();
});

describe("checkStorageSources over SSH with the real agent", () => {
  it("names, per node, the network host that does not answer and the volume it cannot use", async () => {
    const open = (listening.address() as AddressInfo).port;
    const { uncheckable } = listDomainStorage(`<domain><devices>
      <disk type='network' device='disk'><source protocol='nbd' name='export1'>
        <host name='127.0.0.1' port='${open}'/></source><target dev='vda'/></disk>
      <disk type='network' device='disk'><source protocol='nbd' name='export2'>
        <host name='127.0.0.1' port='1'/></source><target dev='vdb'/></disk>
      <disk type='volume' device='disk'><source pool='corral-no-such-pool' volume='v'/>
        <target dev='vdc'/></disk>
    </devices></domain>`);
    const node = sshd.target();
    const checked = await checkStorageSources(pool, [node], uncheckable, { root });
    expect(checked.answers.map((a) => a.result.ok)).toEqual([true]);
    expect(checked.problems).toEqual([
      {
        node: node.id,
        source: "host=127.0.0.1:1",
        use: "disk vdb",
        problem: "127.0.0.1:1 does not answer: Connection refused",
      },
      {
        node: node.id,
        source: "volume=corral-no-such-pool/v",
        use: "disk vdc",
        problem: expect.stringContaining("corral-no-such-pool"),
      },
    ]);
  });
});
