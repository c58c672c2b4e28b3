import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { outboxFilterSchema } from "@/lib/contracts/outbox";
import { filterFromSearchParams, filterOfView, firstPageOf, invalidSearchParams, listKey, searchParamsFromFilter, searchParamsFromForm } from "./url-state";

const params = (query: string) => new URLSearchParams(query);

describe("filterFromSearchParams", () => {
  it("reads every filter field, the order and the cursor, with numbers as numbers", () => {
    const view = filterFromSearchParams(
      params(
        "status=failed&eventType=OrderPlaced&aggregateType=order&aggregateId=42&createdFrom=2026-01-31T12:00:00%2B01:00" +
          "&createdTo=2026-02-01T00:00:00Z&error=timeout&retryCountMin=1&retryCountMax=5&order=oldest&cursor=abc",
      ),
    );
    expect(view).toEqual({
      status: "failed",
      eventType: "OrderPlaced",
      aggregateType: "order",
      aggregateId: "42",
      createdFrom: "2026-01-31T12:00:00+01:00",
      createdTo: "2026-02-01T00:00:00Z",
      error: "timeout",
      retryCountMin: 1,
      retryCountMax: 5,
      order: "oldest",
      cursor: "abc",
    });
  });

  it("defaults to the newest first, on the first page, with no filter", () => {
    expect(filterFromSearchParams(params(""))).toEqual({ order: "newest" });
  });

  it("treats empty parameters as absent and trims texts", () => {
    expect(filterFromSearchParams(params("status=&eventType=%20%20&aggregateId=%20x%20"))).toEqual({ order: "newest", aggregateId: "x" });
  });

  it("leaves out what is not valid, says why, and ignores unknown parameters", () => {
    const query = params("status=archived&retryCountMin=many&createdFrom=yesterday&order=random&eventType=OrderPlaced&utm_source=mail");
    expect(filterFromSearchParams(query)).toEqual({ order: "newest", eventType: "OrderPlaced" });
    expect(invalidSearchParams(query)).toEqual([
      { param: "status", message: "must be pending, processed or failed" },
      { param: "createdFrom", message: "must be an ISO 8601 time like 2026-01-31T12:00:00Z" },
      { param: "retryCountMin", message: "must be a number" },
      { param: "order", message: "must be newest or oldest" },
    ]);
  });

  it("refuses a cursor longer than the server issues", () => {
    expect(filterFromSearchParams(params(`cursor=${"x".repeat(301)}`)).cursor).toBeUndefined();
  });
});

describe("searchParamsFromFilter", () => {
  it("writes fields in a fixed order, leaving out the default order and empty values", () => {
    const query = searchParamsFromFilter({ retryCountMin: 0, status: "failed", eventType: "", order: "newest", cursor: "c2" });
    expect(query.toString()).toBe("status=failed&retryCountMin=0&cursor=c2");
    expect(searchParamsFromFilter({ order: "oldest" }).toString()).toBe("order=oldest");
  });

  it("round-trips with filterFromSearchParams", () => {
    const view = filterFromSearchParams(params("error=deadlock+detected&createdTo=2026-02-01T00:00:00.5-03:30&order=oldest&retryCountMax=3"));
    expect(filterFromSearchParams(searchParamsFromFilter(view))).toEqual(view);
  });
});

describe("filterOfView and listKey", () => {
  it("drop order and paging for an action's filter target, which the contract accepts", () => {
    const view = filterFromSearchParams(params("status=failed&eventType=X&order=oldest&cursor=c1"));
    const filter = filterOfView(view);
    expect(filter).toEqual({ status: "failed", eventType: "X" });
    expect(outboxFilterSchema.safeParse(filter).success).toBe(true);
    expect(filterOfView(filterFromSearchParams(params("")))).toEqual({});
  });

  it("name the list, not the page", () => {
    const page1 = filterFromSearchParams(params("status=failed"));
    const page3 = filterFromSearchParams(params("status=failed&cursor=c3"));
    expect(listKey(page1)).toBe(listKey(page3));
    expect(firstPageOf(page3).cursor).toBeUndefined();
    expect(listKey(filterFromSearchParams(params("status=failed&order=oldest")))).not.toBe(listKey(page1));
  });
});

describe("searchParamsFromForm", () => {
  const originalTz = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = "Europe/Berlin";
  });
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it("trims, drops empty fields and 'all', converts local times, starts on the first page", () => {
    const query = searchParamsFromForm({
      status: "all",
      eventType: " OrderPlaced ",
      aggregateId: "",
      createdFrom: "2026-01-31T12:00",
      retryCountMin: "2",
      order: "oldest",
    });
    expect(query.toString()).toBe("eventType=OrderPlaced&createdFrom=2026-01-31T12%3A00%3A00%2B01%3A00&retryCountMin=2&order=oldest");
    expect(filterFromSearchParams(query)).toEqual({ eventType: "OrderPlaced", createdFrom: "2026-01-31T12:00:00+01:00", retryCountMin: 2, order: "oldest" });
  });

  it("passes on what it cannot convert, for the page to report", () => {
    const query = searchParamsFromForm({ createdTo: "soon", retryCountMax: "-1" });
    expect(invalidSearchParams(query).map((ignored) => ignored.param)).toEqual(["createdTo", "retryCountMax"]);
  });
});
