import { describe, expect, it } from "vitest";
import { formatMissingBrokers, replicationProblems } from "./replication";

describe("formatMissingBrokers", () => {
  it("names one, two or more brokers", () => {
    expect(formatMissingBrokers([])).toBe("");
    expect(formatMissingBrokers([2])).toBe("broker 2 missing");
    expect(formatMissingBrokers([2, 3])).toBe("brokers 2 and 3 missing");
    expect(formatMissingBrokers([1, 2, 3])).toBe("brokers 1, 2 and 3 missing");
  });
});

describe("replicationProblems", () => {
  const healthy = { partitions: 3, underReplicated: 0, offline: 0, belowMinIsr: 0, missingBrokers: [] };

  it("is null when nothing is wrong, also when min.insync.replicas is unknown", () => {
    expect(replicationProblems(healthy)).toBeNull();
    expect(replicationProblems({ ...healthy, belowMinIsr: null })).toBeNull();
  });

  it("says what is wrong, worst first", () => {
    expect(replicationProblems({ ...healthy, missingBrokers: [{ nodeId: 2 }], underReplicated: 3 })).toBe("broker 2 missing; 3 of 3 partitions under-replicated");
    expect(replicationProblems({ partitions: 1, underReplicated: 1, offline: 1, belowMinIsr: 0, missingBrokers: [{ nodeId: 1 }] })).toBe(
      "1 of 1 partition offline (no leader); broker 1 missing; 1 of 1 partition under-replicated",
    );
  });
});
