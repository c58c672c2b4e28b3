import type { Metadata } from "next";
import { ConsumerGroups } from "@/components/consumers/consumer-groups";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Consumers" };

export default function ConsumersPage() {
  return (
    <>
      <PageHeader title="Consumers">Consumer groups reading the topic: members, lag per partition in records and in time, and how it moved.</PageHeader>
      <ConsumerGroups />
    </>
  );
}
