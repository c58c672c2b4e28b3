import type { MessageRef } from "./url-state";

/** React Query keys of the Messages page. */
export const messagesKeys = {
  all: ["messages"] as const,
  topics: () => [...messagesKeys.all, "topics"] as const,
  /** One browse page by its query string (topic, partition, from, dir, limit). */
  browse: (queryString: string) => [...messagesKeys.all, "browse", queryString] as const,
  /** One message; `full` is the whole value rather than the preview. */
  message: (ref: MessageRef, full: boolean) => [...messagesKeys.all, "message", ref.topic, ref.partition, ref.offset, full] as const,
  /** A search's progress and matches so far. */
  search: (searchId: string) => [...messagesKeys.all, "search", searchId] as const,
};
