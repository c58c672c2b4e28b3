"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { NAV_ITEMS, isActiveSection } from "./navigation";

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="flex h-10 items-stretch min-[1366px]:h-full">
      {NAV_ITEMS.map(({ href, label }) => {
        const active = isActiveSection(href, pathname);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`flex items-center border-b-2 px-3 text-[13px] whitespace-nowrap transition-colors ${
              active ? "border-accent text-ink" : "border-transparent text-ink-muted hover:text-ink"
            }`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
