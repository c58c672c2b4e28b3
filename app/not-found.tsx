import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";

export default function NotFound() {
  return (
    <>
      <PageHeader title="Not found" />
      <p className="text-sm text-ink-muted">
        There is no page here. Back to the{" "}
        <Link href="/" className="text-accent hover:underline">
          overview
        </Link>
        .
      </p>
    </>
  );
}
