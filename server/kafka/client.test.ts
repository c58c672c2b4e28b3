import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/server/log";
import { createKafkaClient } from "./client";
import { fastRecordDecoderInstalled } from "./fast-record-decoder";
import { scheduleCheckPendingRequests } from "./request-queue-timer";

const requireHere = createRequire(import.meta.url);

describe("the Kafka client", () => {
  it("has KafkaJS use the fast record decoder, the produce request written to its exact size and framed in place, and the request queue timer fix, once a client exists", () => {
    createKafkaClient({ clientId: "test", brokers: ["127.0.0.1:1"], logger: createLogger("test") });
    // What KafkaJS's Fetch responses and produce request load when they first run.
    expect(fastRecordDecoderInstalled()).toBe(true);
    const Encoder = requireHere("kafkajs/src/protocol/encoder") as { prototype: { writeEncoder: { framingInPlace?: boolean } } };
    expect(Encoder.prototype.writeEncoder.framingInPlace).toBe(true);
    expect((requireHere("kafkajs/src/protocol/requests/produce/v3/request.js") as { fastProduceRequest?: boolean }).fastProduceRequest).toBe(true);
    const RequestQueue = requireHere("kafkajs/src/network/requestQueue/index.js") as { prototype: object };
    expect((RequestQueue.prototype as { scheduleCheckPendingRequests: unknown }).scheduleCheckPendingRequests).toBe(scheduleCheckPendingRequests);
  });
});
