/** The app's sections, in header order. */
export const NAV_ITEMS: readonly { href: string; label: string }[] = [
  { href: "/", label: "Overview" },
  { href: "/messages", label: "Messages" },
  { href: "/outbox", label: "Outbox" },
  { href: "/consumers", label: "Consumers" },
  { href: "/audit", label: "Audit" },
];

/** "/" is active only on itself; other sections also on their sub-pages. */
export function isActiveSection(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
