import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "./body";

const retrySchema = z.object({
  eventIds: z.array(z.uuid({ error: "must be a UUID" })).min(1, "must list at least one event"),
  reason: z.string().max(200).optional(),
});

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  return new Request("http://lens.test/api/outbox/retry", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

const ID = "6f1c2a52-0d3c-4f5e-9a3e-1b2c3d4e5f60";

describe("readJsonBody", () => {
  it("returns the validated body", async () => {
    expect(await readJsonBody(post(JSON.stringify({ eventIds: [ID] })), retrySchema)).toEqual({ ok: true, value: { eventIds: [ID] } });
  });

  it("refuses an unknown field with 422, naming it, even though the schema was not declared strict", async () => {
    const result = await readJsonBody(post(JSON.stringify({ eventIds: [ID], evntIds: [ID], force: true })), retrySchema);
    expect(result).toEqual({ ok: false, status: 422, message: 'invalid request body: unknown fields "evntIds", "force"' });
  });

  it("names the invalid field and the problem", async () => {
    const result = await readJsonBody(post(JSON.stringify({ eventIds: [ID, "nope"] })), retrySchema);
    expect(result).toEqual({ ok: false, status: 422, message: 'invalid request body: field "eventIds[1]": must be a UUID' });
    const empty = await readJsonBody(post(JSON.stringify({ eventIds: [] })), retrySchema);
    expect(empty).toMatchObject({ status: 422, message: expect.stringContaining('field "eventIds": must list at least one event') });
  });

  it("names unknown fields of nested strict objects with their path", async () => {
    const schema = z.strictObject({ filter: z.strictObject({ status: z.string() }) });
    const result = await readJsonBody(post(JSON.stringify({ filter: { status: "failed", limit: 5 } })), schema);
    expect(result).toMatchObject({ status: 422, message: 'invalid request body: unknown field "filter.limit"' });
  });

  it("refuses a body over the cap with 413, by Content-Length or by counting", async () => {
    const big = JSON.stringify({ eventIds: [ID], reason: "x".repeat(MAX_JSON_BODY_BYTES) });
    expect(await readJsonBody(post(big), retrySchema)).toMatchObject({ ok: false, status: 413 });

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let chunk = 0; chunk < 10; chunk += 1) controller.enqueue(new Uint8Array(16 * 1024).fill(32));
        controller.close();
      },
    });
    expect(await readJsonBody(post(stream), retrySchema)).toMatchObject({ ok: false, status: 413, message: expect.stringContaining(`${MAX_JSON_BODY_BYTES} bytes`) });
  });

  it("refuses an empty body or one that is not JSON with 400", async () => {
    expect(await readJsonBody(post(null), retrySchema)).toMatchObject({ ok: false, status: 400, message: expect.stringContaining("empty") });
    expect(await readJsonBody(post("eventIds=1"), retrySchema)).toMatchObject({ ok: false, status: 400, message: expect.stringContaining("not valid JSON") });
  });
});
