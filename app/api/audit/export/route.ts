import { MAX_AUDIT_EXPORT_ROWS, type AuditEntry } from "@/lib/contracts/audit";
import { toCsvRow } from "@/lib/format/csv";
import { readAuditRequest } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

const COLUMNS = ["id", "at", "finished_at", "actor", "actor_kind", "role", "action", "target", "dry_run", "reason", "matched", "changed", "skipped", "failed", "idempotency_key", "outcome", "error", "topic"];

function csvOf(entry: AuditEntry): string {
  return toCsvRow([
    entry.id, entry.at, entry.finishedAt, entry.actor, entry.actorKind, entry.role, entry.action, JSON.stringify(entry.target), entry.dryRun,
    entry.reason, entry.matched, entry.changed, entry.skipped, entry.failed, entry.idempotencyKey, entry.outcome, entry.error, entry.topic,
  ]);
}

/**
 * GET /api/audit/export?<same filter as /api/audit> → text/csv, streamed in chunks from the
 * database (never the whole log in memory), at most MAX_AUDIT_EXPORT_ROWS rows. A failure midway
 * ends the file with a line saying so, since the status line has already been sent.
 */
export async function GET(request: Request): Promise<Response> {
  const read = readAuditRequest(request);
  if (read instanceof Response) return read;
  const entries = getRuntime().audit.stream(read.query, read.onlyActor, MAX_AUDIT_EXPORT_ROWS);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(toCsvRow(COLUMNS)));
    },
    async pull(controller) {
      try {
        const next = await entries.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(csvOf(next.value)));
      } catch (error) {
        controller.enqueue(encoder.encode(`# export stopped: ${error instanceof Error ? error.message : String(error)}\n`));
        controller.close();
      }
    },
    async cancel() {
      await entries.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="outbox-lens-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}
