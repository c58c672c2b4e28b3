import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { serverLogFailures } from "./pipeline";

const SERVER_LOG = ".stack-faults/logs/server.log";

/** Last: the server under all those faults never had an unhandled rejection or an uncaught exception. */
test("the server logged no unhandled rejection and no uncaught exception", () => {
  expect(readFileSync(SERVER_LOG, "utf8")).toContain("Outbox Lens listening");
  expect(serverLogFailures(SERVER_LOG)).toEqual([]);
});
