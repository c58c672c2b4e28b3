import type { LaunchOptions } from "@playwright/test";

/**
 * How the project's browser tests and benches start Chromium: Debian's package (Playwright's own
 * browser downloads are not used), as root (--no-sandbox: Chromium refuses its sandbox as root),
 * and kept from reaching out to the network (updates, sync, field trials) where there is none.
 */
export const CHROMIUM_LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
};
