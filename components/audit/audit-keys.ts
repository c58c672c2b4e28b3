/** React Query keys of the audit log. */
export const auditKeys = {
  all: ["audit"] as const,
  page: (queryString: string) => [...auditKeys.all, "page", queryString] as const,
};
