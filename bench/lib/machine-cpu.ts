// The whole machine's CPU use over time, from /proc/stat (Linux), so a benchmark can tell its own
// slow moments from moments when every core was busy with something else.
import fs from "node:fs";

/** Fine enough to see a 50 ms task's surroundings; /proc/stat costs microseconds to read. */
const SAMPLE_EVERY_MS = 100;
/** Bounded: at one sample per 100 ms, 20 minutes. */
const MAX_SAMPLES = 12_000;

interface CpuTimes {
  idle: number;
  total: number;
}

/** The aggregate "cpu" line of /proc/stat: idle (idle + iowait) and total jiffies. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split("\n").find((entry) => entry.startsWith("cpu "));
  if (!line) return null;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { idle: (values[3] ?? 0) + (values[4] ?? 0), total };
}

export interface BusySample {
  /** Date.now() at the end of the interval. */
  at: number;
  /** Share of all cores busy over the interval, 0..1. */
  busy: number;
}

/** Samples until stopped; `busyAround(from, to)` answers the busiest share seen in that window. */
export function watchMachineCpu(): { busyAround(fromMs: number, toMs: number): number | null; stop(): void } {
  const samples: BusySample[] = [];
  const read = () => parseProcStat(fs.readFileSync("/proc/stat", "utf8"));
  let last = fs.existsSync("/proc/stat") ? read() : null;
  const timer = last
    ? setInterval(() => {
        const now = read();
        if (!now || !last) return;
        const total = now.total - last.total;
        if (total > 0) samples.push({ at: Date.now(), busy: 1 - (now.idle - last.idle) / total });
        if (samples.length > MAX_SAMPLES) samples.shift();
        last = now;
      }, SAMPLE_EVERY_MS).unref()
    : null;
  return {
    busyAround(fromMs, toMs) {
      const within = samples.filter((sample) => sample.at >= fromMs && sample.at - SAMPLE_EVERY_MS <= toMs);
      return within.length ? Math.max(...within.map((sample) => sample.busy)) : null;
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
