import { isJsonObject } from "./json";
import type { SnapshotMarker, SourceInfo, TransactionInfo } from "./types";

/**
 * The PostgreSQL connector's `source` block, normalized. Fields of other connectors (MySQL's
 * binlog file and position, SQL Server's string LSNs) are not kept.
 */
export function normalizeSource(value: unknown): SourceInfo | null {
  if (!isJsonObject(value)) return null;
  const snapshot = snapshotMarker(value.snapshot);
  return {
    connector: text(value.connector),
    name: text(value.name),
    version: text(value.version),
    db: text(value.db),
    schema: text(value.schema),
    table: text(value.table),
    lsn: number(value.lsn),
    txId: number(value.txId),
    tsMs: number(value.ts_ms),
    tsUs: number(value.ts_us),
    sequence: text(value.sequence),
    snapshot,
    isSnapshot: snapshot !== undefined && snapshot !== "false",
  };
}

/** Debezium 2+ writes a string enum; 1.x wrote booleans (and "last" for the last snapshot row). */
function snapshotMarker(value: unknown): SnapshotMarker | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  return undefined;
}

export function normalizeTransaction(value: unknown): TransactionInfo | null {
  if (!isJsonObject(value) || typeof value.id !== "string") return null;
  return { id: value.id, totalOrder: number(value.total_order), dataCollectionOrder: number(value.data_collection_order) };
}

/**
 * An LSN as PostgreSQL prints it (`pg_current_wal_lsn()`, `pg_replication_slots`): two hex
 * halves, "0/1951E18". Debezium sends the 64-bit position as a JSON number; positions up to
 * 2^53 (8 PiB of WAL) are exact, which no real server reaches.
 */
export function formatLsn(lsn: number): string {
  const high = Math.floor(lsn / 2 ** 32);
  const low = lsn - high * 2 ** 32;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
