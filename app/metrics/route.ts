import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint: the latest snapshot's numbers and the process's own metrics. */
export async function GET(): Promise<Response> {
  const { prometheus } = getRuntime();
  return new Response(await prometheus.metrics(), {
    headers: { "content-type": prometheus.contentType, "cache-control": "no-store" },
  });
}
