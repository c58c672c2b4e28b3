import { AUDIT_API, auditQuerySchema, type AuditQuery } from "@/lib/contracts/audit";
import { localInputToIso } from "@/components/forms/datetime-local";
import type { IgnoredParam, SearchParamsReader } from "@/components/outbox/url-state";

/**
 * The /audit view in the URL query string: filter and page, each field checked with the
 * contract's schema. The same filter (without the page) is the CSV export's query.
 */

/** The audit query without `limit` (the server's default page size). */
export type AuditView = Omit<AuditQuery, "limit">;

export const AUDIT_FILTER_FIELDS = ["actor", "action", "eventId", "from", "to"] as const satisfies readonly (keyof AuditQuery)[];
const VIEW_FIELDS = [...AUDIT_FILTER_FIELDS, "cursor"] as const;

function parseView(params: SearchParamsReader): { view: AuditView; ignored: IgnoredParam[] } {
  const view: Record<string, unknown> = {};
  const ignored: IgnoredParam[] = [];
  for (const field of VIEW_FIELDS) {
    const raw = params.get(field);
    const value = raw === null || raw.trim() === "" ? undefined : raw;
    const parsed = auditQuerySchema.shape[field].safeParse(value);
    if (!parsed.success) ignored.push({ param: field, message: parsed.error.issues[0]?.message ?? "is not valid" });
    else if (parsed.data !== undefined) view[field] = parsed.data;
  }
  return { view: view as AuditView, ignored };
}

/** Whether a view narrows the log (any filter field set; the page does not count). */
export function isFilteredAuditView(view: AuditView): boolean {
  return AUDIT_FILTER_FIELDS.some((field) => view[field] !== undefined);
}

/** The view a URL asks for; invalid parameters are left out (see {@link invalidAuditParams}). */
export function auditViewFromSearchParams(params: SearchParamsReader): AuditView {
  return parseView(params).view;
}

export function invalidAuditParams(params: SearchParamsReader): IgnoredParam[] {
  return parseView(params).ignored;
}

/** The query string of a view, fields in a fixed order. */
export function searchParamsFromAuditView(view: Partial<AuditView>): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) {
    const value = view[field];
    if (value !== undefined && value !== "") params.set(field, String(value));
  }
  if (view.cursor !== undefined) params.set("cursor", String(view.cursor));
  return params;
}

/** Names the list regardless of the page. */
export function auditListKey(view: AuditView): string {
  return searchParamsFromAuditView({ ...view, cursor: undefined }).toString();
}

/** The CSV export of the same filter: every page, so no cursor. */
export function auditExportHref(view: AuditView): string {
  const query = auditListKey(view);
  return query ? `${AUDIT_API.export}?${query}` : AUDIT_API.export;
}

export type AuditFormValues = Partial<Record<(typeof AUDIT_FILTER_FIELDS)[number], string>>;

/** The query string of the filter form: trimmed, empty and "all" left out, local times to ISO; the first page. */
export function searchParamsFromAuditForm(values: AuditFormValues): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) {
    const raw = values[field]?.trim() ?? "";
    if (raw === "" || (field === "action" && raw === "all")) continue;
    params.set(field, field === "from" || field === "to" ? (localInputToIso(raw) ?? raw) : raw);
  }
  return params;
}
