import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { expect, test } from "@playwright/test";
import { MESSAGES_API, type BrowsePage, type MessageView, type SearchProgress, type SearchResult, type TopicsResponse } from "@/lib/contracts/messages";
import type { TailBatch } from "@/lib/contracts/tail";
import { bearer } from "./lib/stack-auth";
import { openSocket, type RawSocket } from "./lib/raw-socket";
import { insertOutboxEvent } from "./outbox-traffic";

/**
 * The Messages API over HTTP and the socket, against the real CDC topic of the test stack: bad
 * input named, missing topics and partitions 404, a browse page and one message by position, a
 * search watched to its end, an export, and the live tail's server-side filter.
 */

const env = parseEnv(readFileSync(resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env"), "utf8"));
const TOPIC = env.OUTBOX_TOPIC!;
const viewer = bearer("viewer");

async function socketFor(baseURL: string): Promise<RawSocket> {
  const opened = await openSocket(baseURL, viewer);
  if (!("socket" in opened)) throw new Error(`socket refused: ${opened.refused}`);
  return opened.socket;
}

test.describe("Messages API", () => {
  test("invalid parameters get 422 naming the parameter; missing topics and partitions 404", async ({ request }) => {
    const cases: [string, RegExp][] = [
      ["from=yesterday", /from/],
      ["limit=9999", /limit.*≤ 500/],
      ["partition=x", /partition/],
      ["evil=1", /evil/],
      ["from=12", /an offset needs one partition/],
      ["dir=sideways", /dir/],
    ];
    for (const [query, message] of cases) {
      const response = await request.get(`${MESSAGES_API.list}?${query}`, { headers: viewer });
      expect(response.status(), query).toBe(422);
      expect((await response.json()).error, query).toMatch(message);
    }
    const foreign = await request.get(`${MESSAGES_API.list}?topic=connect-configs`, { headers: viewer });
    expect(foreign.status()).toBe(404);
    expect((await foreign.json()).error).toMatch(/not one this dashboard reads/);
    const partition = await request.get(`${MESSAGES_API.list}?partition=999`, { headers: viewer });
    expect(partition.status()).toBe(404);
    expect((await partition.json()).error).toMatch(/partition 999 does not exist/);
    const search = await request.post(MESSAGES_API.search, { headers: viewer, data: { partitions: [999] } });
    expect(search.status()).toBe(404);
    const badSearch = await request.post(MESSAGES_API.search, { headers: viewer, data: { filter: { path: { path: "after.x)(", match: "equals", value: "1" } } } });
    expect(badSearch.status()).toBe(422);
    expect((await badSearch.json()).error).toMatch(/filter\.path\.path/);
    const badExport = await request.get(`${MESSAGES_API.export}?format=xml`, { headers: viewer });
    expect(badExport.status()).toBe(422);
    expect((await badExport.json()).error).toMatch(/format/);
    const badPosition = await request.get(MESSAGES_API.one(TOPIC, 0, "-1"), { headers: viewer });
    expect(badPosition.status()).toBe(422);
  });

  test("lists the topic, browses its newest page and reads one message by position", async ({ request }) => {
    const eventType = `ApiBrowse${randomUUID().slice(0, 8)}`;
    const eventId = randomUUID();
    await insertOutboxEvent({ eventId, aggregateId: "browse-1", aggregateType: "User", eventType, payload: { marker: eventType } });

    const topics = (await (await request.get(MESSAGES_API.topics, { headers: viewer })).json()) as TopicsResponse;
    const outbox = topics.topics.find((topic) => topic.topic === TOPIC)!;
    expect(outbox.outbox).toBe(true);
    expect(outbox.partitions.length).toBeGreaterThan(0);

    // The insert reaches the topic through Debezium within seconds.
    let found: MessageView | undefined;
    await expect
      .poll(async () => {
        const page = (await (await request.get(`${MESSAGES_API.list}?from=end&limit=200`, { headers: viewer })).json()) as BrowsePage;
        found = page.messages.find((message) => message.eventId === eventId);
        return found !== undefined;
      }, { timeout: 30_000 })
      .toBe(true);
    expect(found!.decoded.kind).toBe("change");
    const { partition, offset } = found!.decoded;
    const one = (await (await request.get(MESSAGES_API.one(TOPIC, partition, offset), { headers: viewer })).json()) as MessageView;
    expect(one.eventId).toBe(eventId);
    expect(one.decoded.kind === "change" && one.decoded.after?.payload).toEqual({ marker: eventType });
    const missing = await request.get(MESSAGES_API.one(TOPIC, partition, "999999999"), { headers: viewer });
    expect(missing.status()).toBe(404);
  });

  test("a search is watched over the socket to its end; its results and export agree", async ({ request, baseURL }) => {
    const eventType = `ApiSearch${randomUUID().slice(0, 8)}`;
    const ids = [randomUUID(), randomUUID()];
    for (const [i, eventId] of ids.entries()) {
      await insertOutboxEvent({ eventId, aggregateId: `s-${i}`, aggregateType: "Payment", eventType, payload: { order: { id: `o-${i}` } } });
    }
    const socket = await socketFor(baseURL!);
    try {
      let result: SearchResult | undefined;
      // Until both inserts (creates) are on the topic: each search covers the topic as it is when it starts.
      await expect
        .poll(async () => {
          const started = await request.post(MESSAGES_API.search, { headers: viewer, data: { filter: { eventType, op: ["c"] } } });
          expect(started.status()).toBe(202);
          const { searchId } = (await started.json()) as SearchProgress;
          const final = new Promise<SearchProgress>((done) => {
            socket.on("search:progress", (progress) => {
              if (progress.searchId === searchId && progress.state === "done") done(progress);
            });
          });
          socket.emit("search:watch", { searchId });
          const progress = await final;
          expect(progress.stopReason).toBe("range-end");
          expect(progress.scanned).toBe(progress.rangeTotal);
          result = (await (await request.get(MESSAGES_API.searchOne(searchId), { headers: viewer })).json()) as SearchResult;
          return result.matched;
        }, { timeout: 30_000 })
        .toBe(2);
      expect(result!.results.map((r) => r.eventId).sort()).toEqual([...ids].sort());

      const byField = await request.post(MESSAGES_API.search, { headers: viewer, data: { filter: { eventType, path: { path: "payload.order.id", match: "equals", value: "o-1" } } } });
      const fieldSearch = (await byField.json()) as SearchProgress;
      await expect.poll(async () => ((await (await request.get(MESSAGES_API.searchOne(fieldSearch.searchId), { headers: viewer })).json()) as SearchResult).state).toBe("done");
      const fieldResult = (await (await request.get(MESSAGES_API.searchOne(fieldSearch.searchId), { headers: viewer })).json()) as SearchResult;
      // The create and, once processed, the processor's update of the same row.
      expect(new Set(fieldResult.results.map((r) => r.eventId))).toEqual(new Set([ids[1]]));

      const exported = await request.get(`${MESSAGES_API.export}?format=jsonl&filter=${encodeURIComponent(JSON.stringify({ eventType, op: ["c"] }))}`, { headers: viewer });
      expect(exported.status()).toBe(200);
      expect(exported.headers()["content-disposition"]).toMatch(/attachment; filename=".*\.jsonl"/);
      const lines = (await exported.text()).trim().split("\n").map((line) => JSON.parse(line) as { outbox: { eventId: string } });
      expect(lines.map((line) => line.outbox.eventId).sort()).toEqual([...ids].sort());
    } finally {
      socket.close();
    }
  });

  test("a search is cancelled by its owner and hidden from other readers", async ({ request }) => {
    const started = (await (await request.post(MESSAGES_API.search, { headers: viewer, data: { filter: { text: "never-anywhere" }, timeoutMs: 60_000 } })).json()) as SearchProgress;
    const other = await request.get(MESSAGES_API.searchOne(started.searchId), { headers: bearer("operator") });
    expect(other.status()).toBe(404);
    const cancelled = await request.post(MESSAGES_API.searchCancel(started.searchId), { headers: viewer, data: {} });
    expect(cancelled.status()).toBe(200);
    const progress = (await cancelled.json()) as SearchProgress;
    expect(progress.state).toBe("done");
    // A small topic may be read to its end before the cancel arrives.
    expect(["cancelled", "range-end"]).toContain(progress.stopReason);
  });

  test("the live tail sends a filtered subscriber only the records it asked for, with the true counts", async ({ baseURL }) => {
    const eventType = `ApiTail${randomUUID().slice(0, 8)}`;
    const socket = await socketFor(baseURL!);
    try {
      const batches: TailBatch[] = [];
      socket.on("tail:batch", (batch) => batches.push(batch));
      socket.emit("tail:subscribe", { filter: { eventType } });
      const eventId = randomUUID();
      await insertOutboxEvent({ eventId, aggregateId: "tail-1", aggregateType: "User", eventType, payload: {} });
      await expect.poll(() => batches.some((batch) => batch.records.some((record) => record.eventId === eventId)), { timeout: 30_000 }).toBe(true);
      expect(batches.flatMap((batch) => batch.records).every((record) => record.eventType === eventType)).toBe(true);
      expect(batches.every((batch) => batch.readSinceLast >= batch.matchedSinceLast && batch.matchedSinceLast >= batch.records.length)).toBe(true);
      const refused = new Promise<{ event: string; message: string }>((done) => socket.once("request:error", done));
      socket.emit("tail:subscribe", { filter: { op: ["x"] } });
      expect(await refused).toMatchObject({ event: "tail:subscribe", message: expect.stringMatching(/filter\.op/) });
    } finally {
      socket.close();
    }
  });
});
