/**
 * Node flags the production server runs with (`npm start`, the demo, the tests and the benches;
 * package.json's start script repeats them). A young generation of 64 MB per semi-space instead of
 * V8's 16: at thousands of records a second, the records, batches and snapshots the server holds
 * for a second or two outlived two 16 MB scavenges and were promoted, so the old generation filled
 * with garbage and V8 grew it to several times the live heap between full collections. Measured
 * with bench:soak at 2,000 events/s (3-minute runs side by side on a loaded 2-core machine): heap
 * used swung between 100 and 210 MB instead of 100 and 400 MB, the reserved heap stayed under
 * 300 MB instead of 400, and the event-loop p99 median went from 248 to 135 ms.
 * Only settable at start: V8 ignores it once the heap exists.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"];
