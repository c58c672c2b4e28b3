"use client";

import { useState } from "react";
import type { ListChecks } from "./virtual-list";

/**
 * Rows checked in a list, kept with their data so a row that scrolls out of a live list stays
 * exportable. Checks belong to a scope (a page, a search, a filter): a new scope starts unchecked.
 */
export function useRowChecks<T>(scope: string, rows: readonly T[] | null, rowKey: (row: T) => string): { checks: ListChecks; checked: T[] } {
  const [state, setState] = useState<{ scope: string; items: ReadonlyMap<string, T> }>({ scope, items: new Map() });
  const items = state.scope === scope ? state.items : new Map<string, T>();
  const shown = rows ?? [];
  const allShownChecked = shown.length > 0 && shown.every((row) => items.has(rowKey(row)));

  const checks: ListChecks = {
    isChecked: (key) => items.has(key),
    onToggle: (key) => {
      const next = new Map(items);
      if (next.has(key)) next.delete(key);
      else {
        const row = shown.find((candidate) => rowKey(candidate) === key);
        if (row === undefined) return;
        next.set(key, row);
      }
      setState({ scope, items: next });
    },
    onToggleAll: () => {
      const next = new Map(items);
      if (allShownChecked) for (const row of shown) next.delete(rowKey(row));
      else for (const row of shown) next.set(rowKey(row), row);
      setState({ scope, items: next });
    },
    all: allShownChecked,
    some: items.size > 0,
  };
  return { checks, checked: [...items.values()] };
}
