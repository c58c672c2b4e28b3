"use client";

import { useState } from "react";
import { formatCount } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";
import { CSV_TYPE, JSON_LINES_TYPE, downloadText } from "./download";
import { exportFileName, messagesCsv, toJsonLines, type ExportedMessage } from "./export-records";

/** What loading the selected messages gave: those read, and why the others could not be. */
export interface LoadedSelection {
  messages: ExportedMessage[];
  failures: string[];
}

/**
 * "Export selected" as JSON Lines or CSV, made in the browser from the messages checked in the
 * list. `load` gives their full form (from the page already loaded, or read one by one).
 */
export function ExportSelected({ count, load, fileStem }: { count: number; load: (onProgress: (done: number) => void) => Promise<LoadedSelection>; fileStem: string }) {
  const [status, setStatus] = useState<{ busy: boolean; done: number; note: string | null }>({ busy: false, done: 0, note: null });

  const run = async (format: "jsonl" | "csv") => {
    setStatus({ busy: true, done: 0, note: null });
    try {
      const { messages, failures } = await load((done) => setStatus((current) => ({ ...current, done })));
      if (messages.length > 0) {
        const name = exportFileName([fileStem, `${messages.length}-messages`], format);
        if (format === "jsonl") downloadText(toJsonLines(messages), name, JSON_LINES_TYPE);
        else downloadText(messagesCsv(messages), name, CSV_TYPE);
      }
      const note = failures.length > 0 ? `${formatCount(failures.length)} could not be read: ${failures.slice(0, 3).join("; ")}${failures.length > 3 ? "; …" : ""}` : null;
      setStatus({ busy: false, done: 0, note });
    } catch (error) {
      setStatus({ busy: false, done: 0, note: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <button type="button" data-testid="export-selected" data-count={count} disabled={count === 0 || status.busy} onClick={() => void run("jsonl")} className={BUTTON_CLASS} title="The checked messages as JSON Lines, one message a line">
        Export {count > 0 ? formatCount(count) : ""} selected
      </button>
      <button type="button" data-testid="export-selected-csv" disabled={count === 0 || status.busy} onClick={() => void run("csv")} className={BUTTON_CLASS} title="The checked messages as CSV">
        as CSV
      </button>
      {status.busy ? (
        <span className="text-[11px] text-ink-muted">
          reading {formatCount(status.done)} of {formatCount(count)}…
        </span>
      ) : null}
      {status.note ? (
        <span role="status" data-testid="export-selected-note" className="text-[11px] text-pending">
          {status.note}
        </span>
      ) : null}
    </span>
  );
}
