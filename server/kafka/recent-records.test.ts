import { describe, expect, it } from "vitest";
import { RecentRecords } from "./recent-records";

describe("RecentRecords", () => {
  it("keeps the newest records up to its count, oldest first", () => {
    const recent = new RecentRecords<number>(3, 1_000_000);
    for (let i = 1; i <= 5; i++) recent.push(i, 10);
    expect(recent.latest()).toEqual([3, 4, 5]);
    expect(recent.latest(2)).toEqual([4, 5]);
    expect(recent.bytes).toBe(30);
  });

  it("drops the oldest records to stay within its byte budget, but always keeps the newest", () => {
    const recent = new RecentRecords<string>(100, 1_000);
    recent.push("a", 400);
    recent.push("b", 400);
    recent.push("c", 400);
    expect(recent.latest()).toEqual(["b", "c"]);
    recent.push("huge", 5_000);
    expect(recent.latest()).toEqual(["huge"]);
    expect(recent.bytes).toBe(5_000);
  });

  it("empties on clear", () => {
    const recent = new RecentRecords<number>(2, 100);
    recent.push(1, 1);
    recent.clear();
    expect(recent.length).toBe(0);
    expect(recent.latest()).toEqual([]);
    recent.push(2, 1);
    expect(recent.latest()).toEqual([2]);
  });
});
