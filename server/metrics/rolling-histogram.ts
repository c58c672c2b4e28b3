import { build, type Histogram } from "hdr-histogram-js";

/**
 * Latency histograms over sliding time windows, built from HdrHistogram chunks.
 *
 * Time is cut into chunks of `chunkMs` (chunk n holds samples recorded in [n·chunkMs, (n+1)·chunkMs)).
 * A window of W ms is the current chunk plus the W/chunkMs − 1 before it, so it never holds a
 * sample older than W and holds at least the last W − chunkMs.
 *
 * Each window keeps its own running histogram: a sample is recorded into its chunk and into every
 * window, and when a chunk leaves a window it is subtracted from it (HdrHistogram counts are
 * mergeable both ways). Reading a window is then one histogram, however long the window, and the
 * cost of expiry is one subtraction per chunk and window, whatever the sample rate.
 */

/** HdrHistogram precision: values keep 2 significant digits, i.e. a relative error ≤ 1/128 (0.8 %). */
// 3 digits (0.1 %) costs 7× the memory per histogram (115 kB instead of 17 kB over 1 µs…24 h), and
// the recorder holds a few hundred histograms; 2 digits already meets the ≤ 1 % target.
export const SIGNIFICANT_DIGITS = 2;
/** Values are recorded in integer microseconds, so sub-millisecond latencies keep their precision. */
export const UNITS_PER_MS = 1_000;
/**
 * The largest latency the histograms hold, ms. Anything longer is recorded as this value (and
 * counted by the caller): a day-old event means the pipeline is broken, not slow, and the range
 * sets the histogram's size.
 */
export const MAX_LATENCY_MS = 24 * 60 * 60 * 1_000;

export function createLatencyHistogram(): Histogram {
  return build({
    useWebAssembly: false,
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_LATENCY_MS * UNITS_PER_MS,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
  });
}

interface Chunk {
  index: number;
  histogram: Histogram;
}

interface Window {
  /** Length in chunks, the current one included. */
  chunks: number;
  histogram: Histogram;
  /** Lowest chunk index whose samples the window still holds. */
  oldest: number;
}

export class RollingHistogram {
  private readonly chunkMs: number;
  // Slot n mod length holds chunk n; a slot is reused only once its chunk has left every window.
  private readonly ring: Array<Chunk | undefined>;
  private readonly windows: Window[];
  private head: number | null = null;

  /**
   * @param chunkMs   width of a chunk
   * @param windowsMs window lengths, each a multiple of chunkMs
   */
  constructor(chunkMs: number, windowsMs: readonly number[]) {
    if (!(chunkMs > 0) || windowsMs.length === 0) throw new Error("RollingHistogram needs a chunk width and at least one window");
    for (const windowMs of windowsMs) {
      if (windowMs < chunkMs || windowMs % chunkMs !== 0) throw new Error(`window ${windowMs} ms is not a multiple of the ${chunkMs} ms chunk`);
    }
    this.chunkMs = chunkMs;
    this.windows = windowsMs.map((windowMs) => ({ chunks: windowMs / chunkMs, histogram: createLatencyHistogram(), oldest: 0 }));
    this.ring = new Array<Chunk | undefined>(Math.max(...this.windows.map((w) => w.chunks)));
  }

  /**
   * Records a value (integer units, within the histogram's range) at a time. Time only moves
   * forward: a sample stamped before the newest chunk seen is counted in that chunk.
   */
  record(value: number, atMs: number): void {
    this.advance(atMs);
    const index = this.head!;
    const slot = index % this.ring.length;
    let chunk = this.ring[slot];
    if (!chunk) {
      chunk = { index, histogram: createLatencyHistogram() };
      this.ring[slot] = chunk;
    } else if (chunk.index !== index) {
      chunk.histogram.reset();
      chunk.index = index;
    }
    chunk.histogram.recordValue(value);
    for (const window of this.windows) window.histogram.recordValue(value);
  }

  /** Moves the windows to `nowMs`, subtracting the chunks that left them. */
  advance(nowMs: number): void {
    const target = Math.floor(nowMs / this.chunkMs);
    if (this.head === null) {
      this.head = target;
      for (const window of this.windows) window.oldest = target;
      return;
    }
    if (target <= this.head) return;
    for (const window of this.windows) {
      const newOldest = target - window.chunks + 1;
      if (newOldest > this.head) {
        // Everything the window held has expired: clearing is cheaper than subtracting each chunk.
        window.histogram.reset();
      } else {
        for (let index = window.oldest; index < newOldest; index++) {
          const chunk = this.ring[index % this.ring.length];
          if (chunk?.index === index) window.histogram.subtract(chunk.histogram);
        }
      }
      window.oldest = Math.max(window.oldest, newOldest);
    }
    this.head = target;
  }

  /** The running histogram of window `i` (in constructor order) as of the last advance. Read only. */
  window(i: number): Histogram {
    const window = this.windows[i];
    if (!window) throw new Error(`no window ${i}`);
    return window.histogram;
  }

  /** The samples of the chunk that contains `atMs`, if it is still held; null when it had none. Read only. */
  chunkAt(atMs: number): Histogram | null {
    const index = Math.floor(atMs / this.chunkMs);
    const chunk = this.ring[index % this.ring.length];
    if (this.head === null || index > this.head || chunk?.index !== index) return null;
    return chunk.histogram.totalCount > 0 ? chunk.histogram : null;
  }

  /** True when no window holds a sample (after the last advance). */
  get empty(): boolean {
    return this.windows.every((w) => w.histogram.totalCount === 0);
  }
}
