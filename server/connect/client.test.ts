import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_TASK_TRACE_CHARS, assessConnector, checkConnect, KafkaConnectClient, type ConnectorStatus } from "./client";

const JAVA_TRACE = "org.apache.kafka.connect.errors.ConnectException: replication slot \"outbox\" is active\n\tat io.debezium.Foo.bar(Foo.java:42)\n";

function status(connectorState: string, tasks: { id: number; state: string; trace?: string }[]): ConnectorStatus {
  return {
    name: "outbox-connector",
    connector: { state: connectorState, worker_id: "127.0.0.1:8083" },
    tasks: tasks.map((task) => ({ worker_id: "127.0.0.1:8083", ...task })),
    type: "source",
  };
}

describe("assessConnector", () => {
  it("is healthy only when the connector and all tasks are RUNNING", () => {
    expect(assessConnector("outbox-connector", status("RUNNING", [{ id: 0, state: "RUNNING" }]))).toEqual({ healthy: true, problems: [] });
  });

  it("names the failed task with the first line of its trace", () => {
    expect(assessConnector("outbox-connector", status("RUNNING", [{ id: 1, state: "RUNNING" }, { id: 0, state: "FAILED", trace: JAVA_TRACE }]))).toEqual({
      healthy: false,
      problems: ['connector outbox-connector task 0 is FAILED: org.apache.kafka.connect.errors.ConnectException: replication slot "outbox" is active'],
    });
  });

  it("reports a missing connector, a paused connector and a connector without tasks", () => {
    expect(assessConnector("outbox-connector", null).problems).toEqual(["connector outbox-connector is not registered"]);
    expect(assessConnector("outbox-connector", status("PAUSED", [{ id: 0, state: "PAUSED" }])).problems).toEqual([
      "connector outbox-connector is PAUSED",
      "connector outbox-connector task 0 is PAUSED",
    ]);
    expect(assessConnector("outbox-connector", status("RUNNING", [])).problems).toEqual(["connector outbox-connector has no tasks"]);
  });
});

/**
 * A local HTTP server answering like a Kafka Connect worker, so the real fetch, timeouts and body
 * parsing are exercised. The integration tests check the same client against the real worker.
 */
type Route = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server | null = null;

async function connectWorker(routes: Record<string, Route>): Promise<string> {
  server = createServer((req, res) => {
    const route = routes[req.url ?? ""];
    if (route) return route(req, res);
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error_code: 404, message: `No status found for ${req.url}` }));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (body: unknown, statusCode = 200): Route => (_req, res) => {
  res.writeHead(statusCode, { "content-type": "application/json" }).end(JSON.stringify(body));
};
const root = json({ version: "4.3.1", commit: "abc", kafka_cluster_id: "cluster" });

afterEach(async () => {
  const running = server;
  server = null;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

describe("checkConnect", () => {
  it("is up with the worker version, connector state and tasks", async () => {
    const url = await connectWorker({ "/": root, "/connectors/outbox-connector/status": json(status("RUNNING", [{ id: 0, state: "RUNNING" }])) });
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: `${url}/`, requestTimeoutMs: 2_000 }), "outbox-connector");
    expect(health).toMatchObject({
      status: "up",
      detail: {
        url,
        connector: "outbox-connector",
        workerVersion: "4.3.1",
        connectorState: "RUNNING",
        tasks: [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }],
      },
    });
    expect(health.error).toBeUndefined();
  });

  it("is down with the task's reason and a bounded trace when a task failed", async () => {
    const hugeTrace = JAVA_TRACE + "\tat x\n".repeat(5_000);
    const url = await connectWorker({ "/": root, "/connectors/outbox-connector/status": json(status("RUNNING", [{ id: 0, state: "FAILED", trace: hugeTrace }])) });
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 2_000 }), "outbox-connector");
    expect(health.status).toBe("down");
    expect(health.error).toBe('connector outbox-connector task 0 is FAILED: org.apache.kafka.connect.errors.ConnectException: replication slot "outbox" is active');
    expect(health.detail.tasks[0]?.trace).toHaveLength(MAX_TASK_TRACE_CHARS);
  });

  it("is down when the connector is not registered, while the API answers", async () => {
    const url = await connectWorker({ "/": root });
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 2_000 }), "outbox-connector");
    expect(health).toMatchObject({ status: "down", error: "connector outbox-connector is not registered", detail: { workerVersion: "4.3.1", connectorState: null } });
  });

  it("encodes the connector name in the path", async () => {
    const url = await connectWorker({ "/": root, "/connectors/outbox%2Fconnector%20v2/status": json(status("RUNNING", [{ id: 0, state: "RUNNING" }])) });
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 2_000 }), "outbox/connector v2");
    expect(health.status).toBe("up");
  });

  it("is down within the deadline when the worker does not answer", async () => {
    const url = await connectWorker({ "/": () => undefined, "/connectors/outbox-connector/status": () => undefined });
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 200 }), "outbox-connector");
    expect(health.status).toBe("down");
    expect(health.error).toBe(`Kafka Connect REST API at ${url} did not answer within 200 ms`);
    expect(health.latencyMs).toBeLessThan(2_000);
  });

  it("is down with the network reason when nothing listens", async () => {
    const url = await connectWorker({});
    const closing = server;
    server = null;
    await new Promise((resolve) => closing?.close(resolve));
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 2_000 }), "outbox-connector");
    expect(health.status).toBe("down");
    expect(health.error).toMatch(new RegExp(`^Kafka Connect REST API at ${url} is unreachable: connect ECONNREFUSED`));
  });

  it("is down, with the API's own message, on an error status or an unexpected body", async () => {
    const url = await connectWorker({
      "/": root,
      "/connectors/outbox-connector/status": json({ error_code: 500, message: "Request timed out" }, 500),
    });
    const health = await checkConnect(new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 2_000 }), "outbox-connector");
    expect(health.error).toBe("Kafka Connect GET /connectors/outbox-connector/status answered 500: Request timed out");

    const client = new KafkaConnectClient({ baseUrl: url, requestTimeoutMs: 2_000 });
    server?.removeAllListeners("request");
    server?.on("request", (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200).end("<html>proxy login</html>"));
    await expect(client.getWorkerInfo()).rejects.toThrow(/GET \/ returned a body that is not JSON/);
  });
});
