import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { AppProviders } from "@/components/providers/app-providers";
import { AppHeader } from "@/components/shell/app-header";
import { findRuntime } from "@/server/runtime";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Outbox Lens", template: "%s · Outbox Lens" },
  description: "Ops dashboard for transactional-outbox pipelines: PostgreSQL outbox → Debezium → Kafka → consumers.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page shows the live state of this server process: nothing can be prerendered at build.
  await connection();
  const runtime = findRuntime();

  return (
    <html lang="en">
      <body className="min-h-screen">
        <AppProviders initialHealth={runtime?.health.latest() ?? null}>
          <AppHeader stackName={runtime?.config.stackName ?? null} />
          <main className="mx-auto max-w-[1600px] px-4 py-4">{children}</main>
        </AppProviders>
      </body>
    </html>
  );
}
