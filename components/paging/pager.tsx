import { BUTTON_CLASS } from "@/components/forms/field-styles";

/**
 * First / Previous / Next for a keyset-paged list. "Previous" needs the trail of cursors (see
 * cursor-trail.ts) and can be unavailable where "First page" is not.
 */
export function Pager(props: {
  testIdPrefix: string;
  onFirstPage: boolean;
  canGoBack: boolean;
  hasNext: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <nav aria-label="Pages" className="flex items-center gap-1.5">
      <button type="button" data-testid={`${props.testIdPrefix}-first`} disabled={props.onFirstPage} onClick={props.onFirst} className={BUTTON_CLASS}>
        First page
      </button>
      <button type="button" data-testid={`${props.testIdPrefix}-previous`} disabled={!props.canGoBack} onClick={props.onPrevious} className={BUTTON_CLASS}>
        ← Previous
      </button>
      <button type="button" data-testid={`${props.testIdPrefix}-next`} disabled={!props.hasNext} onClick={props.onNext} className={BUTTON_CLASS}>
        Next page →
      </button>
    </nav>
  );
}
