import Link from "next/link";
import { SessionStatus } from "@/components/auth/session-status";
import { HealthPills } from "@/components/pipeline/health-pills";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { NavLinks } from "./nav-links";

/** The top bar: product, sections, the live indicator (socket state + one pill per component), and who is signed in. */
export function AppHeader({ stackName }: { stackName: string | null }) {
  return (
    <header className="sticky top-0 z-10 border-b border-line bg-surface/95 backdrop-blur">
      {/* One row from 1366 px up (it needs ~1,320 px); below that the sections move to a second,
          scrollable row so the live indicator never leaves the screen. In one row nothing wraps:
          should a long user name leave too little room, the sections scroll, not the header. */}
      <div className="mx-auto flex min-h-11 max-w-[1600px] flex-wrap items-center gap-x-4 px-4 min-[1366px]:flex-nowrap">
        <Link href="/" className="flex shrink-0 items-center gap-2 text-sm font-semibold tracking-tight whitespace-nowrap text-ink">
          <svg aria-hidden viewBox="0 0 32 32" className="size-5">
            <circle cx="14" cy="14" r="7" fill="none" stroke="var(--color-accent)" strokeWidth="3" />
            <path d="M19 19l7 7" stroke="var(--color-accent)" strokeWidth="3" strokeLinecap="round" />
            <circle cx="14" cy="14" r="2.5" fill="var(--color-up)" />
          </svg>
          Outbox Lens
        </Link>
        {stackName ? (
          <span title="Stack these settings came from" className="shrink-0 rounded-sm border border-line-strong px-1.5 text-[11px] text-ink-muted">
            {stackName}
          </span>
        ) : null}
        <div className="order-last -mx-4 w-[calc(100%+2rem)] overflow-x-auto border-t border-line px-1 min-[1366px]:order-none min-[1366px]:mx-0 min-[1366px]:w-auto min-[1366px]:min-w-0 min-[1366px]:self-stretch min-[1366px]:border-t-0 min-[1366px]:px-0">
          <NavLinks />
        </div>
        <div className="ml-auto flex shrink-0 items-center gap-2 py-1.5">
          <ConnectionIndicator />
          <HealthPills />
          <SessionStatus />
        </div>
      </div>
    </header>
  );
}
