import { expect, test, type Page } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { stackCredentials } from "./lib/stack-auth";

// Signing in through the page, as a person does. The UI hides what a role may not do; the server
// refuses it anyway (security.spec.ts).

test.use({ storageState: { cookies: [], origins: [] } });

// The Debezium card fills in with the first snapshot, a second after the socket connects.
const CARD_READY_TIMEOUT_MS = 30_000;

async function signInThroughThePage(page: Page, role: Role): Promise<void> {
  const { username, password } = stackCredentials().users[role];
  await page.goto("/consumers");
  // Not signed in: the page sends the browser to sign in, and back afterwards.
  await expect(page).toHaveURL(/\/login\?next=%2Fconsumers$/);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/consumers$/);
  await expect(page.getByTestId("session-principal")).toContainText(`${username} · ${role}`);
}

test("a viewer sees the pipeline but no write button", async ({ page }) => {
  await signInThroughThePage(page, "viewer");
  await page.goto("/");
  await expect(page.getByTestId("connector-state")).toHaveAttribute("data-state", /\w+/, { timeout: CARD_READY_TIMEOUT_MS });
  await expect(page.getByTestId("restart-connector")).toHaveCount(0);
});

test("an operator sees the restart button and can use it; signing out ends the session", async ({ page }) => {
  await signInThroughThePage(page, "operator");
  await page.goto("/");
  const restart = page.getByTestId("restart-connector");
  await expect(restart).toBeVisible({ timeout: CARD_READY_TIMEOUT_MS });
  await restart.click();
  await expect(restart).toHaveText(/^Confirm/);
  await restart.click();
  await expect(page.getByTestId("restart-result")).toBeVisible();

  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
});

test("a wrong password is answered on the form, without a session", async ({ page }) => {
  await page.goto("/login");
  await page.getByTestId("login-username").fill("viewer");
  await page.getByTestId("login-password").fill("not-the-password");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toContainText("wrong username or password");
});
