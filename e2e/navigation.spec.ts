import { expect, test } from "@playwright/test";

const SECTIONS = [
  { link: "Messages", path: "/messages", heading: "Messages" },
  { link: "Outbox", path: "/outbox", heading: "Outbox" },
  { link: "Consumers", path: "/consumers", heading: "Consumers" },
  { link: "Audit", path: "/audit", heading: "Audit" },
  { link: "Overview", path: "/", heading: "Overview" },
] as const;

test("every section is reachable from the header and keeps the live indicator", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Sections" });
  for (const section of SECTIONS) {
    await nav.getByRole("link", { name: section.link, exact: true }).click();
    await expect(page).toHaveURL(section.path);
    await expect(page.getByRole("heading", { level: 1, name: section.heading })).toBeVisible();
    await expect(nav.getByRole("link", { name: section.link, exact: true })).toHaveAttribute("aria-current", "page");
    // Client-side navigation keeps the one socket of the tab.
    await expect(page.getByTestId("conn-state")).toHaveAttribute("data-state", "connected");
  }
  expect(pageErrors).toEqual([]);
});

test("the header fits common laptop and desktop widths: every section, pill and the sign-in state on screen, in one row from 1366 px", async ({ page }) => {
  for (const width of [1024, 1280, 1366, 1440, 1920]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/outbox");
    await expect(page.getByTestId("conn-state")).toHaveAttribute("data-state", "connected");
    const layout = await page.evaluate(() => {
      const header = document.querySelector("header")!;
      const inView = (element: Element | null) => {
        const box = element?.getBoundingClientRect();
        return box !== undefined && box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
      };
      const links = [...header.querySelectorAll('nav[aria-label="Sections"] a')];
      return {
        pageOverflows: document.documentElement.scrollWidth > window.innerWidth,
        headerHeight: header.getBoundingClientRect().height,
        linksInView: links.filter(inView).length,
        links: links.length,
        pillsInView: [...header.querySelectorAll('[aria-label="Pipeline health"] li')].filter(inView).length,
        liveInView: inView(header.querySelector('[data-testid="conn-state"]')),
        sessionInView: inView(header.querySelector('[data-testid="session-status"]')),
      };
    });
    expect(layout, `at ${width} px`).toMatchObject({ pageOverflows: false, linksInView: layout.links, pillsInView: 3, liveInView: true, sessionInView: true });
    // One row of ~44 px from 1366 px up; below, the sections have a second row of their own.
    if (width >= 1366) expect(layout.headerHeight, `at ${width} px`).toBeLessThan(50);
    else expect(layout.headerHeight, `at ${width} px`).toBeGreaterThan(60);
  }
});

test("the messages section opens on its live tail, with browse and search a click away", async ({ page }) => {
  await page.goto("/messages");
  await expect(page.getByTestId("messages-mode-live")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("tail-list")).toBeVisible();
  await page.getByTestId("messages-mode-browse").click();
  await expect(page).toHaveURL(/mode=browse/);
  await expect(page.getByTestId("browse-form")).toBeVisible();
  await page.getByTestId("messages-mode-search").click();
  await expect(page).toHaveURL(/mode=search/);
  await expect(page.getByTestId("search-form")).toBeVisible();
});

test("an unknown path answers 404 inside the app's frame", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
});
