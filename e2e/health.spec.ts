import { expect, test } from "@playwright/test";
import { PIPELINE_COMPONENTS, healthReportSchema } from "@/lib/contracts/health";

// The test stack's connector may still be starting when the first test runs; health is pushed
// after every poll, so the pills turn "up" as soon as it is RUNNING.
const PIPELINE_UP_TIMEOUT_MS = 60_000;
// The socket connects within a second on localhost; the margin covers a loaded CI machine.
const SOCKET_CONNECT_TIMEOUT_MS = 15_000;

test("the header shows a live connection and every pipeline component up", async ({ page }, testInfo) => {
  await page.goto("/");

  await expect(page.getByTestId("conn-state")).toHaveAttribute("data-state", "connected", { timeout: SOCKET_CONNECT_TIMEOUT_MS });
  for (const { id } of PIPELINE_COMPONENTS) {
    await expect(page.getByTestId(`health-${id}`)).toHaveAttribute("data-status", "up", { timeout: PIPELINE_UP_TIMEOUT_MS });
    await expect(page.getByTestId(`health-card-${id}`)).toHaveAttribute("data-status", "up");
  }
  await expect(page.getByRole("heading", { name: "All pipeline components are up" })).toBeVisible();
  await expect(page.getByTestId("health-card-connect")).toContainText("RUNNING");
  await expect(page.getByTestId("health-card-postgres")).toContainText("found");

  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });
});

test("GET /api/health answers 200 with every component up", async ({ request }) => {
  // Polled rather than asserted once: right after the stack starts, the connector can still be
  // RESTARTING, and the endpoint answers 503 until it is RUNNING.
  await expect
    .poll(async () => (await request.get("/api/health")).status(), { timeout: PIPELINE_UP_TIMEOUT_MS })
    .toBe(200);

  const response = await request.get("/api/health");
  expect(response.headers()["cache-control"]).toContain("no-store");
  const report = healthReportSchema.parse(await response.json());
  expect(report.status).toBe("ok");
  for (const { id } of PIPELINE_COMPONENTS) expect(report.components[id].status).toBe("up");
  expect(report.components.postgres.detail.outboxTableFound).toBe(true);
  expect(report.components.kafka.detail.brokers.length).toBeGreaterThan(0);
  expect(report.components.connect.detail.tasks.every((task) => task.state === "RUNNING")).toBe(true);
});

test("the socket refuses a handshake from another site", async ({ request, baseURL }) => {
  const handshake = "/socket.io/?EIO=4&transport=polling";
  const foreign = await request.get(handshake, { headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);

  const sameOrigin = await request.get(handshake, { headers: { origin: new URL(baseURL ?? "").origin } });
  expect(sameOrigin.status()).toBe(200);
});
