import { describe, expect, it } from "vitest";
import { MAX_TRAIL_PAGES, pagesBehind, stepBack, stepForward, type CursorTrail } from "./cursor-trail";

describe("cursor trail", () => {
  it("walks forward and back to the first page", () => {
    let trail: CursorTrail | null = null;
    trail = stepForward(trail, "status=failed", null, "c1");
    trail = stepForward(trail, "status=failed", "c1", "c2");
    expect(pagesBehind(trail, "status=failed", "c2")).toEqual([null, "c1"]);

    const back1 = stepBack(trail, "status=failed", "c2");
    expect(back1?.cursor).toBe("c1");
    const back2 = stepBack(back1!.trail, "status=failed", "c1");
    expect(back2?.cursor).toBeNull();
    expect(stepBack(back2!.trail, "status=failed", null)).toBeNull();
  });

  it("is ignored on another list or another page than it leads to", () => {
    const trail = stepForward(null, "status=failed", null, "c1");
    expect(pagesBehind(trail, "status=pending", "c1")).toEqual([]);
    expect(pagesBehind(trail, "status=failed", "c9")).toEqual([]);
    expect(stepBack(trail, "status=failed", "c9")).toBeNull();
    // Moving forward from a page the trail does not lead to starts a new trail there.
    expect(stepForward(trail, "status=failed", "c9", "c10").behind).toEqual(["c9"]);
  });

  it("keeps a bounded number of pages behind", () => {
    let trail: CursorTrail | null = null;
    let at: string | null = null;
    for (let page = 1; page <= MAX_TRAIL_PAGES + 10; page += 1) {
      trail = stepForward(trail, "", at, `c${page}`);
      at = `c${page}`;
    }
    const behind = pagesBehind(trail, "", at);
    expect(behind).toHaveLength(MAX_TRAIL_PAGES);
    expect(behind.at(-1)).toBe(`c${MAX_TRAIL_PAGES + 9}`);
  });
});
