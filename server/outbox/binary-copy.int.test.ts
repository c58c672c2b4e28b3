// Binary COPY against the real PostgreSQL of the test stack: the bytes of text columns as stored,
// NULLs, and a COPY that fails leaving the pool usable.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { stackConfig, stackEnv } from "@/stack/config";
import { silentLogger } from "@/server/log";
import { copyBinaryRows, copyToStream } from "./binary-copy";
import { createPool } from "./db";

const env = stackEnv(stackConfig({ profile: "test" }));
let pool: pg.Pool;

beforeAll(() => {
  pool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 5_000, maxConnections: 1 }, silentLogger);
});
afterAll(async () => {
  await pool.end();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("copyBinaryRows", () => {
  it("gives each text column as its UTF-8 bytes, NULL as null, rows in the SELECT's order", async () => {
    const text = `é ☃ 😀 "quoted" \\ tab\there`;
    const rows = await copyBinaryRows(pool, `SELECT i::text, CASE WHEN i = 2 THEN NULL ELSE ${pg.escapeLiteral(text)} || i END, repeat('x', i * 100000) FROM generate_series(1, 3) AS i ORDER BY i DESC`);
    expect(rows.map((row) => row.map((column) => column?.toString("utf8") ?? null))).toEqual([
      ["3", `${text}3`, "x".repeat(300_000)],
      ["2", null, "x".repeat(200_000)],
      ["1", `${text}1`, "x".repeat(100_000)],
    ]);
    expect(rows[0]![1]!.equals(Buffer.from(`${text}3`, "utf8"))).toBe(true);
    expect(await copyBinaryRows(pool, "SELECT 1 WHERE false")).toEqual([]);
  });

  it("rejects with PostgreSQL's error when the COPY fails part-way, and the pool's connection serves the next query", async () => {
    await expect(copyBinaryRows(pool, "SELECT 10 / (3 - i) FROM generate_series(1, 5) AS i")).rejects.toThrow("division by zero");
    // One connection in the pool: the failed COPY's was replaced or given back in a usable state.
    expect((await pool.query<{ n: number }>("SELECT 41 + 1 AS n")).rows).toEqual([{ n: 42 }]);
    expect((await copyBinaryRows(pool, "SELECT 'again'"))[0]![0]!.toString()).toBe("again");
  });

  it("disarms node-postgres's query timeout when the COPY ends, and a COPY that hangs still times out", async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL!, query_timeout: 1_000 } as pg.ClientConfig);
    await client.connect();
    try {
      // Only the timers are fake: the COPY itself runs on the real socket.
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      const chunks: Buffer[] = [];
      for await (const chunk of client.query(copyToStream("COPY (SELECT 1) TO STDOUT (FORMAT binary)"))) chunks.push(chunk as Buffer);
      expect(chunks.length).toBeGreaterThan(0);
      // A query queued behind the COPY answers after the COPY's end was read; its own timer is
      // disarmed when it answers, so no timer may be left.
      expect((await client.query<{ n: number }>("SELECT 1 AS n")).rows).toEqual([{ n: 1 }]);
      expect(vi.getTimerCount()).toBe(0);

      const hung = client.query(copyToStream("COPY (SELECT pg_sleep(30)) TO STDOUT (FORMAT binary)"));
      const read = (async () => {
        for await (const chunk of hung) chunks.push(chunk as Buffer);
      })();
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(1_000);
      await expect(read).rejects.toThrow("Query read timeout");
    } finally {
      vi.useRealTimers();
      // The hung COPY's backend is still sleeping: end the connection rather than wait for it.
      await client.end().catch(() => undefined);
    }
  });
});
