import { describe, expect, it } from "vitest";
import type { MessageView } from "@/lib/contracts/messages";
import type { DecodedRecord } from "@/lib/debezium";
import { browseExportRange, exportHref, searchExportRange } from "./export-links";
import { keyText } from "@/lib/messages/filter";
import { exportFileName, exportedMessage, messagesCsv, toJsonLines } from "./export-records";

const envelope = { before: null, after: { event_id: "e1", payload: '{"note":"<script>alert(1)</script>"}' }, source: { lsn: 1 }, op: "c", ts_ms: 5 };

function view(overrides: Partial<MessageView["raw"]["value"]> = {}): MessageView {
  const decoded = {
    kind: "change",
    topic: "t",
    partition: 1,
    offset: "42",
    timestamp: Date.UTC(2026, 0, 31, 12),
    sizeBytes: 300,
    valueSizeBytes: 250,
    key: { kind: "json", value: { event_id: "e1" }, schemaWrapped: false, sizeBytes: 18 },
    headers: [
      { key: "x-replay-id", kind: "text", text: "7", truncated: false, sizeBytes: 12 },
      { key: "bin", kind: "binary", hex: "ff00", truncated: false, sizeBytes: 5 },
    ],
    truncated: false,
    preview: undefined,
    problems: [],
    op: "c",
    rawOp: "c",
    before: null,
    after: { event_id: "e1", payload: { note: "<script>alert(1)</script>" } },
    outbox: { eventId: "e1", eventType: "=cmd", aggregateType: "Order", aggregateId: "o1", status: "pending" },
  } as unknown as DecodedRecord;
  const data = JSON.stringify(envelope);
  return {
    decoded,
    raw: { key: { encoding: "utf8", data: '{"event_id":"e1"}', sizeBytes: 18, truncated: false }, value: { encoding: "utf8", data, sizeBytes: data.length, truncated: false, ...overrides } },
    eventId: "e1",
    masked: false,
  };
}

describe("exported messages", () => {
  it("is the decoded record with its time as ISO text, as the server exports it", () => {
    const exported = exportedMessage(view());
    expect(exported).toMatchObject({ topic: "t", partition: 1, offset: "42", kind: "change", op: "c", timestampIso: "2026-01-31T12:00:00.000Z" });
    expect(exported.key).toEqual({ kind: "json", value: { event_id: "e1" }, schemaWrapped: false, sizeBytes: 18 });
  });

  it("writes JSON Lines that parse back", () => {
    const lines = toJsonLines([exportedMessage(view()), exportedMessage(view())]).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    expect(JSON.parse(lines[0]!)).toMatchObject({ offset: "42", after: { event_id: "e1", payload: { note: "<script>alert(1)</script>" } } });
  });

  it("writes the server's CSV columns, guarding against formulas", () => {
    const csv = messagesCsv([exportedMessage(view())]).split("\r\n");
    expect(csv[0]).toBe("topic,partition,offset,timestamp,key,kind,op,event_id,event_type,aggregate_type,aggregate_id,status,size_bytes,value,problems");
    expect(csv[1]).toBe(`t,1,42,2026-01-31T12:00:00.000Z,"{""event_id"":""e1""}",change,c,e1,'=cmd,Order,o1,pending,300,"{""event_id"":""e1"",""payload"":{""note"":""<script>alert(1)</script>""}}",`);
    const tombstone = { ...exportedMessage(view()), kind: "tombstone", eventId: "e9" } as unknown as DecodedRecord;
    expect(messagesCsv([tombstone]).split("\r\n")[1]).toBe('t,1,42,2026-01-31T12:00:00.000Z,"{""event_id"":""e1""}",tombstone,tombstone,e9,,,,,300,,');
  });

  it("shows keys as one line", () => {
    expect(keyText({ kind: "json", value: { event_id: "e1" }, schemaWrapped: false, sizeBytes: 1 })).toBe('{"event_id":"e1"}');
    expect(keyText({ kind: "json", value: "plain", schemaWrapped: false, sizeBytes: 1 })).toBe('"plain"');
    expect(keyText({ kind: "json", value: null, schemaWrapped: false, sizeBytes: 4 })).toBe("null");
    expect(keyText({ kind: "text", text: "k", truncated: false, sizeBytes: 1 })).toBe("k");
    expect(keyText({ kind: "null", sizeBytes: 0 })).toBeNull();
    expect(exportFileName(["postgres.activity/x", 1, "42"], "json")).toBe("postgres.activity_x-1-42.json");
  });
});

describe("export links", () => {
  it("exports a browse range from the page's start", () => {
    const range = browseExportRange({ topic: "t", partition: "all" }, { topic: "t", older: { from: "@0:10,1:20", dir: "backward" } }, 50);
    expect(exportHref(range, "jsonl")).toBe("/api/messages/export?topic=t&from=%400%3A10%2C1%3A20&format=jsonl&limit=50");
    const first = browseExportRange({ partition: 2 }, { topic: "t", older: null }, 200_000);
    expect(exportHref(first, "csv")).toBe("/api/messages/export?topic=t&partition=2&from=beginning&format=csv&limit=100000");
  });

  it("exports a search's range and filter", () => {
    const range = searchExportRange(
      { topic: "t", partitions: [3], from: "beginning", to: "2026-01-01T00:00:00Z", filter: { eventType: "E" }, maxScanned: 1, maxResults: 10, timeoutMs: 100 },
      10,
    );
    expect(range.allPartitions).toBe(false);
    const url = new URL(exportHref(range, "jsonl"), "http://x");
    expect(Object.fromEntries(url.searchParams)).toEqual({ topic: "t", partition: "3", from: "beginning", to: "2026-01-01T00:00:00Z", format: "jsonl", limit: "10", filter: '{"eventType":"E"}' });
    const several = searchExportRange({ partitions: [0, 1], from: "beginning", to: "end", filter: {}, maxScanned: 1, maxResults: 10, timeoutMs: 100 }, 10);
    expect(several).toMatchObject({ partition: "all", allPartitions: true });
    expect(exportHref(several, "csv")).not.toContain("filter=");
  });
});
