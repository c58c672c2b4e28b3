import type { QueryClient } from "@tanstack/react-query";
import { fetchMessage } from "../messages-api";
import { messagesKeys } from "../messages-keys";
import type { MessageRef } from "../url-state";
import { exportedMessage } from "./export-records";
import type { LoadedSelection } from "./export-selected";

/** Messages "Export selected" reads one by one at most: beyond it, the server's export is the tool. */
export const EXPORT_SELECTED_MAX = 500;
/** Reads in flight at once: quick for a few dozen, gentle on the server for hundreds. */
const EXPORT_SELECTED_CONCURRENCY = 4;

/**
 * The full messages of the rows checked in a list of summaries, read through the same cache as the
 * inspector (a message at an offset never changes), in the order given.
 */
export async function loadSelectedMessages(queryClient: QueryClient, refs: readonly MessageRef[], onProgress: (done: number) => void): Promise<LoadedSelection> {
  const wanted = refs.slice(0, EXPORT_SELECTED_MAX);
  const results: (LoadedSelection["messages"][number] | null)[] = new Array(wanted.length).fill(null);
  const failures: string[] = [];
  if (refs.length > wanted.length) failures.push(`only the first ${EXPORT_SELECTED_MAX} are exported; use Export JSON Lines for more`);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const index = next;
      next += 1;
      const ref = wanted[index]!;
      try {
        const view = await queryClient.fetchQuery({ queryKey: messagesKeys.message(ref, false), queryFn: ({ signal }) => fetchMessage(ref, false, signal), staleTime: Infinity });
        results[index] = exportedMessage(view);
      } catch (error) {
        failures.push(`${ref.partition}:${ref.offset} (${error instanceof Error ? error.message : String(error)})`);
      }
      done += 1;
      onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXPORT_SELECTED_CONCURRENCY, wanted.length) }, worker));
  return { messages: results.filter((message) => message !== null), failures };
}
