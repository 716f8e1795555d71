import { expect, type Page, test } from "@playwright/test";
import { admin, signIn } from "./sign-in.ts";

// One story, in order, on one fresh database: the first admin, the operators they add, what
// each role may see and do, and signing out.
test.describe.configure({ mode: "serial" });

const operator = { name: "Otto Operator", email: "otto@example.test", password: "otto-password-1" };
const viewer = { name: "Vera Viewer", email: "vera@example.test", password: "vera-password-1" };

const PAGES = [
  "nav-clusters",
  "nav-vms",
  "nav-test-results",
  "nav-command-log",
  "nav-users",
  "nav-settings",
] as const;

async function signOut(page: Page) {
  await page.getByTestId("sign-out").click();
  await expect(page.getByTestId("sign-in-form")).toBeVisible();
}

async function addUser(page: Page, who: typeof operator, role: string) {
  await page.getByTestId("add-user-name").fill(who.name);
  await page.getByTestId("add-user-email").fill(who.email);
  await page.getByTestId("add-user-password").fill(who.password);
  await page.getByTestId("add-user-role").selectOption(role);
  await page.getByTestId("add-user-submit").click();
  await expect(page.getByTestId("add-user-done")).toContainText(who.email);
  await expect(page.locator(`[data-testid=user-row][data-email="${who.email}"]`)).toBeVisible();
}

/** A tRPC mutation sent straight to the API with the page's session cookie. */
function callMutation(page: Page, path: string, input: unknown) {
  return page.request.post(`/api/trpc/${path}`, { data: { json: input } });
}

test("first run asks for the first admin, who lands signed in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId("first-admin-form")).toBeVisible();

  // Invalid input is refused field by field and nothing is created.
  await page.getByTestId("first-admin-name").fill(admin.name);
  await page.getByTestId("first-admin-email").fill(admin.email);
  await page.getByTestId("first-admin-password").fill("short");
  await page.getByTestId("first-admin-submit").click();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();

  await page.getByTestId("first-admin-password").fill(admin.password);
  await page.getByTestId("first-admin-submit").click();
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByTestId("current-role")).toHaveText("admin");
  await expect(page.getByTestId("empty-clusters")).toBeVisible();
});

test("the admin adds an operator and a viewer, and the log records it", async ({ page }) => {
  await signIn(page, admin);
  // A second tab keeps the command log open: new entries must arrive live (SSE subscription).
  const liveLog = await page.context().newPage();
  await liveLog.goto("/command-log");
  await expect(liveLog.getByTestId("command-log-table")).toBeVisible();

  await page.getByTestId("nav-users").click();
  await addUser(page, operator, "operator");
  await expect(
    liveLog.getByTestId("command-log-row").filter({ hasText: operator.email }),
  ).toHaveCount(1);
  await liveLog.close();
  await addUser(page, viewer, "viewer");

  // A duplicate email is refused with a specific message.
  await page.getByTestId("add-user-name").fill("Again");
  await page.getByTestId("add-user-email").fill(viewer.email);
  await page.getByTestId("add-user-password").fill("another-password");
  await page.getByTestId("add-user-submit").click();
  await expect(page.getByTestId("add-user-error")).toContainText(/already exists/i);

  await page.getByTestId("nav-command-log").click();
  const rows = page.getByTestId("command-log-row");
  await expect(
    rows.filter({ hasText: `user.create` }).filter({ hasText: viewer.email }),
  ).toHaveCount(2);
  await expect(page.getByTestId("command-log-table")).not.toContainText(viewer.password);
  await page.getByTestId("filter-result").selectOption("failed");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("command-log-result")).toHaveText("failed");
  await signOut(page);
});

test("a wrong email and a wrong password get the same message", async ({ page }) => {
  await signIn(page, admin);
  await signOut(page);
  const messages: string[] = [];
  for (const attempt of [
    { email: viewer.email, password: "not-the-password" },
    { email: "nobody@example.test", password: viewer.password },
  ]) {
    await page.goto("/sign-in");
    await page.getByTestId("sign-in-email").fill(attempt.email);
    await page.getByTestId("sign-in-password").fill(attempt.password);
    await page.getByTestId("sign-in-submit").click();
    await expect(page.getByTestId("sign-in-error")).toBeVisible();
    messages.push((await page.getByTestId("sign-in-error").textContent()) ?? "");
  }
  expect(messages[0]).toBe("Wrong email or password.");
  expect(messages[1]).toBe(messages[0]);
});

test("a viewer sees no mutating action and its direct mutations are refused", async ({ page }) => {
  await signIn(page, viewer);
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
  await expect(page.getByTestId("nav-onboard")).toHaveCount(0);
  for (const nav of PAGES) {
    await page.getByTestId(nav).click();
    await expect(page.getByTestId("page-title")).toBeVisible();
    await expect(page.locator("[data-testid^=action-]")).toHaveCount(0);
  }
  await page.getByTestId("nav-users").click();
  await expect(page.getByTestId("users-admin-only")).toBeVisible();

  const viewerId = await page.evaluate(async () => {
    const response = await fetch("/api/trpc/session.current");
    return (await response.json()).result.data.json.id as string;
  });
  for (const [path, input] of [
    [
      "users.create",
      { name: "Eve", email: "eve@example.test", password: "eve-password-1", role: "admin" },
    ],
    ["users.setRole", { userId: viewerId, role: "admin" }],
    [
      "setup.createFirstAdmin",
      { name: "Eve", email: "eve@example.test", password: "eve-password-1" },
    ],
  ] as const) {
    const response = await callMutation(page, path, input);
    const expected = path === "setup.createFirstAdmin" ? 409 : 403;
    expect(response.status(), path).toBe(expected);
  }
  await page.reload();
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
  await signOut(page);
});

test("an operator may act but not manage users", async ({ page }) => {
  await signIn(page, operator);
  await expect(page.getByTestId("nav-onboard")).toBeVisible();
  await page.getByTestId("nav-users").click();
  await expect(page.getByTestId("users-admin-only")).toBeVisible();
  const response = await callMutation(page, "users.remove", { userId: "anyone" });
  expect(response.status()).toBe(403);
  await signOut(page);
});

test("a disabled operator cannot sign in until enabled again", async ({ page }) => {
  await signIn(page, admin);
  await page.getByTestId("nav-users").click();
  const row = page.locator(`[data-testid=user-row][data-email="${viewer.email}"]`);
  await row.getByTestId("action-toggle-disabled").click();
  await expect(row.getByTestId("user-status")).toHaveText("disabled");
  await signOut(page);

  await page.getByTestId("sign-in-email").fill(viewer.email);
  await page.getByTestId("sign-in-password").fill(viewer.password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("sign-in-error")).toContainText("disabled");

  await signIn(page, admin);
  await page.getByTestId("nav-users").click();
  await row.getByTestId("action-toggle-disabled").click();
  await expect(row.getByTestId("user-status")).toHaveText("active");
  await signOut(page);
  await signIn(page, viewer);
  await signOut(page);
});

test("the shell works on a tablet, in dark mode, and signing out ends the session", async ({
  page,
}) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await signIn(page, admin);
  for (const nav of [...PAGES, "nav-onboard"]) {
    await expect(page.getByTestId(nav)).toBeAttached();
  }
  await page.getByTestId("nav-vms").click();
  await expect(page.getByTestId("empty-vms")).toBeVisible();
  const html = page.locator("html");
  const wasDark = await html.evaluate((el) => el.classList.contains("dark"));
  await page.getByTestId("theme-toggle").first().click();
  await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
  await page.reload();
  await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
  await page.screenshot({ path: test.info().outputPath("tablet.png"), fullPage: true });

  await signOut(page);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/sign-in$/);
  const response = await page.request.get("/api/trpc/users.list");
  expect(response.status()).toBe(401);
});
