import { describe, expect, it } from "vitest";
import { decodeRecord } from "./decode";
import {
  CREATE_KAFKA_TIMESTAMP,
  CREATE_VALUE,
  DELETE_KAFKA_TIMESTAMP,
  DELETE_VALUE,
  SNAPSHOT_MIDDLE_VALUE,
  TRUNCATE_KAFKA_TIMESTAMP,
  TRUNCATE_VALUE,
  UPDATE_PROCESSED_KAFKA_TIMESTAMP,
  UPDATE_PROCESSED_VALUE,
  rawRecord,
  withAfterColumns,
} from "./fixtures/records";
import { changeHops, processedHops } from "./latency";
import type { ChangeRecord } from "./types";

const CREATED_AT_MS = Date.UTC(2026, 10, 27, 16, 18, 36, 793) + 0.281;
const PROCESSED_AT_MS = Date.UTC(2026, 10, 27, 16, 18, 36, 958) + 0.17;

function change(value: string, timestamp: number): ChangeRecord {
  const record = decodeRecord(rawRecord(value, { timestamp }));
  if (record.kind !== "change") throw new Error(record.kind);
  return record;
}

describe("changeHops", () => {
  it("measures capture and outbox-to-Kafka for the real create", () => {
    const hops = changeHops(change(CREATE_VALUE, CREATE_KAFKA_TIMESTAMP));
    // Kafka 1795796316908 − source.ts_ms 1795796316798.
    expect(hops.captureMs).toBe(110);
    // Kafka 1795796316908 − created_at 16:18:36.793281.
    expect(hops.outboxToKafkaMs).toBeCloseTo(CREATE_KAFKA_TIMESTAMP - CREATED_AT_MS, 6);
    expect(hops.outboxToKafkaMs).toBeCloseTo(114.719, 3);
  });

  it("measures only capture for updates, deletes and truncates", () => {
    const update = changeHops(change(UPDATE_PROCESSED_VALUE, UPDATE_PROCESSED_KAFKA_TIMESTAMP));
    expect(update).toEqual({ captureMs: UPDATE_PROCESSED_KAFKA_TIMESTAMP - 1795796316961, outboxToKafkaMs: undefined });
    expect(changeHops(change(DELETE_VALUE, DELETE_KAFKA_TIMESTAMP))).toEqual({ captureMs: 19, outboxToKafkaMs: undefined });
    expect(changeHops(change(TRUNCATE_VALUE, TRUNCATE_KAFKA_TIMESTAMP))).toEqual({ captureMs: 13, outboxToKafkaMs: undefined });
  });

  it("measures nothing for snapshot reads", () => {
    expect(changeHops(change(SNAPSHOT_MIDDLE_VALUE, 1795796100530))).toEqual({ captureMs: undefined, outboxToKafkaMs: undefined });
  });

  it("returns negative hops (clock skew) as they are", () => {
    const hops = changeHops(change(CREATE_VALUE, 1795796316700));
    expect(hops.captureMs).toBe(-98);
    expect(hops.outboxToKafkaMs).toBeLessThan(0);
  });

  it("gives undefined for a hop whose input is missing", () => {
    const noCreatedAt = changeHops(change(withAfterColumns(CREATE_VALUE, { created_at: null }), CREATE_KAFKA_TIMESTAMP));
    expect(noCreatedAt).toEqual({ captureMs: 110, outboxToKafkaMs: undefined });
    const noSource = change('{"before":null,"after":{"created_at":"2026-11-27T16:18:36Z"},"op":"c"}', CREATE_KAFKA_TIMESTAMP);
    expect(changeHops(noSource).captureMs).toBeUndefined();
    expect(changeHops(noSource).outboxToKafkaMs).toBe(CREATE_KAFKA_TIMESTAMP - Date.UTC(2026, 10, 27, 16, 18, 36));
    expect(changeHops(change(CREATE_VALUE, Number.NaN))).toEqual({ captureMs: undefined, outboxToKafkaMs: undefined });
  });
});

describe("processedHops", () => {
  it("pairs the insert's Kafka timestamp with the processor's update", () => {
    const update = change(UPDATE_PROCESSED_VALUE, UPDATE_PROCESSED_KAFKA_TIMESTAMP);
    const hops = processedHops({
      insertKafkaTimestampMs: CREATE_KAFKA_TIMESTAMP,
      createdAtMs: update.outbox.createdAtMs,
      processedAtMs: update.outbox.processedAtMs,
    });
    expect(hops.kafkaToProcessedMs).toBeCloseTo(PROCESSED_AT_MS - CREATE_KAFKA_TIMESTAMP, 6);
    expect(hops.endToEndMs).toBeCloseTo(PROCESSED_AT_MS - CREATED_AT_MS, 6);
    expect(hops.endToEndMs).toBeCloseTo(164.889, 3);
  });

  it("gives undefined for the hops whose inputs are missing or not finite", () => {
    expect(processedHops({})).toEqual({ kafkaToProcessedMs: undefined, endToEndMs: undefined });
    expect(processedHops({ createdAtMs: 1000, processedAtMs: 1500 })).toEqual({ kafkaToProcessedMs: undefined, endToEndMs: 500 });
    expect(processedHops({ insertKafkaTimestampMs: 1200, processedAtMs: 1500 })).toEqual({ kafkaToProcessedMs: 300, endToEndMs: undefined });
    expect(processedHops({ insertKafkaTimestampMs: Number.NaN, createdAtMs: 1000, processedAtMs: Number.POSITIVE_INFINITY })).toEqual({
      kafkaToProcessedMs: undefined,
      endToEndMs: undefined,
    });
  });

  it("returns negative hops (clock skew) as they are", () => {
    expect(processedHops({ insertKafkaTimestampMs: 2000, createdAtMs: 1000, processedAtMs: 1500 })).toEqual({ kafkaToProcessedMs: -500, endToEndMs: 500 });
  });
});
