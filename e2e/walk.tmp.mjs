// Temporary walk-through driver (not committed): drives the UI as a new operator, screenshots.
import { chromium } from "@playwright/test";

const base = process.env.BASE ?? "http://127.0.0.1:3000";
const shots = "/tmp/walk";
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const shot = (n) => page.screenshot({ path: `${shots}/${n}.png`, fullPage: true });
const step = process.argv[2];
await page.goto(`${base}/sign-in`);
await page.locator("[data-testid=first-admin-form], [data-testid=sign-in-email]").first().waitFor();
if (
  await page
    .getByTestId("first-admin-form")
    .isVisible()
    .catch(() => false)
) {
  await page.getByTestId("first-admin-name").fill("Ada Admin");
  await page.getByTestId("first-admin-email").fill("ada@example.test");
  await page.getByTestId("first-admin-password").fill("ada-password-1");
  await page.getByTestId("first-admin-submit").click();
  await page.getByTestId("current-user").waitFor();
} else if (
  await page
    .getByTestId("sign-in-email")
    .isVisible()
    .catch(() => false)
) {
  await page.getByTestId("sign-in-email").fill("ada@example.test");
  await page.getByTestId("sign-in-password").fill("ada-password-1");
  await page.getByTestId("sign-in-submit").click();
  await page.getByTestId("current-user").waitFor();
}
const mod = await import(`/tmp/walk/${step}.mjs`);
try {
  await mod.default({ page, shot, base });
} finally {
  await shot(`${step}-end`);
  await browser.close();
}
