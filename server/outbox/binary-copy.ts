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
    for await (const chunk of client.query(copyToStream(`COPY (${select}) TO STDOUT (FORMAT binary)`))) chunks.push(chunk as Buffer);
    return parseBinaryCopy(chunks);
  });
}

type CopyToQuery = ReturnType<typeof copyTo> & {
  callback?: (error?: Error) => void;
  handleReadyForQuery(...args: unknown[]): void;
  handleError(error: Error, ...args: unknown[]): void;
};

/**
 * A COPY … TO STDOUT whose end disarms node-postgres's query_timeout. node-postgres arms the timer
 * for every query and disarms it through the query's `callback`, which pg-copy-streams' COPY TO
 * never calls (brianc/node-pg-copy-streams#156): the timer went off after the COPY had ended, on
 * a connection by then back in the pool or serving another query. The callback is called here when
 * the COPY ends or fails; a COPY that hangs still fails with node-postgres's "Query read timeout".
 */
export function copyToStream(sql: string): CopyToQuery {
  const query = copyTo(sql) as CopyToQuery;
  const { handleReadyForQuery, handleError } = query;
  query.handleReadyForQuery = function (...args) {
    this.callback?.();
    handleReadyForQuery.apply(this, args);
  };
  query.handleError = function (error, ...args) {
    this.callback?.(error);
    handleError.call(this, error, ...args);
  };
  return query;
}

/**
 * Reads across the chunks the data arrived in without joining them: a multi-megabyte join is a
 * fresh buffer, whose pages the kernel faults in one by one (~8 ms of a 10,000-row replay here).
 * A value that lies within one chunk is a view of it; one split between two is copied.
 */
class ChunkReader {
  #index = 0;
  #offset = 0;
  #left: number;

  constructor(private readonly chunks: readonly Buffer[]) {
    this.#left = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    this.#moveTo(0);
  }

  get left(): number {
    return this.#left;
  }

  /** The next `length` bytes (the caller checked {@link left}). */
  bytes(length: number): Buffer {
    if (length === 0) return Buffer.alloc(0);
    this.#left -= length;
    const chunk = this.chunks[this.#index]!;
    const end = this.#offset + length;
    if (end <= chunk.length) {
      const view = chunk.subarray(this.#offset, end);
      this.#moveTo(end);
      return view;
    }
    const copy = Buffer.allocUnsafe(length);
    for (let filled = 0; filled < length; ) {
      const from = this.chunks[this.#index]!;
      const n = Math.min(length - filled, from.length - this.#offset);
      from.copy(copy, filled, this.#offset, this.#offset + n);
      filled += n;
      this.#moveTo(this.#offset + n);
    }
    return copy;
  }

  int16(): number {
    return this.#int(2);
  }

  int32(): number {
    return this.#int(4);
  }

  /** The next `size` bytes as a big-endian signed integer. */
  #int(size: 2 | 4): number {
    const chunk = this.chunks[this.#index]!;
    if (this.#offset + size > chunk.length) return this.bytes(size).readIntBE(0, size);
    this.#left -= size;
    const value = chunk.readIntBE(this.#offset, size);
    this.#moveTo(this.#offset + size);
    return value;
  }

  /** Moves to `offset` in the current chunk, and on to the next non-empty chunk at its end. */
  #moveTo(offset: number): void {
    this.#offset = offset;
    while (this.#index < this.chunks.length && this.#offset === this.chunks[this.#index]!.length) {
      this.#index++;
      this.#offset = 0;
    }
  }
}

/**
 * The rows of a binary COPY (PostgreSQL's documented format, `COPY` § Binary Format): signature,
 * flags, header extension, then each tuple as a 16-bit column count and each column as a 32-bit
 * length (-1 for NULL) and its bytes, ended by a count of -1. The data may come in any number of
 * chunks; the columns are views of them wherever a column lies within one.
 */
export function parseBinaryCopy(data: Buffer | readonly Buffer[]): BinaryRow[] {
  const fail = (what: string): never => {
    throw new Error(`binary COPY data: ${what}`);
  };
  const reader = new ChunkReader(Buffer.isBuffer(data) ? [data] : data);
  if (reader.left < SIGNATURE.length + 8 || !reader.bytes(SIGNATURE.length).equals(SIGNATURE)) fail("no PGCOPY signature");
  reader.int32(); // the flags: none that change the tuples' layout
  const extension = reader.int32();
  if (extension < 0 || extension > reader.left) fail("its header extension is cut short");
  reader.bytes(extension);
  const rows: BinaryRow[] = [];
  for (;;) {
    if (reader.left < 2) fail(`ends after ${rows.length} rows without its trailer`);
    const columns = reader.int16();
    if (columns === -1) break;
    const row: BinaryRow = new Array<Buffer | null>(columns);
    for (let i = 0; i < columns; i++) {
      if (reader.left < 4) fail(`row ${rows.length + 1} is cut short`);
      const length = reader.int32();
      if (length === -1) {
        row[i] = null;
        continue;
      }
      if (length < 0 || length > reader.left) fail(`row ${rows.length + 1} is cut short`);
      row[i] = reader.bytes(length);
    }
    rows.push(row);
  }
  if (reader.left !== 0) fail(`${reader.left} bytes follow its trailer`);
  return rows;
}
