import type { TailBatch, TailRecordSummary } from "@/lib/contracts/tail";

/**
 * The live list's state, kept by a reducer that receives batches a few times a second (see
 * use-tail-stream.ts). Pure: the clock comes in as `now` (the browser's, when a batch arrived or a
 * tick fired), so the rates and the pause are testable without timers.
 */

/**
 * Records the browser keeps in the live list. Beyond it the oldest are dropped: at 8 batches of 20
 * a second the list would otherwise grow by 576,000 rows an hour; 2,000 rows are minutes of a busy
 * topic and a few MB of summaries, and the list is virtualized, so only the visible rows render.
 */
export const LIVE_LIST_MAX_RECORDS = 2_000;
/**
 * Received batches are queued and merged into the list at most this often (5 a second): one React
 * render per flush however many batches arrived, and rows that move at a readable pace.
 */
export const LIVE_FLUSH_INTERVAL_MS = 200;
/** Rates are averaged over the batches of this window: long enough to be steady at low rates. */
export const LIVE_RATE_WINDOW_MS = 5_000;
/** The topic's rate from the last batch is shown while the batch is at most this old; after that the page falls back to the metrics snapshot. */
export const TOPIC_RATE_FRESH_MS = 2_000;

export interface ReceivedBatch {
  batch: TailBatch;
  /** Browser clock when it arrived. */
  receivedAt: number;
}

interface WindowEntry {
  at: number;
  received: number;
  matched: number;
}

export interface TailListState {
  /** Newest first, at most the cap. */
  records: readonly TailRecordSummary[];
  paused: boolean;
  /** Records received while paused, newest first, at most the cap: shown on resume. */
  held: readonly TailRecordSummary[];
  /** Records that passed the filter on the server since the pause, sent to this browser or not. */
  arrivedWhilePaused: number;
  /** Records pushed out of the list by the cap since the list started. */
  dropped: number;
  /** Totals since the list (re)started: batches, records received, records that passed the filter. */
  batches: number;
  received: number;
  matched: number;
  /** The topic's true incoming rate from the newest batch, and when that batch arrived. */
  topicRate: number | null;
  topicRateAt: number | null;
  /** When the list (re)started and the latest clock reading: the span the rates are over. */
  startedAt: number;
  now: number;
  window: readonly WindowEntry[];
}

export function initialTailList(now: number): TailListState {
  return {
    records: [],
    paused: false,
    held: [],
    arrivedWhilePaused: 0,
    dropped: 0,
    batches: 0,
    received: 0,
    matched: 0,
    topicRate: null,
    topicRateAt: null,
    startedAt: now,
    now,
    window: [],
  };
}

export function recordKey(record: Pick<TailRecordSummary, "topic" | "partition" | "offset">): string {
  return `${record.topic}/${record.partition}/${record.offset}`;
}

/**
 * `newer` (newest first) on top of `older`, at most `cap`: a record that arrives twice (a batch
 * re-sent around a reconnect) is listed once, at its newer place.
 */
export function prependRecords(newer: readonly TailRecordSummary[], older: readonly TailRecordSummary[], cap: number): { records: TailRecordSummary[]; dropped: number } {
  if (newer.length === 0) return { records: older.slice(0, cap), dropped: Math.max(0, older.length - cap) };
  const seen = new Set<string>();
  const records: TailRecordSummary[] = [];
  for (const record of newer) {
    const key = recordKey(record);
    if (seen.has(key)) continue;
    seen.add(key);
    records.push(record);
  }
  let dropped = 0;
  for (const record of older) {
    if (seen.has(recordKey(record))) continue;
    if (records.length < cap) records.push(record);
    else dropped += 1;
  }
  if (records.length > cap) {
    dropped += records.length - cap;
    records.length = cap;
  }
  return { records, dropped };
}

function trimWindow(window: readonly WindowEntry[], now: number): WindowEntry[] {
  return window.filter((entry) => now - entry.at < LIVE_RATE_WINDOW_MS);
}

/** Merges queued batches (oldest first, as they arrived): into the list, or into the held records while paused. */
export function applyBatches(state: TailListState, batches: readonly ReceivedBatch[], now: number, cap = LIVE_LIST_MAX_RECORDS): TailListState {
  if (batches.length === 0) return { ...state, now, window: trimWindow(state.window, now) };
  // Each batch is newest first; the newest batch goes on top.
  const incoming: TailRecordSummary[] = [];
  for (let index = batches.length - 1; index >= 0; index -= 1) incoming.push(...batches[index]!.batch.records);
  let received = 0;
  let matched = 0;
  const window = trimWindow(state.window, now);
  for (const { batch, receivedAt } of batches) {
    received += batch.records.length;
    // Never fewer than were sent: the records sent all passed the filter.
    const batchMatched = Math.max(batch.records.length, batch.matchedSinceLast);
    matched += batchMatched;
    window.push({ at: receivedAt, received: batch.records.length, matched: batchMatched });
  }
  const last = batches[batches.length - 1]!;
  const base = {
    ...state,
    batches: state.batches + batches.length,
    received: state.received + received,
    matched: state.matched + matched,
    topicRate: last.batch.recordsPerSecond,
    topicRateAt: last.receivedAt,
    now,
    window,
  };
  if (state.paused) {
    const held = prependRecords(incoming, state.held, cap);
    return { ...base, held: held.records, arrivedWhilePaused: state.arrivedWhilePaused + matched };
  }
  const merged = prependRecords(incoming, state.records, cap);
  return { ...base, records: merged.records, dropped: state.dropped + merged.dropped };
}

export function pauseTailList(state: TailListState): TailListState {
  return state.paused ? state : { ...state, paused: true, held: [], arrivedWhilePaused: 0 };
}

/** Resumes: what was held while paused goes on top of the list. */
export function resumeTailList(state: TailListState, cap = LIVE_LIST_MAX_RECORDS): TailListState {
  if (!state.paused) return state;
  const merged = prependRecords(state.held, state.records, cap);
  return { ...state, paused: false, held: [], arrivedWhilePaused: 0, records: merged.records, dropped: state.dropped + merged.dropped };
}

/** Empties the list (and what is held), keeping the pause and the rates. */
export function clearTailList(state: TailListState): TailListState {
  return { ...state, records: [], held: [], arrivedWhilePaused: 0, dropped: 0 };
}

/**
 * A new filter: the rows that still match stay (see summaryMatchesTailFilter), the counts and
 * rates start over, since they were counted under the old filter.
 */
export function restartTailList(state: TailListState, keep: (record: TailRecordSummary) => boolean, now: number): TailListState {
  return {
    ...initialTailList(now),
    paused: state.paused,
    records: state.records.filter(keep),
    held: state.held.filter(keep),
    topicRate: state.topicRate,
    topicRateAt: state.topicRateAt,
  };
}

export interface TailRates {
  /** Every record the topic receives, per second; null when no fresh batch says. */
  topicPerSecond: number | null;
  /** Records passing the filter (all of them without a filter), per second. */
  matchedPerSecond: number;
  /** Records this browser received, per second. */
  shownPerSecond: number;
  /** Whether the server sent a sample: fewer records than passed the filter. */
  sampled: boolean;
}

/** Rates over the last LIVE_RATE_WINDOW_MS (or since the list started, when that is shorter, but at least a second). */
export function tailRates(state: TailListState): TailRates {
  const window = trimWindow(state.window, state.now);
  const span = Math.min(LIVE_RATE_WINDOW_MS, Math.max(1_000, state.now - state.startedAt)) / 1_000;
  let received = 0;
  let matched = 0;
  for (const entry of window) {
    received += entry.received;
    matched += entry.matched;
  }
  const fresh = state.topicRateAt !== null && state.now - state.topicRateAt <= TOPIC_RATE_FRESH_MS;
  return {
    topicPerSecond: fresh ? state.topicRate : null,
    matchedPerSecond: matched / span,
    shownPerSecond: received / span,
    sampled: matched > received,
  };
}
