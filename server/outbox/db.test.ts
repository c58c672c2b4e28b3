import { EventEmitter } from "node:events";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { isRequestError } from "@/server/http/request-error";
import { silentLogger as quiet } from "@/server/log";
import { createPool, withPooledClient, type Pool } from "./db";


describe("createPool's gate", () => {
  // A port nothing listens on: were the gate to let a query through, it would fail with ECONNREFUSED instead.
  const connectionString = "postgresql://nobody@127.0.0.1:1/none";

  it("refuses queries and connections at once, with the reason, while PostgreSQL is known silent", async () => {
    const pool = createPool({ connectionString, connectionTimeoutMs: 5_000, unavailable: () => "timed out after 2000 ms" }, quiet);
    const error = await pool.query("SELECT 1").catch((caught: unknown) => caught);
    expect(isRequestError(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining("PostgreSQL is not answering (timed out after 2000 ms)") });
    await expect(pool.connect()).rejects.toMatchObject({ status: 503 });
    expect(pool.totalCount).toBe(0);
    await pool.end();
  });

  it("connects as usual once the reason is gone", async () => {
    let reason: string | null = "down";
    const pool = createPool({ connectionString, connectionTimeoutMs: 5_000, unavailable: () => reason }, quiet);
    await expect(pool.query("SELECT 1")).rejects.toMatchObject({ status: 503 });
    reason = null;
    await expect(pool.query("SELECT 1")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await pool.end();
  });
});

/**
 * A pool whose new client receives a termination in the same chunk as its ReadyForQuery: the
 * error is emitted while pg-pool hands the client over, before any promise continuation runs.
 */
function poolTerminatingOnHandOver(): { pool: Pool; released: unknown[] } {
  const released: unknown[] = [];
  const pool = {
    connect(callback: (error: Error | undefined, client: pg.PoolClient) => void) {
      const client = Object.assign(new EventEmitter(), { release: (destroy?: unknown) => released.push(destroy) }) as unknown as pg.PoolClient;
      callback(undefined, client);
      client.emit("error", new Error("terminating connection due to administrator command"));
    },
  } as unknown as Pool;
  return { pool, released };
}

describe("withPooledClient", () => {
  it("catches an error emitted as the pool hands a new client over, and destroys that client", async () => {
    const { pool, released } = poolTerminatingOnHandOver();
    await expect(withPooledClient(pool, async () => "done")).resolves.toBe("done");
    expect(released).toEqual([true]);
  });
});
