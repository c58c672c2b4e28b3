import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditLog } from "@/components/audit/audit-log";
import { Skeleton } from "@/components/overview/stat";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit">Who did what to the pipeline, and when: every retry, replay and connector restart, with its reason and outcome.</PageHeader>
      {/* The log reads the URL's query string in the browser (useSearchParams), hence the boundary. */}
      <Suspense fallback={<Skeleton className="h-40 w-full" />}>
        <AuditLog />
      </Suspense>
    </>
  );
}
