import type { ConnectState } from "@/lib/contracts/metrics";
import { describeError } from "@/lib/errors/describe-error";
import type { KafkaConnectClient } from "./client";

/**
 * The connector's state for the metrics snapshot. Connect being unreachable is a state too: the
 * last known tasks are kept (marked by `error`) so the page does not go blank during an outage.
 */
export async function pollConnectState(client: KafkaConnectClient, connector: string, previous: ConnectState | null, now = Date.now()): Promise<ConnectState> {
  try {
    const status = await client.getConnectorStatus(connector);
    if (status === null) {
      return { connector, state: null, tasks: [], error: `connector ${connector} does not exist on this Connect worker`, polledAt: now };
    }
    return {
      connector,
      state: status.connector.state,
      tasks: status.tasks.map((t) => ({ id: t.id, state: t.state, workerId: t.worker_id ?? null, ...(t.trace ? { trace: t.trace } : {}) })),
      error: null,
      polledAt: now,
    };
  } catch (error) {
    return { connector, state: null, tasks: previous?.tasks ?? [], error: `Kafka Connect unreachable: ${describeError(error)}`, polledAt: now };
  }
}
