import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/contracts/auth";
import {
  SEARCH_PROGRESS_PER_SECOND,
  type SearchProgress,
  type SearchRequest,
  type SearchResult,
  type SearchStopReason,
} from "@/lib/contracts/messages";
import type { TailRecordSummary } from "@/lib/contracts/tail";
import { describeError } from "@/lib/errors/describe-error";
import { RequestError } from "@/server/http/request-error";
import type { Logger } from "@/server/log";
import { summarizeRecord } from "@/server/realtime/tail-summary";
import type { MessageReader } from "./reader";
import { newScanState, planScanRange, runScan, type ScanRange, type ScanState } from "./scan";

/**
 * Server-side searches of a topic: started by a request, run in the background with their bounds
 * (records scanned, results, time), watched over the socket, cancelled by their owner (or an
 * admin). Matches are kept as summaries; the page opens a match by its offset.
 */

/** Searches running at once on this server; each reads Kafka as fast as it can. */
export const MAX_RUNNING_SEARCHES = 4;
/** Searches one reader may run at once. */
export const MAX_RUNNING_SEARCHES_PER_PRINCIPAL = 2;
/** Finished searches kept for their results (the oldest is forgotten first)… */
export const MAX_KEPT_SEARCHES = 32;
/** …and for at most this long. */
export const KEPT_SEARCH_TTL_MS = 15 * 60_000;
/** Watchers of one search (a tab each). */
export const MAX_WATCHERS_PER_SEARCH = 16;
const PROGRESS_INTERVAL_MS = Math.ceil(1_000 / SEARCH_PROGRESS_PER_SECOND);

type Listener = (progress: SearchProgress) => void;

interface Search {
  id: string;
  owner: string;
  range: ScanRange;
  state: ScanState;
  results: TailRecordSummary[];
  startedAt: number;
  finishedAt: number | null;
  stopReason: SearchStopReason | null;
  error: string | null;
  abort: AbortController;
  listeners: Set<Listener>;
  lastSentScanned: number;
  timer: NodeJS.Timeout | null;
  done: Promise<void>;
}

function ownerKey(principal: Principal): string {
  return `${principal.kind}:${principal.name}`;
}

export interface MessageSearchesOptions {
  reader: MessageReader;
  logger: Logger;
  now?: () => number;
}

export class MessageSearches {
  readonly #reader: MessageReader;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #searches = new Map<string, Search>();

  constructor(options: MessageSearchesOptions) {
    this.#reader = options.reader;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  get running(): number {
    let count = 0;
    for (const search of this.#searches.values()) if (search.finishedAt === null) count++;
    return count;
  }

  /** Plans the range (404 for a missing topic or partition), then scans in the background. */
  async start(request: SearchRequest, principal: Principal, maskFields: readonly string[]): Promise<SearchProgress> {
    this.#forgetOld();
    const owner = ownerKey(principal);
    if (this.running >= MAX_RUNNING_SEARCHES) throw new RequestError(429, `${MAX_RUNNING_SEARCHES} searches are running on this server; wait for one to finish or cancel one`);
    const mine = [...this.#searches.values()].filter((search) => search.owner === owner && search.finishedAt === null).length;
    if (mine >= MAX_RUNNING_SEARCHES_PER_PRINCIPAL) throw new RequestError(429, `you have ${mine} searches running; wait for one to finish or cancel one`);

    const range = await planScanRange(this.#reader, {
      topic: request.topic,
      partitions: request.partitions ?? "all",
      from: request.from,
      to: request.to,
    });
    const search: Search = {
      id: randomUUID(),
      owner,
      range,
      state: newScanState(range),
      results: [],
      startedAt: this.#now(),
      finishedAt: null,
      stopReason: null,
      error: null,
      abort: new AbortController(),
      listeners: new Set(),
      lastSentScanned: -1,
      timer: null,
      done: Promise.resolve(),
    };
    this.#searches.set(search.id, search);
    search.timer = setInterval(() => this.#publish(search, false), PROGRESS_INTERVAL_MS);
    search.timer.unref();
    search.done = runScan(this.#reader, range, {
      filter: request.filter,
      maskFields,
      maxScanned: request.maxScanned,
      maxMatches: request.maxResults,
      deadline: search.startedAt + request.timeoutMs,
      signal: search.abort.signal,
      state: search.state,
      onMatch: (record) => {
        search.results.push(summarizeRecord(record, this.#now()));
      },
    }).then(
      (reason) => this.#finish(search, reason, null),
      (error: unknown) => this.#finish(search, "error", describeError(error)),
    );
    return this.#progress(search);
  }

  /** The search's progress and matches; 404 when unknown or someone else's (admins see all). */
  result(id: string, principal: Principal): SearchResult {
    const search = this.#visible(id, principal);
    return { ...this.#progress(search), results: [...search.results] };
  }

  /** Stops a running search between two records; a finished one is returned as it is. */
  async cancel(id: string, principal: Principal): Promise<SearchProgress> {
    const search = this.#visible(id, principal);
    if (search.finishedAt === null) {
      search.abort.abort();
      await search.done;
    }
    return this.#progress(search);
  }

  /** Sends the progress now and then at most SEARCH_PROGRESS_PER_SECOND times a second, and once when done. */
  watch(id: string, principal: Principal, listener: Listener): () => void {
    const search = this.#visible(id, principal);
    if (search.listeners.size >= MAX_WATCHERS_PER_SEARCH) throw new RequestError(429, `a search has at most ${MAX_WATCHERS_PER_SEARCH} watchers`);
    search.listeners.add(listener);
    listener(this.#progress(search));
    return () => search.listeners.delete(listener);
  }

  /** Resolves when the search has finished (tests, benchmarks). */
  async finished(id: string): Promise<SearchProgress> {
    const search = this.#searches.get(id);
    if (!search) throw new RequestError(404, `no search ${id}`);
    await search.done;
    return this.#progress(search);
  }

  /** Over-read of a finished search: records fetched beyond its range (benchmarks). */
  fetched(id: string): number {
    return this.#searches.get(id)?.state.fetched ?? 0;
  }

  /** Shutdown: cancels every running search. */
  async stop(): Promise<void> {
    const running = [...this.#searches.values()].filter((search) => search.finishedAt === null);
    for (const search of running) search.abort.abort();
    await Promise.allSettled(running.map((search) => search.done));
  }

  #visible(id: string, principal: Principal): Search {
    const search = this.#searches.get(id);
    if (!search || (search.owner !== ownerKey(principal) && principal.role !== "admin")) {
      throw new RequestError(404, `no search ${id} (searches are kept ${KEPT_SEARCH_TTL_MS / 60_000} minutes after they end)`);
    }
    return search;
  }

  #finish(search: Search, reason: SearchStopReason, error: string | null): void {
    search.finishedAt = this.#now();
    search.stopReason = reason;
    search.error = error;
    if (search.timer) clearInterval(search.timer);
    search.timer = null;
    if (error) this.#logger.warn(`search ${search.id} of ${search.range.topic} failed: ${error}`);
    this.#publish(search, true);
  }

  #publish(search: Search, final: boolean): void {
    if (!final && search.state.scanned === search.lastSentScanned) return;
    search.lastSentScanned = search.state.scanned;
    const progress = this.#progress(search);
    for (const listener of search.listeners) {
      try {
        listener(progress);
      } catch (error) {
        this.#logger.warn(`a search watcher threw: ${describeError(error)}`);
      }
    }
  }

  #progress(search: Search): SearchProgress {
    const end = search.finishedAt ?? this.#now();
    const elapsedMs = Math.max(0, end - search.startedAt);
    return {
      searchId: search.id,
      topic: search.range.topic,
      state: search.finishedAt === null ? "running" : "done",
      rangeTotal: search.range.rangeTotal,
      scanned: search.state.scanned,
      matched: search.state.matched,
      positions: Object.fromEntries([...search.state.positions].map(([partition, offset]) => [String(partition), String(offset)])),
      recordsPerSecond: elapsedMs > 0 ? Math.round((search.state.scanned * 1_000) / elapsedMs) : 0,
      startedAt: search.startedAt,
      elapsedMs,
      stopReason: search.stopReason,
      error: search.error,
    };
  }

  #forgetOld(): void {
    const now = this.#now();
    const finished = [...this.#searches.values()].filter((search) => search.finishedAt !== null).sort((a, b) => a.finishedAt! - b.finishedAt!);
    for (const [index, search] of finished.entries()) {
      if (now - search.finishedAt! > KEPT_SEARCH_TTL_MS || finished.length - index > MAX_KEPT_SEARCHES) this.#searches.delete(search.id);
    }
  }
}
