/**
 * Class names of the form controls on the outbox, event and audit pages, written out whole so
 * Tailwind finds them. The login form's inputs are the model, a size smaller for dense filter bars.
 */

export const INPUT_CLASS =
  "w-full rounded border border-line-strong bg-canvas px-2 py-1 text-xs text-ink placeholder:text-ink-faint focus:border-accent focus:outline-none disabled:opacity-60";

export const LABEL_CLASS = "block space-y-0.5 text-[11px] text-ink-muted";

/** A neutral button: paging, apply, clear, show rows. */
export const BUTTON_CLASS =
  "rounded border border-line-strong px-2 py-0.5 text-xs text-ink hover:bg-surface-raised disabled:cursor-not-allowed disabled:opacity-50";

/** A button that changes the pipeline (retry, replay): the accent, so it is never mistaken for a filter. */
export const WRITE_BUTTON_CLASS =
  "rounded border border-accent/60 px-2 py-0.5 text-xs text-accent hover:bg-accent/10 disabled:cursor-not-allowed disabled:opacity-50";

/** The one primary button of a dialog. */
export const PRIMARY_BUTTON_CLASS =
  "rounded bg-accent px-3 py-1 text-xs font-medium text-canvas transition-opacity hover:opacity-90 disabled:cursor-not-allowed disabled:opacity-50";

/** A refusal or failure as the server worded it. */
export const ALERT_CLASS = "rounded border border-down/40 bg-down/10 px-2.5 py-1.5 text-xs break-words text-down";
