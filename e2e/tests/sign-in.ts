import { expect, type Page } from "@playwright/test";

/** The first admin, created by the operators story; every later story signs in as them. */
export const admin = { name: "Ada Admin", email: "ada@example.test", password: "ada-password-1" };

/** Signs in through the form and waits for the shell to name the user. */
export async function signIn(
  page: Page,
  who: { email: string; password: string } = admin,
  base = "",
) {
  await page.goto(`${base}/sign-in`);
  await page.getByTestId("sign-in-email").fill(who.email);
  await page.getByTestId("sign-in-password").fill(who.password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("current-user")).toContainText(who.email);
}
