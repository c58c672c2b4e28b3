import { describe, expect, it } from "vitest";
import { failureResponse } from "./route-helpers";
import { RequestError } from "./request-error";

async function answer(error: unknown): Promise<{ status: number; error: string }> {
  const response = failureResponse(error, "outbox rows");
  return { status: response.status, error: ((await response.json()) as { error: string }).error };
}

describe("failureResponse", () => {
  it("says PostgreSQL did not answer when node-postgres gave up waiting on a query", async () => {
    expect(await answer(new Error("Query read timeout"))).toEqual({
      status: 503,
      error: "outbox rows: PostgreSQL did not answer within 2 s (it is hung or overloaded, or the filter is too broad)",
    });
  });

  it("says PostgreSQL did not accept a connection when the pool gave up connecting", async () => {
    for (const message of ["timeout exceeded when trying to connect", "Connection terminated due to connection timeout: Connection terminated unexpectedly"]) {
      expect(await answer(new Error(message))).toMatchObject({ status: 503, error: expect.stringMatching(/^outbox rows: PostgreSQL did not accept a connection in time/) });
    }
  });

  it("passes a request error's own status and message through", async () => {
    expect(await answer(new RequestError(503, "PostgreSQL is not answering (x)"))).toEqual({ status: 503, error: "PostgreSQL is not answering (x)" });
  });

  it("names a statement PostgreSQL cancelled, and a value that does not fit its column", async () => {
    expect(await answer(Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }))).toMatchObject({ status: 503, error: expect.stringContaining("cancelled by PostgreSQL") });
    expect(await answer(Object.assign(new Error("invalid input syntax for type uuid"), { code: "22P02" }))).toMatchObject({ status: 422 });
  });
});
