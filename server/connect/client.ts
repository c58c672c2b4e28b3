import { z } from "zod";
import type { ConnectHealth, ConnectTask } from "@/lib/contracts/health";
import { describeError, firstLine, truncate } from "@/lib/errors/describe-error";

/**
 * Kafka Connect REST client: fetch with a deadline on every request, responses validated with zod
 * (this is data from another process, and its shape differs between versions).
 */

/**
 * A failed task's trace is a full Java stack trace, often tens of KB with nested causes. Reports
 * keep the head, which names the exception and the connector's diagnosis; the rest is in the
 * Connect worker's log.
 */
export const MAX_TASK_TRACE_CHARS = 4_000;

/** Bound on the response body we parse; a status or root document is a few KB at most. */
export const MAX_CONNECT_RESPONSE_BYTES = 1_000_000;

const workerInfoSchema = z.object({
  version: z.string(),
  commit: z.string().optional(),
  kafka_cluster_id: z.string().optional(),
});
export type ConnectWorkerInfo = z.infer<typeof workerInfoSchema>;

const stateSchema = z.object({
  state: z.string(),
  worker_id: z.string().optional(),
  trace: z.string().optional(),
});

const connectorStatusSchema = z.object({
  name: z.string(),
  connector: stateSchema,
  tasks: z.array(stateSchema.extend({ id: z.number().int() })),
  type: z.string().optional(),
});
export type ConnectorStatus = z.infer<typeof connectorStatusSchema>;

/** A request to the Connect REST API failed: unreachable, timed out, non-2xx, or an unexpected body. */
export class ConnectRequestError extends Error {
  /** HTTP status when the API answered; undefined when it did not. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = "ConnectRequestError";
    this.status = status;
  }
}

export interface KafkaConnectClientSettings {
  /** REST base URL without a trailing slash, e.g. http://127.0.0.1:8083. */
  baseUrl: string;
  /** Deadline of each request, connecting included. */
  requestTimeoutMs: number;
}

export class KafkaConnectClient {
  readonly baseUrl: string;
  readonly #requestTimeoutMs: number;

  constructor(settings: KafkaConnectClientSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, "");
    this.#requestTimeoutMs = settings.requestTimeoutMs;
  }

  /** GET / : the worker's version; proves the REST API answers. */
  async getWorkerInfo(): Promise<ConnectWorkerInfo> {
    const response = await this.#get("/");
    return this.#parse(response, workerInfoSchema, "GET /");
  }

  /** GET /connectors/NAME/status; null when the connector is not registered (404). */
  async getConnectorStatus(connector: string): Promise<ConnectorStatus | null> {
    const path = `/connectors/${encodeURIComponent(connector)}/status`;
    const response = await this.#get(path, [404]);
    if (response.status === 404) return null;
    return this.#parse(response, connectorStatusSchema, `GET ${path}`);
  }

  /**
   * POST /connectors/NAME/restart?includeTasks=true&onlyFailed=…: restarts the connector and its
   * tasks (only the failed ones when `onlyFailed`). Connect answers 202 and restarts in the
   * background; the status shows the outcome.
   */
  async restartConnector(connector: string, options: { onlyFailed: boolean }): Promise<void> {
    const path = `/connectors/${encodeURIComponent(connector)}/restart?includeTasks=true&onlyFailed=${options.onlyFailed}`;
    const response = await this.#request("POST", path);
    await response.body?.cancel();
  }

  async #get(path: string, acceptedStatuses: readonly number[] = []): Promise<Response> {
    return this.#request("GET", path, acceptedStatuses);
  }

  async #request(method: "GET" | "POST", path: string, acceptedStatuses: readonly number[] = []): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(this.#requestTimeoutMs),
        redirect: "error",
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "TimeoutError") {
        throw new ConnectRequestError(`Kafka Connect REST API at ${this.baseUrl} did not answer within ${this.#requestTimeoutMs} ms`);
      }
      // fetch reports every network failure as "fetch failed"; the reason is its cause.
      const reason = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new ConnectRequestError(`Kafka Connect REST API at ${this.baseUrl} is unreachable: ${describeError(reason)}`);
    }
    if (!response.ok && !acceptedStatuses.includes(response.status)) {
      const body = await readBoundedText(response).catch(() => "");
      const message = connectErrorMessage(body) ?? response.statusText;
      throw new ConnectRequestError(`Kafka Connect ${method} ${path} answered ${response.status}${message ? `: ${message}` : ""}`, response.status);
    }
    return response;
  }

  async #parse<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    let body: unknown;
    try {
      body = JSON.parse(await readBoundedText(response));
    } catch (error) {
      throw new ConnectRequestError(`Kafka Connect ${what} returned a body that is not JSON: ${describeError(error)}`, response.status);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ConnectRequestError(`Kafka Connect ${what} returned an unexpected body: ${parsed.error.issues[0]?.message ?? "invalid"}`, response.status);
    }
    return parsed.data;
  }
}

async function readBoundedText(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > MAX_CONNECT_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new Error(`response of ${declared} bytes exceeds ${MAX_CONNECT_RESPONSE_BYTES}`);
  }
  const text = await response.text();
  if (text.length > MAX_CONNECT_RESPONSE_BYTES) throw new Error(`response exceeds ${MAX_CONNECT_RESPONSE_BYTES} bytes`);
  return text;
}

/** Connect's error bodies are `{"error_code": 404, "message": "..."}`. */
function connectErrorMessage(body: string): string | null {
  try {
    const parsed = z.object({ message: z.string() }).safeParse(JSON.parse(body));
    return parsed.success ? truncate(parsed.data.message, 300) : null;
  } catch {
    return null;
  }
}

export interface ConnectorAssessment {
  healthy: boolean;
  /** Every problem found, for the operator: "connector outbox-connector task 0 is FAILED: …". */
  problems: string[];
}

/**
 * A connector is healthy only when it and every one of its tasks are RUNNING. A connector with no
 * task is not: it captures nothing (e.g. still starting, or its task failed to be created).
 * Pure, so the rules are unit-tested without a Connect worker.
 */
export function assessConnector(name: string, status: ConnectorStatus | null): ConnectorAssessment {
  if (status === null) return { healthy: false, problems: [`connector ${name} is not registered`] };

  const problems: string[] = [];
  if (status.connector.state !== "RUNNING") {
    problems.push(withReason(`connector ${name} is ${status.connector.state}`, status.connector.trace));
  }
  if (status.tasks.length === 0) {
    problems.push(`connector ${name} has no tasks`);
  }
  for (const task of [...status.tasks].sort((a, b) => a.id - b.id)) {
    if (task.state !== "RUNNING") problems.push(withReason(`connector ${name} task ${task.id} is ${task.state}`, task.trace));
  }
  return { healthy: problems.length === 0, problems };
}

function withReason(problem: string, trace: string | undefined): string {
  const reason = trace ? firstLine(trace) : "";
  return reason ? `${problem}: ${truncate(reason, 300)}` : problem;
}

/**
 * Connect is "up" when the REST API answers AND the configured connector and all of its tasks are
 * RUNNING. Never throws: any failure is a "down" report with the reason.
 */
export async function checkConnect(client: KafkaConnectClient, connectorName: string): Promise<ConnectHealth> {
  const started = performance.now();
  const detail: ConnectHealth["detail"] = {
    url: client.baseUrl,
    connector: connectorName,
    workerVersion: null,
    connectorState: null,
    tasks: [],
  };
  const elapsed = () => Math.round(performance.now() - started);

  try {
    // Both requests at once: the status alone cannot tell "API down" from "connector missing"
    // as clearly, and the root document gives the worker version for the report.
    const [worker, status] = await Promise.all([client.getWorkerInfo(), client.getConnectorStatus(connectorName)]);
    detail.workerVersion = worker.version;
    if (status) {
      detail.connectorState = status.connector.state;
      if (status.connector.trace) detail.connectorTrace = truncate(status.connector.trace, MAX_TASK_TRACE_CHARS);
      detail.tasks = status.tasks.map(toReportTask).sort((a, b) => a.id - b.id);
    }
    const assessment = assessConnector(connectorName, status);
    return assessment.healthy
      ? { status: "up", latencyMs: elapsed(), detail }
      : { status: "down", latencyMs: elapsed(), error: assessment.problems.join("; "), detail };
  } catch (error) {
    return { status: "down", latencyMs: elapsed(), error: describeError(error), detail };
  }
}

function toReportTask(task: ConnectorStatus["tasks"][number]): ConnectTask {
  return {
    id: task.id,
    state: task.state,
    workerId: task.worker_id ?? null,
    ...(task.trace ? { trace: truncate(task.trace, MAX_TASK_TRACE_CHARS) } : {}),
  };
}
