import { AssignerProtocol } from "kafkajs";
import { describe, expect, it } from "vitest";
import { decodeMemberAssignment, membersOwning, partitionOwners } from "./member-assignment";

/** A ConsumerProtocol assignment as the Java client writes it: int16 version, [topic, [int32]], nullable bytes. */
function javaAssignment(version: number, assignment: Record<string, number[]>, userData: Buffer | null): Buffer {
  const parts: Buffer[] = [];
  const int16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  parts.push(int16(version), int32(Object.keys(assignment).length));
  for (const [topic, partitions] of Object.entries(assignment)) {
    parts.push(int16(Buffer.byteLength(topic)), Buffer.from(topic), int32(partitions.length), ...partitions.map(int32));
  }
  parts.push(userData === null ? int32(-1) : Buffer.concat([int32(userData.length), userData]));
  return Buffer.concat(parts);
}

describe("decodeMemberAssignment", () => {
  it("reads a Java consumer's assignment (version 3, null user data), partitions sorted", () => {
    const bytes = javaAssignment(3, { "postgres.activity.event_outbox": [2, 0], other: [5] }, null);
    const decoded = decodeMemberAssignment(bytes);
    expect(decoded?.get("postgres.activity.event_outbox")).toEqual([0, 2]);
    expect(decoded?.get("other")).toEqual([5]);
  });

  it("reads what KafkaJS itself encodes", () => {
    const bytes = AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: { t: [1, 3] }, userData: Buffer.alloc(0) });
    expect(decodeMemberAssignment(bytes)?.get("t")).toEqual([1, 3]);
  });

  it("gives null for no assignment (a member still joining) and for bytes that are not an assignment", () => {
    expect(decodeMemberAssignment(null)).toBeNull();
    expect(decodeMemberAssignment(Buffer.alloc(0))).toBeNull();
    expect(decodeMemberAssignment(Buffer.from([0, 1, 0x7f, 0xff, 0xff, 0xff]))).toBeNull();
    expect(decodeMemberAssignment(Buffer.from("not an assignment at all"))).toBeNull();
  });
});

describe("membersOwning and partitionOwners", () => {
  const members = [
    { memberId: "m-1", clientId: "processor-1", clientHost: "/10.0.0.5", memberAssignment: javaAssignment(3, { topic: [0, 2] }, null) },
    { memberId: "m-2", clientId: "processor-2", clientHost: "/10.0.0.6", memberAssignment: javaAssignment(3, { topic: [1], elsewhere: [0] }, null) },
  ];

  it("lists each member's partitions of the topic, with the host as an address", () => {
    expect(membersOwning(members, "topic", "consumer")).toEqual([
      { memberId: "m-1", clientId: "processor-1", host: "10.0.0.5", partitions: [0, 2] },
      { memberId: "m-2", clientId: "processor-2", host: "10.0.0.6", partitions: [1] },
    ]);
  });

  it("does not read assignments of groups that are not consumer groups (Kafka Connect workers)", () => {
    expect(membersOwning(members, "topic", "connect").every((m) => m.partitions.length === 0)).toBe(true);
  });

  it("names each partition's owner as clientId/host", () => {
    const owners = partitionOwners(membersOwning(members, "topic", "consumer"));
    expect(Object.fromEntries(owners)).toEqual({ 0: "processor-1/10.0.0.5", 1: "processor-2/10.0.0.6", 2: "processor-1/10.0.0.5" });
  });
});
