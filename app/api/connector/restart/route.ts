import { ACTIONS } from "@/lib/auth/roles";
import { connectorRestartRequestSchema, type ConnectorRestartResponse } from "@/lib/contracts/connector";
import { describeError } from "@/lib/errors/describe-error";
import { ConnectRequestError } from "@/server/connect/client";
import { errorResponse, guardMutation, NO_STORE } from "@/server/auth/route";
import { createLogger } from "@/server/log";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

const log = createLogger("connector");

/**
 * POST /api/connector/restart `{ onlyFailed?: boolean }` → 202: asks Kafka Connect to restart the
 * configured Debezium connector and its tasks (by default only the failed ones). Operators and
 * admins only; same-origin JSON or an API token. Which connector is fixed by configuration: a
 * request cannot name another one, nor change any of its settings.
 */
export async function POST(request: Request): Promise<Response> {
  const guarded = await guardMutation(request, ACTIONS.restartConnector, connectorRestartRequestSchema);
  if (guarded instanceof Response) return guarded;
  const { config, connect, audit } = getRuntime();
  const connector = config.connect.connectorName;
  const onlyFailed = guarded.body.onlyFailed ?? true;
  // Audited whatever Connect answers; an audit log that cannot be written does not block a restart
  // (the restart is what brings a stalled pipeline back), but it is logged.
  const record = (outcome: "succeeded" | "failed", error: string | null) =>
    audit
      .insert({
        principal: guarded.principal,
        action: "connector:restart",
        target: { connector, onlyFailed },
        dryRun: false,
        reason: null,
        matched: null,
        idempotencyKey: null,
        requestHash: null,
        outcome,
        topic: null,
        error,
        changed: outcome === "succeeded" ? 1 : 0,
      })
      .catch((auditError: unknown) => log.error(`connector restart not audited: ${describeError(auditError)}`));
  try {
    await connect.restartConnector(connector, { onlyFailed });
  } catch (error) {
    const status = error instanceof ConnectRequestError && error.status === 404 ? 404 : 502;
    const message = status === 404 ? `connector ${connector} is not registered on Kafka Connect` : `Kafka Connect refused the restart: ${describeError(error)}`;
    await record("failed", message);
    return errorResponse(status, message);
  }
  await record("succeeded", null);
  log.info(`${guarded.principal.kind} ${guarded.principal.name} (${guarded.principal.role}) restarted connector ${connector}${onlyFailed ? " (failed tasks only)" : ""}`);
  const body: ConnectorRestartResponse = { connector, onlyFailed, requestedAt: Date.now() };
  return Response.json(body, { status: 202, headers: NO_STORE });
}
