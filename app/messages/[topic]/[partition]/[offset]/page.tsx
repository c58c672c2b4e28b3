import type { Metadata } from "next";
import Link from "next/link";
import { MessageInspector } from "@/components/messages/inspector/message-inspector";
import { PageHeader } from "@/components/shell/page-header";
import { messagePositionSchema } from "@/lib/contracts/messages";
import { describeZodError } from "@/lib/errors/zod";

export const metadata: Metadata = { title: "Message" };

/** /messages/<topic>/<partition>/<offset>: one message on a page of its own, to link to. The API checks it again. */
export default async function MessagePage({ params }: { params: Promise<{ topic: string; partition: string; offset: string }> }) {
  const raw = await params;
  const parsed = messagePositionSchema.safeParse({ topic: raw.topic, partition: raw.partition, offset: raw.offset });
  return (
    <>
      <PageHeader title="Message">
        {parsed.success ? (
          <>
            <code className="font-mono text-ink">{parsed.data.topic}</code> partition {parsed.data.partition}, offset {parsed.data.offset} ·{" "}
          </>
        ) : null}
        <Link href="/messages" className="text-accent hover:underline">
          all messages
        </Link>
      </PageHeader>
      {parsed.success ? (
        <MessageInspector position={{ topic: parsed.data.topic, partition: parsed.data.partition, offset: String(BigInt(parsed.data.offset)) }} variant="page" />
      ) : (
        <p role="alert" data-testid="inspector-invalid" className="rounded border border-down/40 bg-down/10 px-2.5 py-1.5 text-xs text-down">
          Not a message position: {describeZodError(parsed.error)}
        </p>
      )}
    </>
  );
}
