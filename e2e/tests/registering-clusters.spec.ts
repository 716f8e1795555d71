import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { type Lab, type LabNode, lab, NEEDS_LAB, onLabNode } from "./lab.ts";
import { addClusterThroughForm, signInAsAdmin } from "./register-cluster.ts";

// The lab cluster, added through the UI as an operator would, then watched live. Needs a lab:
// scripts/test.sh starts one for the e2e and names it in CORRAL_LAB_NAME/SUBNET/DIR.
test.describe.configure({ mode: "serial" });

test.skip(!lab, NEEDS_LAB);

const node = (name: string) => lab?.nodes.find((n) => n.name === name) as LabNode;
const nodeCard = (page: Page, name: string) =>
  page.locator(`[data-testid=node-card][data-node="${name}"]`);

test("an operator adds the lab cluster by one node, confirming every fingerprint", async ({
  page,
}) => {
  await signInAsAdmin(page);
  const toAdd = (n: LabNode) => ({
    name: n.name,
    host: n.address,
    port: n.sshPort,
    fingerprint: n.hostKeyFingerprint,
  });
  const node1 = node("node1");
  await addClusterThroughForm(
    page,
    toAdd(node1),
    (lab as Lab).nodes.filter((n) => n.name !== "node1").map(toAdd),
    readFileSync(node1.privateKeyPath, "utf8"),
  );

  for (const labNode of (lab as Lab).nodes) {
    const card = nodeCard(page, labNode.name);
    await expect(card.getByTestId("node-state")).toHaveAttribute("data-state", "online", {
      timeout: 60_000,
    });
    await expect(card.getByTestId("node-fingerprint")).toHaveText(labNode.hostKeyFingerprint);
    await expect(card.getByTestId("node-agent-version")).toHaveText(/^[0-9a-f]{16}$/);
  }
  for (const guest of (lab as Lab).guests) {
    await expect(page.locator(`[data-testid=topology-vm][data-vm="${guest.name}"]`)).toBeVisible();
  }
});

test("the VMs page lists the lab's VMs, each not managed yet with an Onboard link", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.getByTestId("nav-vms").click();
  for (const guest of (lab as Lab).guests) {
    const card = page.locator(`[data-testid=vm-card][data-vm="${guest.name}"]`);
    await expect(card).toHaveAttribute("data-managed", "no");
    await expect(card.getByTestId("action-onboard")).toHaveAttribute(
      "href",
      new RegExp(`^/onboard\\?cluster=[^&]+&node=${guest.node}&vm=${guest.name}$`),
    );
  }
});

test("pacemaker stopped by hand on a node shows on its card within 2 s", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByTestId("nav-clusters").click();
  const card = nodeCard(page, "node3");
  await expect(card.getByTestId("node-state")).toHaveAttribute("data-state", "online", {
    timeout: 30_000,
  });
  try {
    // Returns once Pacemaker is down on node3.
    await onLabNode(
      3,
      "pacemakerd --shutdown; while pidof pacemakerd >/dev/null; do sleep 0.1; done",
    );
    // The one timing assertion of the suite: it is the feature (live state within 2 s).
    await expect(card.getByTestId("node-state")).toHaveAttribute(
      "data-state",
      "pacemaker-stopped",
      { timeout: 2_000 },
    );
  } finally {
    await onLabNode(
      3,
      "pidof pacemakerd >/dev/null || { setsid /usr/sbin/pacemakerd </dev/null >/dev/null 2>&1 & }",
    );
  }
  await expect(card.getByTestId("node-state")).toHaveAttribute("data-state", "online", {
    timeout: 60_000,
  });
});
