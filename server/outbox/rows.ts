import type { OutboxFilter, OutboxRowsPage, OutboxRowsQuery } from "@/lib/contracts/outbox";
import { filterConditions, Params, prefixed, rowSelectList, toOutboxRow, type OutboxRowRecord } from "./sql";
import type { OutboxTable } from "./table";
import { interactiveQuery } from "./db";

/**
 * Keyset pages of the outbox table, never OFFSET: page N costs what page 1 costs, however deep.
 *
 * Failed rows are ordered by (updated_at, event_id), the key of the failed partial index, so the
 * latest failures come first and the page is an index range scan of the rare rows. Every other
 * view is ordered by the sequence column (unique index; the pending partial index is on it too).
 */

/** A cursor names the last row of the previous page in the page's own order. */
type Cursor = { k: "s"; seq: string } | { k: "f"; at: string; id: string };

export class InvalidCursorError extends Error {
  constructor() {
    super("cursor: is not a cursor this server issued (start again from the first page)");
    this.name = "InvalidCursorError";
  }
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

const SEQUENCE_PATTERN = /^\d{1,20}$/;
const ISO_MICROS_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function decodeCursor(text: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  const cursor = value as Partial<{ k: string; seq: string; at: string; id: string }>;
  if (cursor?.k === "s" && typeof cursor.seq === "string" && SEQUENCE_PATTERN.test(cursor.seq)) return { k: "s", seq: cursor.seq };
  if (cursor?.k === "f" && typeof cursor.at === "string" && ISO_MICROS_PATTERN.test(cursor.at) && typeof cursor.id === "string" && cursor.id.length <= 200) {
    return { k: "f", at: cursor.at, id: cursor.id };
  }
  throw new InvalidCursorError();
}

export function filterOf(query: OutboxRowsQuery): OutboxFilter {
  return {
    status: query.status,
    eventType: query.eventType,
    aggregateType: query.aggregateType,
    aggregateId: query.aggregateId,
    createdFrom: query.createdFrom,
    createdTo: query.createdTo,
    error: query.error,
    retryCountMin: query.retryCountMin,
    retryCountMax: query.retryCountMax,
  };
}

export async function listOutboxRows(table: OutboxTable, query: OutboxRowsQuery): Promise<OutboxRowsPage> {
  const params = new Params();
  const c = prefixed(table);
  const where = filterConditions(table, filterOf(query), params);
  const byFailure = query.status === "failed";
  const descending = query.order === "newest";
  const direction = descending ? "DESC" : "ASC";
  const compare = descending ? "<" : ">";
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  if (cursor && (cursor.k === "f") !== byFailure) throw new InvalidCursorError();

  let orderBy: string;
  if (byFailure) {
    if (cursor?.k === "f") where.push(`(${c.updatedAt}, ${c.eventId}) ${compare} (${params.add(cursor.at)}::timestamptz, ${params.add(cursor.id)})`);
    orderBy = `${c.updatedAt} ${direction}, ${c.eventId} ${direction}`;
  } else {
    if (cursor?.k === "s") where.push(`${c.sequence} ${compare} ${params.add(cursor.seq)}::bigint`);
    orderBy = `${c.sequence} ${direction}`;
  }
  // One row more than the page tells whether there is a next page without a count.
  const limit = params.add(query.limit + 1);
  const sql = `SELECT ${rowSelectList(table)} FROM ${table.quoted.table} o ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${orderBy} LIMIT ${limit}`;
  const result = await table.pool.query<OutboxRowRecord>(interactiveQuery(sql, params.values));
  const records = result.rows.slice(0, query.limit);
  const last = records.at(-1);
  const hasMore = result.rows.length > query.limit;
  const nextCursor = hasMore && last ? encodeCursor(byFailure ? { k: "f", at: last.updated_at, id: last.event_id } : { k: "s", seq: last.sequence }) : null;
  return {
    rows: records.map((record) => toOutboxRow(table, record)),
    nextCursor,
    orderedBy: byFailure ? "failedAt" : "sequence",
    asOf: Date.now(),
  };
}

/** One row by event id, with its payload; null when there is none. */
export async function findOutboxRow(table: OutboxTable, eventId: string): Promise<(OutboxRowRecord & { payload: unknown }) | null> {
  const c = prefixed(table);
  const result = await table.pool.query<OutboxRowRecord & { payload: unknown }>(
    interactiveQuery(`SELECT ${rowSelectList(table, true)} FROM ${table.quoted.table} o WHERE ${c.eventId} = $1`, [eventId]),
  );
  return result.rows[0] ?? null;
}
