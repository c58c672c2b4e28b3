import { describe, expect, it } from "vitest";
import { busiestStretches, type CpuProfile } from "./cpu-profile";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 9, columnNumber: 0 });

// root → idle; root → task → parse; root → task → render
const nodes = [
  { id: 1, callFrame: frame("(root)"), children: [2, 3] },
  { id: 2, callFrame: frame("(idle)") },
  { id: 3, callFrame: frame("task", "http://x/app.js"), children: [4, 5] },
  { id: 4, callFrame: frame("parse", "http://x/app.js") },
  { id: 5, callFrame: frame("render", "http://x/app.js") },
];

/** One sample per millisecond of the given node ids. */
function profile(ids: number[]): CpuProfile {
  return { nodes, startTime: 0, endTime: ids.length * 1000, samples: ids, timeDeltas: ids.map(() => 1000) };
}

describe("busiestStretches", () => {
  it("finds the longest run of non-idle samples and its heaviest functions", () => {
    const ids = [2, 2, 4, 2, 2, 2, 2, 4, 4, 4, 5, 5, 4, 2, 2, 2];
    const [longest, next] = busiestStretches(profile(ids));
    expect(longest!.startMs).toBe(8);
    expect(longest!.durationMs).toBe(6);
    expect(longest!.top.map((entry) => [entry.name, entry.selfMs])).toEqual([
      ["parse app.js:10", 4],
      ["render app.js:10", 2],
    ]);
    expect(longest!.top[0]!.stack).toBe("task app.js:10");
    expect(next!.durationMs).toBe(1);
  });

  it("bridges an idle sample shorter than the gap tolerance", () => {
    const [only, none] = busiestStretches(profile([4, 4, 2, 5, 5, 2, 2, 2, 2]));
    expect(only!.durationMs).toBe(5);
    expect(none).toBeUndefined();
  });

  it("answers nothing for a profile without samples", () => {
    expect(busiestStretches({ nodes, startTime: 0, endTime: 0 })).toEqual([]);
  });
});
