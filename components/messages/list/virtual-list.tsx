"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { Skeleton } from "@/components/overview/stat";

/** Rows are one line each, of one height: the virtualizer then needs no measuring. */
export const LIST_ROW_HEIGHT_PX = 28;
/** Rows rendered beyond the visible ones, so a fast scroll does not show blank rows. */
const OVERSCAN_ROWS = 12;
const SKELETON_ROWS = 8;

export interface ListColumn<T> {
  id: string;
  header: ReactNode;
  /** A CSS grid track: "6rem", "minmax(10rem,1fr)". */
  width: string;
  align?: "right";
  cell: (row: T) => ReactNode;
  /** The whole value on hover, for a cell that may be cut short. */
  title?: (row: T) => string | undefined;
  className?: string;
}

/** Checkbox selection of rows, by key (for "Export selected"). */
export interface ListChecks {
  isChecked: (key: string) => boolean;
  onToggle: (key: string) => void;
  onToggleAll: () => void;
  /** State of the header's checkbox. */
  all: boolean;
  some: boolean;
}

type DataAttributes = Record<`data-${string}`, string | number>;

export interface VirtualListProps<T> {
  label: string;
  testId: string;
  /** Null while the first answer loads. */
  rows: readonly T[] | null;
  rowKey: (row: T) => string;
  rowTestId: string;
  rowAttributes: (row: T) => DataAttributes;
  columns: readonly ListColumn<T>[];
  /** The row open in the inspector. */
  openKey: string | null;
  onOpen: (row: T) => void;
  checks?: ListChecks;
  empty: ReactNode;
  /** Below this width the list scrolls sideways rather than squeezing its columns. */
  minWidth: string;
  /** CSS height of the scrolling area. */
  height: string;
  /**
   * Rows are added on top (a live list): when the reader has scrolled down, the rows they are
   * reading stay where they are instead of being pushed down by every batch.
   */
  keepPositionOnPrepend?: boolean;
  /** Scroll to this end whenever `positionKey` changes (a new page): the bottom for a page reached going back. */
  startAt?: { positionKey: string; end: "top" | "bottom" };
}

/**
 * A list of one-line rows, virtualized: thousands of rows cost what the visible few cost. Rows are
 * a CSS grid (not a <table>: table rows cannot be positioned independently). A click opens a row;
 * with the list focused, ↑/↓ (or k/j) open the previous or next one.
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { rows, rowKey, columns, checks } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rows?.length ?? 0;
  // TanStack Virtual returns a new object per render by design; nothing here memoizes on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LIST_ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    // Keyed by position, not by record: on a live list every flush prepends records and shifts
    // them all, and record keys would make React remove and recreate every visible row (hundreds
    // of elements, five times a second). By position the rows stay and only their text changes.
    getItemKey: (index) => index,
  });

  const firstKey = useRef<string | null>(null);
  // The scroll position as of the last scroll event. Reading element.scrollTop right after React
  // has changed the rows would make the browser lay the list out there and then, inside the
  // commit (about 20 ms per live flush on a busy machine); this keeps that work in the frame.
  const scrollTop = useRef(0);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const previous = firstKey.current;
    firstKey.current = rows && rows.length > 0 ? rowKey(rows[0]!) : null;
    if (!props.keepPositionOnPrepend || !element || !rows || previous === null || scrollTop.current <= 0) return;
    const shift = rows.findIndex((row) => rowKey(row) === previous);
    if (shift > 0) {
      scrollTop.current += shift * LIST_ROW_HEIGHT_PX;
      element.scrollTop = scrollTop.current;
    }
  }, [rows, rowKey, props.keepPositionOnPrepend]);

  const positioned = useRef<string | null>(null);
  const startKey = props.startAt?.positionKey ?? null;
  const startEnd = props.startAt?.end ?? "top";
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element || !rows || startKey === null || positioned.current === startKey) return;
    positioned.current = startKey;
    element.scrollTop = startEnd === "bottom" ? element.scrollHeight : 0;
  }, [rows, startKey, startEnd]);

  const template = [checks ? "2rem" : null, ...columns.map((column) => column.width)].filter(Boolean).join(" ");

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!rows || rows.length === 0) return;
    const step = event.key === "ArrowDown" || event.key === "j" ? 1 : event.key === "ArrowUp" || event.key === "k" ? -1 : 0;
    if (step === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const current = props.openKey === null ? -1 : rows.findIndex((row) => rowKey(row) === props.openKey);
    const next = Math.min(rows.length - 1, Math.max(0, current === -1 ? 0 : current + step));
    props.onOpen(rows[next]!);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  return (
    <div
      ref={scrollRef}
      data-testid={props.testId}
      role="table"
      aria-label={props.label}
      aria-rowcount={count}
      aria-busy={rows === null}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={(event) => {
        scrollTop.current = event.currentTarget.scrollTop;
      }}
      style={{ height: props.height }}
      className="overflow-auto rounded border border-line bg-surface text-xs focus:outline-none focus-visible:border-accent/60"
    >
      <div style={{ minWidth: props.minWidth }}>
        <div role="row" style={{ gridTemplateColumns: template }} className="sticky top-0 z-[1] grid border-b border-line bg-surface text-[11px] text-ink-muted">
          {checks ? (
            <div role="columnheader" className="flex items-center px-2 py-1">
              <input
                type="checkbox"
                aria-label="Select every row"
                checked={checks.all}
                ref={(input) => {
                  if (input) input.indeterminate = checks.some && !checks.all;
                }}
                disabled={count === 0}
                onChange={checks.onToggleAll}
                className="accent-accent"
              />
            </div>
          ) : null}
          {columns.map((column) => (
            <div key={column.id} role="columnheader" className={`truncate px-2 py-1 ${column.align === "right" ? "text-right" : ""}`}>
              {column.header}
            </div>
          ))}
        </div>
        {rows === null ? (
          <div className="space-y-2 px-2 py-2">
            {Array.from({ length: SKELETON_ROWS }, (_, index) => (
              <Skeleton key={index} className="h-3.5 w-full" />
            ))}
          </div>
        ) : rows.length === 0 ? (
          <div className="px-3 py-4 text-ink-faint">{props.empty}</div>
        ) : (
          <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              const key = rowKey(row);
              const open = key === props.openKey;
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 1}
                  aria-selected={open}
                  data-testid={props.rowTestId}
                  data-open={open}
                  {...props.rowAttributes(row)}
                  onClick={() => props.onOpen(row)}
                  style={{ gridTemplateColumns: template, height: LIST_ROW_HEIGHT_PX, transform: `translateY(${item.start}px)` }}
                  // contain: strict (the row's size is fixed): a row whose text changes is laid out alone, not the list.
                  className={`absolute top-0 left-0 grid w-full cursor-pointer items-center border-b border-line [contain:strict] ${
                    open ? "bg-accent/15 shadow-[inset_2px_0_0_var(--color-accent)]" : "hover:bg-surface-raised"
                  }`}
                >
                  {checks ? (
                    <div role="cell" className="flex items-center px-2">
                      <input
                        type="checkbox"
                        data-testid={`${props.rowTestId}-check`}
                        aria-label={`Select ${key}`}
                        checked={checks.isChecked(key)}
                        onClick={(event) => event.stopPropagation()}
                        onChange={() => checks.onToggle(key)}
                        className="accent-accent"
                      />
                    </div>
                  ) : null}
                  {columns.map((column) => (
                    <div
                      key={column.id}
                      role="cell"
                      title={column.title?.(row)}
                      className={`min-w-0 truncate px-2 ${column.align === "right" ? "tabular text-right" : ""} ${column.className ?? ""}`}
                    >
                      {column.cell(row)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
