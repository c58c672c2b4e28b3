import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { kafkaProxiedPorts } from "@/stack/kafka";
import { startServer, type AppServer } from "@/stack/lib/app-server";
import { isAlive } from "@/stack/lib/proc";
import { bearer, signIn } from "../e2e/lib/stack-auth";
import { config, expectPagesServe, serverLogFailures, startWorkload } from "./pipeline";
import { TcpProxy } from "./tcp-proxy";

/**
 * Scenario 5, trouble on the network path between the dashboard and Kafka. A second dashboard
 * server reaches the faults stack's broker only through a TCP proxy of this test (the broker's
 * PROXIED listener advertises the proxy, so every request goes through it). First the proxy adds
 * latency, then it cuts every connection and refuses new ones for a while: the server neither
 * crashes nor logs an unhandled rejection, says Kafka is unreachable while it is, and recovers by
 * itself when the path heals.
 */

/** The second server's port, next to the suite's own (15000). */
const NETWORK_APP_PORT = 15_100;
const NETWORK_SERVER_LOG = path.join(config.dir, "logs", "server-network.log");
/** Added to every chunk in each direction: a slow WAN link, 300 ms round trip. */
const LATENCY_MS = 150;
/** How long the path stays cut. */
const CUT_MS = 15_000;

/** The sum of the outbox topic's end offsets the server last read from Kafka, from its /metrics. */
async function endOffsets(request: APIRequestContext, server: AppServer): Promise<number> {
  const text = await (await request.get(`${server.url}/metrics`, { headers: bearer("viewer") })).text();
  return [...text.matchAll(/^outbox_lens_topic_end_offset\{[^}]*\} (\S+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

test("network trouble to Kafka: latency, then cut connections; no crash, STOP while cut, recovery", async ({ page, request }) => {
  const proxied = kafkaProxiedPorts(config, 1);
  if (!proxied) throw new Error("the faults stack's broker has no PROXIED listener");
  const proxy = new TcpProxy(proxied.proxy, proxied.listener);
  await proxy.start();
  const stopWorkload = startWorkload();
  let server: AppServer | null = null;
  try {
    server = await startServer({
      envFile: path.join(config.dir, "env"),
      port: NETWORK_APP_PORT,
      logFile: NETWORK_SERVER_LOG,
      env: { KAFKA_BROKERS: `127.0.0.1:${proxied.proxy}` },
    });
    await signIn(page.request, server.url, "viewer");
    await page.goto(`${server.url}/`);
    const topic = page.getByTestId("stage-topic");
    const kafka = page.getByTestId("health-kafka");
    await expect(topic).toHaveAttribute("data-status", /OK|WARN|STALL/, { timeout: 90_000 });
    expect(proxy.connections).toBeGreaterThan(0);

    // A slow path: everything keeps working, only later.
    proxy.setLatency(LATENCY_MS);
    const before = await endOffsets(request, server);
    await expect.poll(() => endOffsets(request, server!), { timeout: 20_000 }).toBeGreaterThan(before);
    await expect(kafka).toHaveAttribute("data-status", "up");
    await expect(topic).not.toHaveAttribute("data-status", "STOP");
    await expectPagesServe(request, server.url);

    // A cut path: every connection reset, new ones refused.
    const cutAt = Date.now();
    proxy.cut();
    await expect(topic).toHaveAttribute("data-status", "STOP", { timeout: 10_000 });
    await expect(topic.getByTestId("stage-rule")).toContainText("Kafka unreachable");
    await expect(kafka).toHaveAttribute("data-status", /down/);
    console.log(`detection: STOP shown ${Date.now() - cutAt} ms after the cut`);
    await expectPagesServe(request, server.url);
    await page.waitForTimeout(Math.max(0, CUT_MS - (Date.now() - cutAt)));

    proxy.heal();
    proxy.setLatency(0);
    const healedAt = Date.now();
    await expect(topic).not.toHaveAttribute("data-status", "STOP", { timeout: 10_000 });
    await expect(kafka).toHaveAttribute("data-status", "up", { timeout: 10_000 });
    console.log(`recovery: ${Date.now() - healedAt} ms after the path healed`);
    const healed = await endOffsets(request, server);
    await expect.poll(() => endOffsets(request, server!), { timeout: 20_000 }).toBeGreaterThan(healed);
    expect(isAlive(server.pid), "the server process").toBe(true);
  } finally {
    await stopWorkload();
    await server?.stop();
    await proxy.close();
  }
  expect(serverLogFailures(NETWORK_SERVER_LOG)).toEqual([]);
});
