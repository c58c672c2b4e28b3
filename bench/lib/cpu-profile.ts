// Reads a V8 CPU profile (the DevTools Protocol's Profiler.Profile, also Node's .cpuprofile) to
// answer "what ran during the long tasks?": the busiest stretches of the main thread (runs of
// samples that are not idle) and, in each, the functions with the most self time.
import { originalPositionFor, type TraceMap } from "@jridgewell/trace-mapping";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Stretch {
  /** Milliseconds from the profile's start. */
  startMs: number;
  durationMs: number;
  /** Functions by self time within the stretch, most first. */
  top: { name: string; selfMs: number; stack: string }[];
}

/** V8's pseudo-frames for a thread with nothing to run. */
const IDLE_FRAMES = new Set(["(idle)", "(program)"]);
/** Samples of idle shorter than this do not end a stretch: a task's microtasks are separated by a sample or two. */
const GAP_TOLERANCE_MS = 2;

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? url.slice(url.lastIndexOf("/") + 1) : "";
  return `${functionName || "(anonymous)"}${file ? ` ${file}:${lineNumber + 1}` : ""}`;
}

/** The `count` longest stretches of non-idle samples, each with its `topFunctions` heaviest functions. */
export function busiestStretches(profile: CpuProfile, count = 3, topFunctions = 6): Stretch[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id: number, depth = 6): string => {
    const names: string[] = [];
    for (let at: number | undefined = parent.get(id); at !== undefined && names.length < depth; at = parent.get(at)) {
      const node = byId.get(at)!;
      if (node.callFrame.functionName === "(root)") break;
      names.push(frameName(node));
    }
    return names.join(" < ");
  };

  // Sample i lasts until sample i + 1 (V8 records the delta before each sample).
  const stretches: { start: number; end: number; self: Map<number, number> }[] = [];
  let current: { start: number; end: number; self: Map<number, number> } | null = null;
  let time = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    time += deltas[i] ?? 0;
    const duration = (deltas[i + 1] ?? 0) / 1000;
    const node = byId.get(samples[i]!);
    const idle = !node || IDLE_FRAMES.has(node.callFrame.functionName) || node.callFrame.functionName === "(root)";
    const at = (time - profile.startTime) / 1000;
    if (idle) {
      if (current && at - current.end > GAP_TOLERANCE_MS) current = null;
      continue;
    }
    if (!current) {
      current = { start: at, end: at, self: new Map() };
      stretches.push(current);
    }
    current.end = at + duration;
    current.self.set(node.id, (current.self.get(node.id) ?? 0) + duration);
  }
  return stretches
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, count)
    .map((stretch) => {
      const byName = new Map<string, { selfMs: number; stack: string; heaviest: number }>();
      for (const [id, selfMs] of stretch.self) {
        const name = frameName(byId.get(id)!);
        const entry = byName.get(name) ?? { selfMs: 0, stack: stackOf(id), heaviest: 0 };
        entry.selfMs += selfMs;
        if (selfMs > entry.heaviest) Object.assign(entry, { heaviest: selfMs, stack: stackOf(id) });
        byName.set(name, entry);
      }
      const top = [...byName].sort((a, b) => b[1].selfMs - a[1].selfMs).slice(0, topFunctions).map(([name, entry]) => ({ name, selfMs: entry.selfMs, stack: entry.stack }));
      return { startMs: stretch.start, durationMs: stretch.end - stretch.start, top };
    });
}

/**
 * The profile with its minified frames named from source maps: `mapFor(url)` answers the map of a
 * script (or null), and each frame found in one takes the original name, file and line.
 */
export function withSourceNames(profile: CpuProfile, mapFor: (url: string) => TraceMap | null): CpuProfile {
  const nodes = profile.nodes.map((node) => {
    const { url, lineNumber, columnNumber } = node.callFrame;
    const map = url ? mapFor(url) : null;
    if (!map || lineNumber < 0) return node;
    // CPU profiles count lines and columns from 0; trace-mapping counts lines from 1.
    const original = originalPositionFor(map, { line: lineNumber + 1, column: Math.max(0, columnNumber) });
    if (original.source === null) return node;
    const source = original.source.replace(/^.*?(node_modules\/|\/work\/[^/]+\/|webpack:\/\/[^/]*\/|turbopack:\/\/\/\[project\]\/)/, "");
    return {
      ...node,
      callFrame: { ...node.callFrame, functionName: `${original.name ?? node.callFrame.functionName}`, url: source, lineNumber: original.line - 1 },
    };
  });
  return { ...profile, nodes };
}
