import { createHash } from "node:crypto";
import type { Principal } from "@/lib/contracts/auth";
import type { ReproduceRequest, ReproduceResponse } from "@/lib/contracts/messages";
import { describeError } from "@/lib/errors/describe-error";
import { RequestError } from "@/server/http/request-error";
import { ReplaySendError, TopicMissingError, type ReplayProducer, type ReplayTopic } from "@/server/kafka/replay-producer";
import { RecordTooLargeError } from "@/server/kafka/replay-requests";
import type { AuditLog } from "@/server/outbox/audit";
import type { MessageReader } from "./reader";
import { eventIdOf } from "./view";

/**
 * Producing one record again from the Messages page: its key, value and headers as they are on the
 * topic (bytes, not a re-encoding), to its own topic or another the dashboard may write, with the
 * replay headers added. Audited before anything is sent; the idempotency key (per principal) makes
 * a repeated request return the first one's entry without producing again.
 */

const ACTION = "message:reproduce";

export interface ReproduceDeps {
  reader: MessageReader;
  producer: ReplayProducer;
  audit: AuditLog;
  /** Topics a record may be produced to: the outbox topic and REPLAY_TOPICS. */
  writableTopics: readonly string[];
}

function hashOf(request: ReproduceRequest, targetTopic: string): string {
  const canonical = JSON.stringify({ topic: request.topic, partition: request.partition, offset: request.offset, targetTopic, reason: request.reason });
  return createHash("sha256").update(canonical).digest("hex");
}

export async function reproduceMessage(deps: ReproduceDeps, request: ReproduceRequest, principal: Principal): Promise<ReproduceResponse> {
  const targetTopic = request.targetTopic ?? request.topic;
  if (!deps.writableTopics.includes(targetTopic)) {
    throw new RequestError(422, `targetTopic: ${targetTopic} is neither the outbox topic nor one of REPLAY_TOPICS (${deps.writableTopics.join(", ")})`);
  }
  const requestHash = hashOf(request, targetTopic);
  const earlier = await deps.audit.byIdempotencyKey(principal, ACTION, request.idempotencyKey);
  if (earlier) {
    if (earlier.requestHash !== requestHash) throw new RequestError(422, "idempotencyKey: already used for a different request");
    return { auditId: earlier.id, targetTopic, duplicate: true, outcome: earlier.outcome };
  }
  const raw = await deps.reader.raw(request.topic, request.partition, Number(request.offset));
  let target: ReplayTopic;
  try {
    target = await deps.producer.checkTopic(targetTopic);
  } catch (error) {
    if (error instanceof TopicMissingError) throw new RequestError(422, `targetTopic: ${error.message}`);
    throw new RequestError(503, `Kafka could not be asked whether topic ${targetTopic} exists: ${describeError(error)}`);
  }
  const eventId = eventIdOf(deps.reader.decode(raw));
  const { entry, created } = await deps.audit.insert({
    principal,
    action: ACTION,
    target: { topic: request.topic, partition: request.partition, offset: request.offset, ...(eventId ? { eventId } : {}) },
    dryRun: false,
    reason: request.reason,
    matched: 1,
    idempotencyKey: request.idempotencyKey,
    requestHash,
    outcome: "running",
    topic: targetTopic,
  });
  if (!created) return { auditId: entry.id, targetTopic, duplicate: true, outcome: entry.outcome };
  if (eventId) await deps.audit.recordEvents(entry.id, 1, [eventId]);

  const headers: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(raw.headers ?? {})) {
    // A repeated header keeps its first value: KafkaJS sends one value per name.
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = typeof first === "string" ? first : Buffer.from(first);
  }
  headers["x-replay-id"] = String(entry.id);
  headers["x-replayed-by"] = `${principal.kind}:${principal.name}`;
  headers["x-replay-reason"] = request.reason;
  headers["x-reproduced-from"] = `${request.topic}/${request.partition}/${request.offset}`;
  try {
    await deps.producer.send(target, [
      { key: raw.key === null ? null : Buffer.from(raw.key), value: raw.value === null ? null : Buffer.from(raw.value), headers },
    ]);
  } catch (error) {
    const tooLarge = error instanceof RecordTooLargeError;
    const message = tooLarge
      ? `targetTopic: the record is ${error.bytes} bytes in its record batch, more than ${targetTopic} accepts (max.message.bytes ${error.limit})`
      : `Kafka did not acknowledge the record: ${describeError(error instanceof ReplaySendError ? error.cause : error)}`;
    await deps.audit.finish(entry.id, { outcome: "failed", skipped: 0, failed: 1, error: message, changed: 0 });
    throw new RequestError(tooLarge ? 422 : 503, message);
  }
  await deps.audit.finish(entry.id, { outcome: "succeeded", skipped: 0, failed: 0, error: null, changed: 1 });
  return { auditId: entry.id, targetTopic, duplicate: false, outcome: "succeeded" };
}
