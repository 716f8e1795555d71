import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
// The fake cluster alone: the testing index also holds modules Playwright's loader cannot import.
import { type FakeCluster, startFakeCluster } from "@corral/core/testing/fake-cluster";
import { expect, test } from "@playwright/test";
import { addClusterThroughForm, signInAsAdmin } from "./register-cluster.ts";

// The VMs page above the size where it used to fail (about 115 managed VMs: every card asked
// for its details in one batched GET whose URL the server refused with HTTP 431). Fake nodes:
// real sshd and Corral's real agent, Pacemaker's own crm_mon on a generated CIB
// (packages/core/src/testing/fake-cluster.ts). Needs root, like the sshd of the integration
// tests.
const NODES = 3;
const VMS = 200;
const FIRST_SSH_PORT = 24_700;

test.describe.configure({ mode: "serial" });
test.skip(process.getuid?.() !== 0, "fake nodes run a private sshd, which needs root");

let cluster: FakeCluster;
let dir: string;

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "corral-e2e-scale-"));
  cluster = await startFakeCluster({ dir, nodes: NODES, vms: VMS, firstPort: FIRST_SSH_PORT });
});

test.afterAll(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`the VMs page shows ${VMS} managed VMs whole, every page, with no failed request`, async ({
  page,
}) => {
  test.setTimeout(240_000);
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await signInAsAdmin(page);

  // Registered as an operator would: the first node, then its members, fingerprints confirmed.
  const [first, ...others] = cluster.nodes.map((node) => ({
    name: node.name,
    host: "127.0.0.1",
    port: node.sshd.port,
    fingerprint: node.sshd.hostKey.fingerprint,
  }));
  if (!first) throw new Error("the fake cluster has no node");
  await addClusterThroughForm(page, first, others, cluster.nodes[0]?.sshd.privateKey ?? "");

  await page.getByTestId("nav-vms").click();
  const section = page.locator(`[data-testid=vm-cluster][data-cluster="${cluster.name}"]`);
  const managed = section.getByTestId("vms-managed");
  await expect(managed).toHaveAttribute("data-count", String(VMS), { timeout: 120_000 });
  // Every page: each card whole (allow-migrate, config path and its check across the nodes),
  // each VM where the CIB runs it.
  const shown = new Set<string>();
  for (;;) {
    const cards = managed.getByTestId("vm-card");
    await expect(managed.locator("[data-testid=vm-card][data-whole=no]")).toHaveCount(0, {
      timeout: 60_000,
    });
    for (const card of await cards.all()) {
      const name = (await card.getAttribute("data-vm")) ?? "";
      const where = cluster.vms.find((vm) => vm.name === name)?.node;
      await expect(card.getByTestId("vm-resource-role")).toHaveText(`Started on ${where}`);
      await expect(card.getByTestId("vm-drift")).toHaveAttribute("data-drift", "no");
      shown.add(name);
    }
    const next = managed.getByTestId("vms-page-next");
    if ((await next.count()) === 0 || (await next.isDisabled())) break;
    await next.click();
  }
  expect(shown.size).toBe(VMS);

  // Search narrows to one VM, the node filter to the VMs of one node.
  const target = cluster.vms[136];
  if (!target?.node) throw new Error("the fake cluster has no running 137th VM");
  await page.getByTestId("vm-search").fill(target.name);
  await expect(managed.getByTestId("vm-card")).toHaveCount(1);
  await expect(managed.getByTestId("vm-card")).toHaveAttribute("data-vm", target.name);
  await page.getByTestId("vm-search").fill("");
  await page.getByTestId("vm-filter-node").selectOption(target.node);
  await expect(managed).toHaveAttribute(
    "data-count",
    String(cluster.vms.filter((vm) => vm.node === target.node).length),
  );

  // A VM stopped in the CIB: its card follows from the live stream alone.
  await page.getByTestId("vm-filter-node").selectOption("");
  await page.getByTestId("vm-search").fill(target.name);
  await cluster.setVmRunning(target.name, null);
  await expect(
    managed
      .locator(`[data-testid=vm-card][data-vm="${target.name}"]`)
      .getByTestId("vm-resource-role"),
  ).toHaveText(/^Stopped/, { timeout: 30_000 });

  expect(failed).toEqual([]);
});
