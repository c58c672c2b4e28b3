import { z } from "zod";
import { rawFormSchema, searchProgressSchema, type BrowsePage, type MessageView, type TopicsResponse } from "@/lib/contracts/messages";

/**
 * Checks of the Messages API's answers. The contract types them as interfaces (a MessageView
 * carries the decoder's DecodedRecord); these schemas check the parts the page reads before it
 * renders them, so a server of another version fails with a message rather than a blank panel.
 */

const rowNotesSchema = z.object({
  unavailableColumns: z.array(z.string()),
  jsonbColumns: z.array(z.object({ column: z.string(), textLength: z.number(), status: z.string() })),
  omittedColumns: z.array(z.string()),
});

const base = {
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.string(),
  timestamp: z.number(),
  sizeBytes: z.number(),
  valueSizeBytes: z.number(),
  key: z.looseObject({ kind: z.enum(["null", "json", "text", "binary"]) }),
  headers: z.array(z.looseObject({ key: z.string(), kind: z.enum(["text", "binary", "null"]) })),
  truncated: z.boolean(),
  problems: z.array(z.object({ code: z.string(), detail: z.string() })),
};

const rowSchema = z.record(z.string(), z.unknown());

const decodedRecordSchema = z.discriminatedUnion("kind", [
  z.looseObject({
    ...base,
    kind: z.literal("change"),
    op: z.string(),
    opLabel: z.string(),
    rawOp: z.string(),
    before: rowSchema.nullable(),
    after: rowSchema.nullable(),
    beforeNotes: rowNotesSchema.nullable(),
    afterNotes: rowNotesSchema.nullable(),
    source: z.looseObject({ isSnapshot: z.boolean() }).nullable(),
    transaction: z.looseObject({ id: z.string() }).nullable(),
  }),
  z.looseObject({ ...base, kind: z.literal("tombstone") }),
  z.looseObject({ ...base, kind: z.literal("json") }),
  z.looseObject({ ...base, kind: z.literal("text"), text: z.string() }),
  z.looseObject({ ...base, kind: z.literal("binary"), hex: z.string() }),
]);

// The checked parts are the ones rendered; the rest of a DecodedRecord is as the server's decoder wrote it.
export const messageViewSchema = z.object({
  decoded: decodedRecordSchema,
  raw: z.object({ key: rawFormSchema, value: rawFormSchema }),
  eventId: z.string().nullable(),
  masked: z.boolean(),
}) as unknown as z.ZodType<MessageView>;

const watermarksSchema = z.object({ partition: z.number().int().nonnegative(), low: z.string(), high: z.string() });
const cursorSchema = z.object({ from: z.string(), dir: z.enum(["forward", "backward"]) });

export const topicsResponseSchema: z.ZodType<TopicsResponse> = z.object({
  topics: z.array(z.object({ topic: z.string(), outbox: z.boolean(), partitions: z.array(watermarksSchema) })),
});

/** A browse page; `newer` is null at the end of the log (as the contract's comment says). */
export type BrowsePageAnswer = Omit<BrowsePage, "newer"> & { newer: BrowsePage["newer"] | null };

export const browsePageSchema = z.object({
  topic: z.string(),
  partition: z.union([z.number().int().nonnegative(), z.literal("all")]),
  messages: z.array(messageViewSchema),
  newer: cursorSchema.nullable(),
  older: cursorSchema.nullable(),
  read: z.number(),
  watermarks: z.array(watermarksSchema),
}) as z.ZodType<BrowsePageAnswer>;

/**
 * POST /api/messages/search answers 202 with the new search's first progress (which carries its
 * id); `{searchId, progress}` is read too, so either form of the answer starts the page's search.
 */
export const searchStartedSchema = z.union([
  z.object({ searchId: z.string().min(1), progress: searchProgressSchema }),
  searchProgressSchema.transform((progress) => ({ searchId: progress.searchId, progress })),
]);
export type SearchStarted = z.infer<typeof searchStartedSchema>;
