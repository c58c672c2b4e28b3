import type { TailFilter } from "@/lib/contracts/message-filter";
import type { TailBatch } from "@/lib/contracts/tail";
import type { DecodedRecord } from "@/lib/debezium";
import { compileMessageFilter, type CompiledFilter } from "@/lib/messages/filter";
import { TailBroadcaster } from "./tail-broadcaster";

/**
 * Live-tail subscriptions with quick filters, applied on the server: a rare event type among
 * thousands of records a second still reaches the browser that asked for it. Subscribers with the
 * same filter share one broadcaster (one summary per record and batch); each broadcaster is
 * bounded as TailBroadcaster is, and the number of distinct filters is bounded too.
 */

/** Distinct filters at once (each costs a test per record); a subscriber beyond gets an error. */
export const MAX_TAIL_FILTERS = 64;
/** The incoming rate is measured over this many seconds. */
const RATE_WINDOW_SECONDS = 5;

interface Group {
  filter: CompiledFilter;
  broadcaster: TailBroadcaster;
  subscribers: Set<string>;
}

export interface TailSubscriptionsOptions {
  /** Sends a batch to one subscriber (skipping it when the subscriber is behind is the sender's call). */
  send: (subscriberId: string, batch: TailBatch) => void;
  recordsRead: () => number;
  now?: () => number;
}

/** A canonical key for a filter: the same filter written in another order shares a group. */
export function tailFilterKey(filter: TailFilter | undefined): string {
  if (!filter) return "";
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, Array.isArray(value) ? [...value].sort() : value] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? "" : JSON.stringify(entries);
}

export class TailSubscriptions {
  readonly #options: TailSubscriptionsOptions;
  readonly #groups = new Map<string, Group>();
  readonly #subscriberGroup = new Map<string, string>();
  readonly #rateSamples: { at: number; read: number }[] = [];
  readonly #rateTimer: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(options: TailSubscriptionsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#rateTimer = setInterval(() => this.#sampleRate(), 1_000);
    this.#rateTimer.unref();
    this.#sampleRate();
  }

  /** Subscribes (or re-subscribes with another filter); returns an error message when refused. */
  subscribe(subscriberId: string, filter: TailFilter | undefined): string | null {
    const key = tailFilterKey(filter);
    if (this.#subscriberGroup.get(subscriberId) === key) return null;
    if (!this.#groups.has(key) && this.#groups.size >= MAX_TAIL_FILTERS) {
      return `the server follows at most ${MAX_TAIL_FILTERS} different tail filters at once; try again with fewer filters`;
    }
    this.unsubscribe(subscriberId);
    let group = this.#groups.get(key);
    if (!group) {
      const subscribers = new Set<string>();
      group = {
        filter: compileMessageFilter(filter ?? {}),
        subscribers,
        broadcaster: new TailBroadcaster({
          send: (batch) => {
            for (const id of subscribers) this.#options.send(id, batch);
          },
          hasSubscribers: () => subscribers.size > 0,
          recordsRead: this.#options.recordsRead,
          recordsPerSecond: () => this.recordsPerSecond(),
        }),
      };
      this.#groups.set(key, group);
    }
    group.subscribers.add(subscriberId);
    this.#subscriberGroup.set(subscriberId, key);
    return null;
  }

  unsubscribe(subscriberId: string): void {
    const key = this.#subscriberGroup.get(subscriberId);
    if (key === undefined) return;
    this.#subscriberGroup.delete(subscriberId);
    const group = this.#groups.get(key);
    if (!group) return;
    group.subscribers.delete(subscriberId);
    if (group.subscribers.size === 0) {
      group.broadcaster.stop();
      this.#groups.delete(key);
    }
  }

  get filters(): number {
    return this.#groups.size;
  }

  /** The tail sink. */
  readonly accept = (record: DecodedRecord, receivedAt: number): void => {
    for (const group of this.#groups.values()) {
      group.broadcaster.accept(record, receivedAt, group.filter.empty || group.filter.matches(record));
    }
  };

  /** Records a second the tail read over the last few seconds: the topic's true incoming rate. */
  recordsPerSecond(): number {
    const samples = this.#rateSamples;
    if (samples.length < 2) return 0;
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    // One decimal: a quiet topic's 0.4 records a second is not 0.
    return last.at > first.at ? Math.round(((last.read - first.read) * 10_000) / (last.at - first.at)) / 10 : 0;
  }

  stop(): void {
    clearInterval(this.#rateTimer);
    for (const group of this.#groups.values()) group.broadcaster.stop();
    this.#groups.clear();
    this.#subscriberGroup.clear();
  }

  #sampleRate(): void {
    this.#rateSamples.push({ at: this.#now(), read: this.#options.recordsRead() });
    if (this.#rateSamples.length > RATE_WINDOW_SECONDS + 1) this.#rateSamples.shift();
  }
}
