import { outboxRowsQuerySchema, type OutboxFilter, type OutboxRowsQuery } from "@/lib/contracts/outbox";
import { localInputToIso } from "@/components/forms/datetime-local";

/**
 * The /outbox view lives in the URL query string, so a link shows the same rows to whoever opens
 * it: the filter, the order and the page (cursor). These functions are the only translation
 * between the two, each field checked with the contract's own schema, so what the URL says is what
 * the server is asked.
 */

/** What the page shows: the rows query without `limit` (the server's default page size). */
export type OutboxView = Omit<OutboxRowsQuery, "limit">;

/** Filter fields in the order they appear in URLs (a fixed order makes equal views equal strings). */
export const FILTER_FIELDS = [
  "status",
  "eventType",
  "aggregateType",
  "aggregateId",
  "createdFrom",
  "createdTo",
  "error",
  "retryCountMin",
  "retryCountMax",
] as const satisfies readonly (keyof OutboxFilter)[];

const VIEW_FIELDS = [...FILTER_FIELDS, "order", "cursor"] as const;

/** The parameters a URLSearchParams (or Next's ReadonlyURLSearchParams) offers. */
export interface SearchParamsReader {
  get(name: string): string | null;
}

export interface IgnoredParam {
  param: string;
  message: string;
}

function parseView(params: SearchParamsReader): { view: OutboxView; ignored: IgnoredParam[] } {
  const view: Record<string, unknown> = {};
  const ignored: IgnoredParam[] = [];
  for (const field of VIEW_FIELDS) {
    const raw = params.get(field);
    // An empty parameter (`?status=`) is no filter, as an empty input is.
    const value = raw === null || raw.trim() === "" ? undefined : raw;
    const parsed = outboxRowsQuerySchema.shape[field].safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) view[field] = parsed.data;
    } else {
      ignored.push({ param: field, message: parsed.error.issues[0]?.message ?? "is not valid" });
    }
  }
  view.order ??= "newest";
  return { view: view as OutboxView, ignored };
}

/**
 * The view a URL asks for. A parameter that is not valid is left out (the page says so, see
 * {@link invalidSearchParams}) rather than sent for the server to refuse: the rest of a shared
 * link still works. Unknown parameters are ignored.
 */
export function filterFromSearchParams(params: SearchParamsReader): OutboxView {
  return parseView(params).view;
}

/** The parameters {@link filterFromSearchParams} left out, and why. */
export function invalidSearchParams(params: SearchParamsReader): IgnoredParam[] {
  return parseView(params).ignored;
}

/** The query string of a view: fields in a fixed order, the default order left out. */
export function searchParamsFromFilter(view: Partial<OutboxView>): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = view[field];
    if (value !== undefined && value !== "") params.set(field, String(value));
  }
  if (view.order && view.order !== "newest") params.set("order", view.order);
  if (view.cursor) params.set("cursor", view.cursor);
  return params;
}

/** The filter part of a view: the target of "retry all matching" (no order, no page). */
export function filterOfView(view: OutboxView): OutboxFilter {
  const filter: Record<string, unknown> = {};
  for (const field of FILTER_FIELDS) if (view[field] !== undefined) filter[field] = view[field];
  return filter as OutboxFilter;
}

/** The same view on its first page: what a new filter or a new order starts from. */
export function firstPageOf(view: OutboxView): OutboxView {
  return { ...view, cursor: undefined };
}

/** Names the list regardless of the page: the scope of the paging trail and of row selection. */
export function listKey(view: OutboxView): string {
  return searchParamsFromFilter(firstPageOf(view)).toString();
}

/** The fields of the filter form; datetime-local values are the browser's wall clock. */
export type FilterFormValues = Partial<Record<(typeof FILTER_FIELDS)[number] | "order", string>>;

/**
 * The query string of what the filter form holds: texts trimmed, empty fields left out, times
 * converted to ISO with the browser's offset. Always the first page: a new filter starts over.
 */
export function searchParamsFromForm(values: FilterFormValues): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const raw = values[field]?.trim() ?? "";
    if (raw === "" || (field === "status" && raw === "all")) continue;
    // A datetime-local input gives a valid wall-clock time or nothing; anything else is passed on
    // as typed, for filterFromSearchParams to report.
    const value = field === "createdFrom" || field === "createdTo" ? (localInputToIso(raw) ?? raw) : raw;
    params.set(field, value);
  }
  if (values.order === "oldest") params.set("order", "oldest");
  return params;
}
