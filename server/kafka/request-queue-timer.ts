import { createRequire } from "node:module";

/**
 * KafkaJS 2.2.4 (its last release) runs a 1 ms timer for every open connection, for as long as
 * the connection lives: after each response its request queue schedules a check of its pending
 * requests, with a negative delay when nothing is pending or throttled, and the check schedules
 * the next (tulios/kafkajs#1556, #1704). Each connection thus wakes the event loop ~1,000 times
 * a second for nothing, and a process with an open connection never exits by itself. This puts
 * KafkaJS's own intent in place: a check is scheduled only when a request waits (after the
 * throttle, or 10 ms) or a throttle is still running. Requests are still sent as soon as a
 * response frees a slot, as before (fulfillRequest checks the queue itself).
 */

const requireFromHere = createRequire(import.meta.url);
const REQUEST_QUEUE = "kafkajs/src/network/requestQueue/index.js";
/** KafkaJS's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  let delayMs: number;
  if (this.pending.length > 0) delayMs = throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (throttledFor > 0) delayMs = throttledFor;
  else return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delayMs);
}

/** Replaces the method on KafkaJS's RequestQueue class (every queue, existing or not); idempotent. */
export function installRequestQueueTimerFix(): void {
  const RequestQueue = requireFromHere(REQUEST_QUEUE) as { prototype: RequestQueueLike };
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}
