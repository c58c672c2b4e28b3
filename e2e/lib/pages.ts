import { expect, type Page } from "@playwright/test";

/**
 * Opens a page and waits until what the server streamed after a Suspense fallback is in place.
 * React keeps a streamed boundary's content in a hidden `<div id="S:…">` until it reveals it (a
 * reveal can wait a few hundred milliseconds), and a boundary the client renders itself meanwhile
 * leaves that hidden copy in the document until then: a test id would match twice.
 */
export async function gotoPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('div[hidden][id^="S:"]')).toHaveCount(0);
}
