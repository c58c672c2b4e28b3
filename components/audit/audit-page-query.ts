import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { AUDIT_API, auditPageSchema, type AuditPage } from "@/lib/contracts/audit";
import { getJson, retryTransient } from "@/components/api/json-request";
import { auditKeys } from "./audit-keys";
import { searchParamsFromAuditView, type AuditView } from "./audit-url-state";

/** The first page follows new entries and running actions finishing; later pages stand still while read. */
export const AUDIT_REFRESH_MS = 5_000;

/** GET /api/audit?<query>, validated. */
export async function fetchAuditPage(queryString: string, signal?: AbortSignal): Promise<AuditPage> {
  return getJson(queryString ? `${AUDIT_API.list}?${queryString}` : AUDIT_API.list, auditPageSchema, signal);
}

export function useAuditPage(view: AuditView) {
  const queryString = searchParamsFromAuditView(view).toString();
  const live = view.cursor === undefined;
  return useQuery({
    queryKey: auditKeys.page(queryString),
    queryFn: ({ signal }) => fetchAuditPage(queryString, signal),
    refetchInterval: live ? AUDIT_REFRESH_MS : false,
    placeholderData: keepPreviousData,
    retry: live ? false : retryTransient,
  });
}
