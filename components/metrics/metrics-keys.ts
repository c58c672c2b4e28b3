/** React Query keys of the live-metrics domain. The socket writes pushed data under these keys. */
export const metricsKeys = {
  all: ["metrics"] as const,
  snapshot: () => [...metricsKeys.all, "snapshot"] as const,
  history: () => [...metricsKeys.all, "history"] as const,
};
