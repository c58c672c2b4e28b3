import { describe, expect, it } from "vitest";
import { TraceMap } from "@jridgewell/trace-mapping";
import { busiestStretches, withSourceNames, type CpuProfile } from "./cpu-profile";

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

describe("withSourceNames", () => {
  it("names a minified frame from its script's source map and leaves the others", () => {
    // Generated line 1, column 0 → components/list.tsx line 5, column 2, name "renderRow".
    const map = new TraceMap({ version: 3, sources: ["webpack://app/./components/list.tsx"], names: ["renderRow"], mappings: "AAIEA" });
    const minified = { id: 1, callFrame: { functionName: "a", url: "http://x/_next/static/chunks/1.js", lineNumber: 0, columnNumber: 0 } };
    const other = { id: 2, callFrame: { functionName: "b", url: "http://x/other.js", lineNumber: 3, columnNumber: 1 } };
    const named = withSourceNames({ nodes: [minified, other], startTime: 0, endTime: 0 }, (url) => (url.includes("/_next/") ? map : null));
    expect(named.nodes[0]!.callFrame).toMatchObject({ functionName: "renderRow", url: "components/list.tsx", lineNumber: 4 });
    expect(named.nodes[1]).toBe(other);
  });
});
