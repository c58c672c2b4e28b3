import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

/** Last: the server under all those faults never had an unhandled rejection or an uncaught exception. */
test("the server logged no unhandled rejection and no uncaught exception", () => {
  const log = readFileSync(".stack-faults/logs/server.log", "utf8");
  expect(log).toContain("Outbox Lens listening");
  expect(log.match(/^.*(unhandled promise rejection|uncaught exception|uncaughtException).*$/gim) ?? []).toEqual([]);
});
