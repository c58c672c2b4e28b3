import { describe, expect, it } from "vitest";
import {
  browseKey,
  formatMessageRef,
  linkOf,
  liveFilterKey,
  messagesHref,
  messagesQuery,
  parseMessageRef,
  parseMessagesUrl,
  searchFormKey,
  switchMode,
} from "./url-state";

const params = (query: string) => new URLSearchParams(query);
const TOPIC = "postgres.activity.event_outbox";

describe("messages URL state", () => {
  it("opens in live mode with no filter", () => {
    const state = parseMessagesUrl(params(""));
    expect(state.mode).toBe("live");
    expect(state.live.filter).toEqual({});
    expect(state.message).toBeNull();
    expect(state.ignored).toEqual([]);
    expect(state.browse).toMatchObject({ partition: "all", from: "end", start: { kind: "end" }, limit: 50 });
    expect(state.search).toMatchObject({ from: "beginning", to: "end", filter: {}, maxScanned: 1_000_000, maxResults: 200, timeoutMs: 60_000 });
  });

  it("reads the live quick filters", () => {
    const state = parseMessagesUrl(params("op=c,u,c&eventType=OrderPlaced&aggregateId=42&partition=3&text=%3Cscript%3E"));
    expect(state.live.filter).toEqual({ op: ["c", "u"], eventType: "OrderPlaced", aggregateId: "42", partition: 3, text: "<script>" });
  });

  it("leaves out invalid values of the current mode and names them", () => {
    const state = parseMessagesUrl(params("op=c,x&partition=-1&eventType=Ok&msg=nope"));
    expect(state.live.filter).toEqual({ eventType: "Ok" });
    expect(state.ignored.map((entry) => entry.param)).toEqual(["msg", "op", "partition"]);
    expect(state.ignored[2]?.message).toBe("must be ≥ 0");
  });

  it("reports only the current mode's parameters", () => {
    const state = parseMessagesUrl(params("mode=browse&maxScanned=abc&limit=9999"));
    expect(state.ignored).toEqual([{ param: "limit", message: "must be ≤ 500" }]);
    expect(parseMessagesUrl(params("mode=sideways")).ignored).toEqual([{ param: "mode", message: "must be live, browse or search" }]);
  });

  it("reads a browse range and refuses an offset across all partitions", () => {
    const state = parseMessagesUrl(params(`mode=browse&topic=${TOPIC}&partition=2&from=1234&limit=20`));
    expect(state.browse).toEqual({ topic: TOPIC, partition: 2, from: "1234", start: { kind: "offset", offset: "1234" }, limit: 20 });
    const all = parseMessagesUrl(params("mode=browse&from=1234"));
    expect(all.browse.from).toBe("end");
    expect(all.ignored).toEqual([{ param: "from", message: "an offset needs one partition (set partition)" }]);
  });

  it("reads times, end-N and page cursors as browse starts", () => {
    expect(parseMessagesUrl(params("mode=browse&from=2026-01-31T12:00:00Z")).browse.start).toEqual({ kind: "time", timeMs: Date.UTC(2026, 0, 31, 12) });
    expect(parseMessagesUrl(params("mode=browse&from=end-100")).browse.start).toEqual({ kind: "endMinus", count: 100 });
    const cursor = parseMessagesUrl(params("mode=browse&from=@0:120,1:98&dir=backward"));
    expect(cursor.browse).toMatchObject({ from: "@0:120,1:98", dir: "backward", start: { kind: "positions", positions: { 0: "120", 1: "98" } } });
    expect(parseMessagesUrl(params("mode=browse&from=yesterday")).ignored[0]?.param).toBe("from");
  });

  it("reads a search: filter, header, JSON path and limits", () => {
    const state = parseMessagesUrl(
      params(
        "mode=search&topic=t1&partitions=2,0&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&op=u&eventType=E&key=k&headerName=x-replay-id&headerValue=7&path=payload.customer.id&match=equals&value=c-1&text=boom&maxScanned=5000&maxResults=10&timeoutMs=2000&search=s_1",
      ),
    );
    expect(state.ignored).toEqual([]);
    expect(state.search).toEqual({
      topic: "t1",
      partitions: [0, 2],
      from: "2026-01-01T00:00:00Z",
      to: "2026-01-02T00:00:00Z",
      filter: {
        op: ["u"],
        eventType: "E",
        key: "k",
        header: { name: "x-replay-id", value: "7" },
        path: { path: "payload.customer.id", match: "equals", value: "c-1" },
        text: "boom",
      },
      maxScanned: 5000,
      maxResults: 10,
      timeoutMs: 2000,
      searchId: "s_1",
    });
  });

  it("names the half of a search filter that is missing or wrong", () => {
    expect(parseMessagesUrl(params("mode=search&headerValue=7")).ignored).toEqual([{ param: "headerName", message: "is needed with headerValue" }]);
    expect(parseMessagesUrl(params("mode=search&path=payload.id&match=equals")).ignored).toEqual([{ param: "value", message: "is needed for equals" }]);
    expect(parseMessagesUrl(params("mode=search&path=constructor()")).ignored[0]?.param).toBe("path");
    expect(parseMessagesUrl(params("mode=search&value=3")).ignored).toEqual([{ param: "value", message: "needs path" }]);
    expect(parseMessagesUrl(params("mode=search&path=payload.id")).search.filter.path).toEqual({ path: "payload.id", match: "exists" });
    expect(parseMessagesUrl(params("mode=search&maxScanned=99999999999")).ignored[0]).toEqual({ param: "maxScanned", message: "must be ≤ 20000000" });
  });

  it("round-trips every mode, defaults left out, in a fixed order", () => {
    for (const query of [
      "partition=1&op=c,u&eventType=E",
      "mode=browse&topic=t1&partition=0&from=@0:5&dir=forward&limit=20",
      "mode=search&topic=t1&partitions=0,1&op=d&path=after.status&match=contains&value=fail&maxResults=10&search=abc&msg=t1:0:17",
    ]) {
      const state = parseMessagesUrl(params(query));
      expect(messagesQuery(linkOf(state)).toString()).toBe(query.replace(/,/g, "%2C").replace(/:/g, "%3A").replace(/@/g, "%40"));
    }
    expect(messagesHref({ mode: "live", live: { filter: {} } })).toBe("/messages");
  });

  it("names lists apart from the message open and the search shown", () => {
    const a = parseMessagesUrl(params("mode=browse&partition=1&msg=t:1:5"));
    const b = parseMessagesUrl(params("mode=browse&partition=1&msg=t:1:6"));
    expect(browseKey(a.browse)).toBe(browseKey(b.browse));
    expect(liveFilterKey({ eventType: "E" })).toBe("eventType=E");
    const s1 = parseMessagesUrl(params("mode=search&eventType=E&search=one"));
    const s2 = parseMessagesUrl(params("mode=search&eventType=E&search=two"));
    expect(searchFormKey(s1.search)).toBe(searchFormKey(s2.search));
  });

  it("carries the filter and topic over when switching mode", () => {
    const live = parseMessagesUrl(params("op=u&eventType=E&partition=2&msg=t:2:9"));
    expect(messagesQuery(switchMode(live, "search")).toString()).toBe("mode=search&partitions=2&op=u&eventType=E");
    expect(messagesQuery(switchMode(live, "browse")).toString()).toBe("mode=browse&partition=2");
    const browse = parseMessagesUrl(params("mode=browse&topic=t9&from=beginning"));
    expect(messagesQuery(switchMode(browse, "search")).toString()).toBe("mode=search&topic=t9");
    const search = parseMessagesUrl(params("mode=search&topic=t9&key=k&text=x&search=abc"));
    expect(messagesQuery(switchMode(search, "live")).toString()).toBe("text=x");
  });

  it("writes and reads message positions", () => {
    expect(formatMessageRef({ topic: TOPIC, partition: 3, offset: "1234567890123" })).toBe(`${TOPIC}:3:1234567890123`);
    expect(parseMessageRef(`${TOPIC}:3:0001`)).toEqual({ topic: TOPIC, partition: 3, offset: "1" });
    expect(parseMessageRef("a:b:c")).toBeNull();
    expect(parseMessageRef("my topic:1:2")).toBeNull();
  });
});
