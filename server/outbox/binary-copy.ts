import { to as copyTo } from "pg-copy-streams";
import { withPooledClient, type Pool } from "./db";

/**
 * Rows read with `COPY (SELECT …) TO STDOUT (FORMAT binary)`, each column as the bytes PostgreSQL
 * sent: a text column's are its UTF-8, which a replay hands to Kafka as they are. node-postgres
 * gives a query's columns as JavaScript strings only, so each change event was decoded from UTF-8,
 * measured and encoded again into the produce request, then collected as garbage: per 2,000 rows of
 * ~1.2 KB, ~22 ms of the server's CPU to read and encode them as strings against ~12 ms as bytes.
 *
 * COPY takes no bind parameters: the SELECT must hold no user-supplied value (callers build it
 * from numbers PostgreSQL returned, catalog names and configuration), and must bound its own
 * size, as the whole result is held in memory.
 */

/** A row's columns, null for SQL NULL. */
export type BinaryRow = Array<Buffer | null>;

/** `PGCOPY\n\377\r\n\0`: the start of every binary COPY. */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);

export function copyBinaryRows(pool: Pool, select: string): Promise<BinaryRow[]> {
  // A client of its own: the COPY takes the connection's socket over until it ends, and a client
  // whose COPY failed part-way is destroyed, not reused.
  return withPooledClient(pool, async (client) => {
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) chunks.push(chunk as Buffer);
    return parseBinaryCopy(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  });
}

/**
 * The rows of a binary COPY (PostgreSQL's documented format, `COPY` § Binary Format): signature,
 * flags, header extension, then each tuple as a 16-bit column count and each column as a 32-bit
 * length (-1 for NULL) and its bytes, ended by a count of -1. The columns are views of `data`.
 */
export function parseBinaryCopy(data: Buffer): BinaryRow[] {
  const fail = (what: string): never => {
    throw new Error(`binary COPY data: ${what}`);
  };
  if (data.length < SIGNATURE.length + 8 || !data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) fail("no PGCOPY signature");
  let position = SIGNATURE.length + 4; // the flags: none that change the tuples' layout
  position += 4 + data.readUInt32BE(position);
  const rows: BinaryRow[] = [];
  for (;;) {
    if (position + 2 > data.length) fail(`ends after ${rows.length} rows without its trailer`);
    const columns = data.readInt16BE(position);
    position += 2;
    if (columns === -1) break;
    const row: BinaryRow = new Array<Buffer | null>(columns);
    for (let i = 0; i < columns; i++) {
      if (position + 4 > data.length) fail(`row ${rows.length + 1} is cut short`);
      const length = data.readInt32BE(position);
      position += 4;
      if (length === -1) {
        row[i] = null;
        continue;
      }
      if (length < 0 || position + length > data.length) fail(`row ${rows.length + 1} is cut short`);
      row[i] = data.subarray(position, position + length);
      position += length;
    }
    rows.push(row);
  }
  if (position !== data.length) fail(`${data.length - position} bytes follow its trailer`);
  return rows;
}
