import { describe, expect, it } from "vitest";
import { parseProcStat } from "./machine-cpu";

describe("parseProcStat", () => {
  it("reads idle (with iowait) and the total of the aggregate cpu line", () => {
    const text = "cpu  100 5 50 800 20 1 2 3 0 0\ncpu0 50 2 25 400 10 0 1 1 0 0\nintr 1\n";
    expect(parseProcStat(text)).toEqual({ idle: 820, total: 981 });
  });

  it("answers null without the line", () => {
    expect(parseProcStat("intr 1\n")).toBeNull();
  });
});
