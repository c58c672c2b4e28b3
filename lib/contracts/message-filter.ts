import { z } from "zod";

/**
 * Structured message filters, shared by the search, the export and the live tail's quick filters.
 * A filter is data: names, values and a dotted path. Nothing in it is evaluated as code.
 */

/** Text filters are short: an id, a name, a phrase. */
export const MAX_MESSAGE_FILTER_TEXT = 500;
/** A JSON path has at most this many segments. */
export const MAX_JSON_PATH_SEGMENTS = 32;

const filterText = z.string().min(1, "must not be empty").max(MAX_MESSAGE_FILTER_TEXT, `must be at most ${MAX_MESSAGE_FILTER_TEXT} characters`);
export const partitionSchema = z.coerce.number({ error: "must be a partition number" }).int("must be a whole number").min(0, "must be ≥ 0").max(100_000, "must be ≤ 100000");

/** Ops a filter may pick: Debezium's five, tombstones, and records that are not change events. */
export const messageOpSchema = z.enum(["c", "u", "d", "r", "t", "tombstone", "other"], { error: "must be c, u, d, r, t, tombstone or other" });
export type MessageOp = z.infer<typeof messageOpSchema>;

/**
 * A JSON path into the record: `after.status`, `before.payload.customer.id`, `payload.items[0].sku`
 * (`payload.…` is short for `after.payload.…`), `value.x` for a JSON record that is not a
 * change event. Dots and [index] only: a path is data, never code.
 */
export const JSON_PATH_PATTERN = /^(after|before|payload|value|key|source)(\.[A-Za-z0-9_$@-]+|\[\d{1,6}\])*$/;

export const jsonPathFilterSchema = z
  .strictObject({
    path: z
      .string()
      .max(MAX_MESSAGE_FILTER_TEXT, `must be at most ${MAX_MESSAGE_FILTER_TEXT} characters`)
      .regex(JSON_PATH_PATTERN, "must be a path like after.status, payload.customer.id or payload.items[0].sku"),
    /** equals: the value's text is exactly `value` (numbers and booleans as written); contains: a substring of it (case-insensitive); exists: present and not null. */
    match: z.enum(["equals", "contains", "exists"], { error: "must be equals, contains or exists" }),
    value: filterText.optional(),
  })
  .superRefine((filter, ctx) => {
    if (filter.match !== "exists" && filter.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: `is needed for ${filter.match}` });
    if (filter.path.split(/[.[]/).length > MAX_JSON_PATH_SEGMENTS) ctx.addIssue({ code: "custom", path: ["path"], message: `has more than ${MAX_JSON_PATH_SEGMENTS} segments` });
  });
export type JsonPathFilter = z.infer<typeof jsonPathFilterSchema>;

/** Every field narrows (AND); within `op`, any of the listed (OR). */
export const messageFilterSchema = z.strictObject({
  op: z.array(messageOpSchema).min(1, "must list at least one op").max(7).optional(),
  eventType: filterText.optional(),
  aggregateType: filterText.optional(),
  aggregateId: filterText.optional(),
  /** The key's text (a JSON key as its JSON text, or the event id it carries) equals this. */
  key: filterText.optional(),
  header: z.strictObject({ name: filterText, value: filterText }).optional(),
  path: jsonPathFilterSchema.optional(),
  /** Case-insensitive substring of the key, the value (as text) or a header value. */
  text: filterText.optional(),
});
export type MessageFilter = z.infer<typeof messageFilterSchema>;

/** Live tail quick filters (`tail:subscribe`): all optional, all narrowing. */
export const tailFilterSchema = z.strictObject({
  op: z.array(messageOpSchema).min(1).max(7).optional(),
  eventType: filterText.optional(),
  aggregateType: filterText.optional(),
  aggregateId: filterText.optional(),
  partition: partitionSchema.optional(),
  text: filterText.optional(),
});
export type TailFilter = z.infer<typeof tailFilterSchema>;
