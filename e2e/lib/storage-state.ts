/** Cookies of a viewer's session, written by e2e/auth.setup.ts before the specs run. */
export const VIEWER_STATE = process.env.OUTBOX_LENS_VIEWER_STATE ?? "test-results/.auth/viewer.json";
