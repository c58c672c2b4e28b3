import type { Hop } from "@/lib/contracts/metrics";
import { CHART_COLORS } from "./palette";

/** One colour per latency hop, shared by every latency chart so a hop reads the same everywhere. */
export const HOP_COLORS: Record<Hop, string> = {
  capture: CHART_COLORS.accent,
  outboxToKafka: CHART_COLORS.violet,
  kafkaToProcessed: CHART_COLORS.cyan,
  endToEnd: CHART_COLORS.pending,
};

/** Hop names short enough for a legend; the tables use the contract's full HOP_LABELS. */
export const HOP_SHORT_LABELS: Record<Hop, string> = {
  capture: "capture",
  outboxToKafka: "outbox→Kafka",
  kafkaToProcessed: "Kafka→processed",
  endToEnd: "end to end",
};
