/** React Query keys of the health domain. The socket writes the report under the same key. */
export const healthKeys = {
  all: ["health"] as const,
  report: () => [...healthKeys.all, "report"] as const,
};
