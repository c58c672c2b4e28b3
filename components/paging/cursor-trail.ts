import { useState } from "react";

/**
 * Keyset paging goes forward only: a page's answer names the next cursor, never the previous one.
 * "Previous" therefore needs the cursors that led here, kept as a trail. The trail is valid only
 * for the list it was recorded on (`scope`: the filter) and the page it ends at (`at`); when the
 * URL moves any other way (back button, a pasted link, a new filter) it no longer matches and is
 * ignored, so "Previous" is never wrong, only sometimes unavailable ("First page" always is).
 */

/** Pages remembered behind the current one: deep enough for reading, bounded so the trail cannot grow without end. */
export const MAX_TRAIL_PAGES = 50;

export interface CursorTrail {
  scope: string;
  /** The cursor of the page the trail leads to; null for the first page. */
  at: string | null;
  /** The cursors of the pages before it, oldest first; null is the first page. */
  behind: readonly (string | null)[];
}

const NOTHING_BEHIND: readonly (string | null)[] = [];

/** The pages behind `at`, or none when the trail was recorded for another list or page. */
export function pagesBehind(trail: CursorTrail | null, scope: string, at: string | null): readonly (string | null)[] {
  return trail !== null && trail.scope === scope && trail.at === at ? trail.behind : NOTHING_BEHIND;
}

/** The trail after moving from `at` to `next`. */
export function stepForward(trail: CursorTrail | null, scope: string, at: string | null, next: string): CursorTrail {
  return { scope, at: next, behind: [...pagesBehind(trail, scope, at), at].slice(-MAX_TRAIL_PAGES) };
}

/** The trail after moving back one page, and the cursor of that page; null when there is nothing behind. */
export function stepBack(trail: CursorTrail | null, scope: string, at: string | null): { trail: CursorTrail; cursor: string | null } | null {
  const behind = pagesBehind(trail, scope, at);
  if (behind.length === 0) return null;
  const cursor = behind[behind.length - 1] ?? null;
  return { trail: { scope, at: cursor, behind: behind.slice(0, -1) }, cursor };
}

/**
 * The trail of one list. `forward(next)` and `back()` record the move and return the cursor to
 * navigate to; the caller puts it in the URL.
 */
export function useCursorTrail(scope: string, at: string | null) {
  const [trail, setTrail] = useState<CursorTrail | null>(null);
  const canGoBack = pagesBehind(trail, scope, at).length > 0;
  return {
    canGoBack,
    forward(next: string): string {
      setTrail(stepForward(trail, scope, at, next));
      return next;
    },
    back(): string | null {
      const step = stepBack(trail, scope, at);
      if (!step) return null;
      setTrail(step.trail);
      return step.cursor;
    },
  };
}
