import { expect, type Page } from "@playwright/test";
import { admin } from "./sign-in.ts";

/** A node as the Add a cluster form takes it, with the fingerprint it must show. */
export interface NodeToAdd {
  name: string;
  host: string;
  port: number;
  fingerprint: string;
}

/** Signs in as the admin the operators story created (or creates it when run alone). */
export async function signInAsAdmin(page: Page) {
  await page.goto("/sign-in");
  const firstRun = page.getByTestId("first-admin-form");
  await expect(firstRun.or(page.getByTestId("sign-in-form"))).toBeVisible();
  const form = (await firstRun.isVisible()) ? "first-admin" : "sign-in";
  if (form === "first-admin") await page.getByTestId("first-admin-name").fill(admin.name);
  await page.getByTestId(`${form}-email`).fill(admin.email);
  await page.getByTestId(`${form}-password`).fill(admin.password);
  await page.getByTestId(`${form}-submit`).click();
  await expect(page.getByTestId("current-user")).toContainText(admin.email);
}

/**
 * Adds a cluster as an operator would on the Clusters page: the first node with root's key,
 * then every other member with the same key, each fingerprint checked before it is confirmed.
 */
export async function addClusterThroughForm(
  page: Page,
  first: NodeToAdd,
  others: NodeToAdd[],
  privateKey: string,
) {
  await page.getByTestId("nav-clusters").click();
  await page.getByTestId("add-cluster-host").fill(first.host);
  await page.getByTestId("add-cluster-port").fill(String(first.port));
  await page.getByTestId("add-cluster-user").fill("root");
  await page.getByTestId("add-cluster-private-key").fill(privateKey);
  await page.getByTestId("add-cluster-probe").click();
  // The fingerprint exactly as ssh-keygen -lf printed it on the node.
  await expect(page.getByTestId("probe-fingerprint")).toHaveText(first.fingerprint);
  await page.getByTestId("add-cluster-confirm").click();

  const members = page.getByTestId("add-members");
  await expect(members).toBeVisible({ timeout: 60_000 });
  await expect(members.getByTestId("member-row")).toHaveCount(others.length);
  const row = (other: NodeToAdd) =>
    members.locator(`[data-testid=member-row][data-member="${other.name}"]`);
  for (const other of others) {
    await row(other).getByTestId("member-host").fill(other.host);
    await row(other).getByTestId("member-port").fill(String(other.port));
  }
  await members.getByTestId("members-probe").click();
  for (const other of others) {
    await expect(row(other).getByTestId("member-fingerprint")).toHaveText(other.fingerprint);
  }
  await members.getByTestId("members-confirm").click();
  await expect(members).toBeHidden({ timeout: 60_000 });
}
