import { useQuery, type QueryClient } from "@tanstack/react-query";
import {
  HISTORY_SECONDS,
  historyPointSchema,
  metricsSnapshotSchema,
  type HistoryPoint,
  type MetricsSnapshot,
} from "@/lib/contracts/metrics";
import { metricsKeys } from "./metrics-keys";

/**
 * Live metrics arrive only by push (socket events `metrics:snapshot` and `metrics:history`); these
 * functions validate them and keep them in the React Query cache, and the hooks read them there.
 */

const historyArraySchema = historyPointSchema.array().max(HISTORY_SECONDS * 2);

/** Replaces the history (on connect and after every reconnect: the server's copy is the truth). */
export function receiveHistory(queryClient: QueryClient, points: unknown): void {
  const parsed = historyArraySchema.safeParse(points);
  if (!parsed.success) return;
  queryClient.setQueryData<HistoryPoint[]>(metricsKeys.history(), parsed.data.slice(-HISTORY_SECONDS));
}

/** Stores the newest snapshot and appends its point to the history, keeping at most 15 minutes. */
export function receiveSnapshot(queryClient: QueryClient, update: unknown): void {
  const snapshot = metricsSnapshotSchema.safeParse((update as { snapshot?: unknown } | null)?.snapshot);
  const point = historyPointSchema.safeParse((update as { point?: unknown } | null)?.point);
  if (!snapshot.success || !point.success) return;
  queryClient.setQueryData<MetricsSnapshot>(metricsKeys.snapshot(), snapshot.data);
  queryClient.setQueryData<HistoryPoint[]>(metricsKeys.history(), (previous = []) => appendPoint(previous, point.data));
}

/** Appends a point unless the history already has it (a snapshot can race the history on connect). */
export function appendPoint(history: HistoryPoint[], point: HistoryPoint): HistoryPoint[] {
  const last = history[history.length - 1];
  if (last && last.at >= point.at) return history;
  const next = history.length >= HISTORY_SECONDS ? history.slice(history.length - HISTORY_SECONDS + 1) : history.slice();
  next.push(point);
  return next;
}

const pushedOnly = {
  // Never fetched: the data exists once the server has pushed it.
  queryFn: () => Promise.reject(new Error("live metrics arrive by push only")),
  enabled: false,
  staleTime: Infinity,
  // No structural sharing: the query client's defaults for these keys turn it off (app-providers.tsx).
} as const;

export function useMetricsSnapshot(): MetricsSnapshot | undefined {
  return useQuery<MetricsSnapshot>({ queryKey: metricsKeys.snapshot(), ...pushedOnly }).data;
}

/** One value of the latest snapshot: the component renders again when that value changes, not at every snapshot. */
export function useMetricsSnapshotValue<T>(select: (snapshot: MetricsSnapshot) => T): T | undefined {
  return useQuery<MetricsSnapshot, Error, T>({ queryKey: metricsKeys.snapshot(), ...pushedOnly, select }).data;
}

export function useMetricsHistory(): HistoryPoint[] {
  return useQuery<HistoryPoint[]>({ queryKey: metricsKeys.history(), ...pushedOnly }).data ?? EMPTY;
}

const EMPTY: HistoryPoint[] = [];
