import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <NotBuiltYet
      title="Audit"
      summary="Who did what to the pipeline, and when."
      plans={["Every retry, replay and connector restart with its operator, time and outcome", "Filter by operator, action and event id"]}
    />
  );
}
