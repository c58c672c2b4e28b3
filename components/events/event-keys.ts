/** React Query keys of the event trace. */
export const eventKeys = {
  all: ["events"] as const,
  trace: (eventId: string) => [...eventKeys.all, "trace", eventId] as const,
};
