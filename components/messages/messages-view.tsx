"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { BrowseMode } from "./browse/browse-mode";
import { MessageInspector } from "./inspector/message-inspector";
import { recordKey } from "./live/tail-buffer";
import { LiveTail } from "./live/live-tail";
import { SearchMode } from "./search/search-mode";
import {
  MESSAGE_MODES,
  formatMessageRef,
  linkOf,
  messagesHref,
  parseMessagesUrl,
  switchMode,
  type MessageMode,
  type MessageRef,
  type MessagesLink,
} from "./url-state";

const MODE_LABELS: Readonly<Record<MessageMode, { label: string; title: string }>> = {
  live: { label: "Live", title: "The newest records as they arrive" },
  browse: { label: "Browse", title: "A page of a topic from an offset, a time, the beginning or the end" },
  search: { label: "Search", title: "A bounded scan of a range with filters, on the server" },
};

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
}

/**
 * The /messages page's live part. What it shows is the URL's: the mode, its range or filter, and
 * the message open in the inspector beside the list. A mode or range change is a navigation (Back
 * works); opening a message replaces the URL (a row a second is not history worth keeping), and
 * goes through the History API, which Next's router follows, so it costs no server round trip.
 */
export function MessagesView({ outboxTopic }: { outboxTopic: string | null }) {
  const searchParams = useSearchParams();
  const router = useRouter();
  const state = useMemo(() => parseMessagesUrl(searchParams), [searchParams]);
  const { mode, message, ignored } = state;

  const go = (link: MessagesLink) => router.push(messagesHref(link), { scroll: false });
  const open = (ref: MessageRef | null) => window.history.replaceState(null, "", messagesHref({ ...linkOf(state), message: ref }));
  const openKey = message ? recordKey(message) : null;
  const compact = message !== null;

  useEffect(() => {
    if (!message) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !isTyping(event.target)) open(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-1 border-b border-line">
        <nav aria-label="Modes" className="flex">
          {MESSAGE_MODES.map((option) => (
            <Link
              key={option}
              href={messagesHref(switchMode(state, option))}
              scroll={false}
              data-testid={`messages-mode-${option}`}
              aria-current={option === mode ? "page" : undefined}
              title={MODE_LABELS[option].title}
              className={`-mb-px border-b-2 px-3 py-1.5 text-[13px] ${option === mode ? "border-accent text-ink" : "border-transparent text-ink-muted hover:text-ink"}`}
            >
              {MODE_LABELS[option].label}
            </Link>
          ))}
        </nav>
        {ignored.length > 0 ? (
          <p data-testid="messages-ignored" className="pb-1.5 text-xs text-pending">
            Left out of this link: {ignored.map((entry) => `${entry.param} (${entry.message})`).join("; ")}
          </p>
        ) : null}
        <p className="ml-auto hidden pb-1.5 text-[11px] text-ink-faint lg:block">click a row to read it · ↑/↓ in a list move between rows · Esc closes</p>
      </div>
      <div className={message ? "grid items-start gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(30rem,42%)]" : ""}>
        <div className="min-w-0">
          {mode === "live" ? (
            <LiveTail filter={state.live.filter} openKey={openKey} onOpen={open} onFilter={(filter) => go({ mode: "live", live: { filter } })} compact={compact} />
          ) : mode === "browse" ? (
            <BrowseMode view={state.browse} defaultTopic={outboxTopic} openKey={openKey} onOpen={open} onNavigate={(browse) => go({ mode: "browse", browse })} compact={compact} />
          ) : (
            <SearchMode view={state.search} defaultTopic={outboxTopic} openKey={openKey} onOpen={open} onNavigate={(search) => go({ mode: "search", search })} compact={compact} />
          )}
        </div>
        {message ? (
          <aside aria-label="Message" className="min-w-0 xl:sticky xl:top-14 xl:max-h-[calc(100vh-4.5rem)] xl:overflow-y-auto">
            <MessageInspector key={formatMessageRef(message)} position={message} variant="panel" onClose={() => open(null)} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
