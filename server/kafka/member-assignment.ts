import { AssignerProtocol } from "./kafkajs";

/**
 * Which partitions each member of a consumer group owns, from DescribeGroups. The member
 * assignment is opaque bytes in the protocol; for groups of protocol type "consumer" (Java clients,
 * KafkaJS, librdkafka) it is the ConsumerProtocol assignment, which KafkaJS's decoder reads: a
 * version, then topic → partitions, then user data. Its layout has not changed in any version.
 */

/** The protocol type whose member assignments are ConsumerProtocol assignments (Connect workers use "connect"). */
export const CONSUMER_PROTOCOL_TYPE = "consumer";

/** Guards the decode against a hostile or corrupt assignment: no consumer is assigned more. */
export const MAX_ASSIGNED_PARTITIONS_PER_MEMBER = 100_000;

/** topic → assigned partitions (sorted), or null when the bytes are empty or not a ConsumerProtocol assignment. */
export function decodeMemberAssignment(bytes: Buffer | null | undefined): Map<string, number[]> | null {
  if (!bytes || bytes.length === 0) return null;
  let decoded: { assignment: Record<string, unknown> } | null;
  try {
    decoded = AssignerProtocol.MemberAssignment.decode(bytes) as { assignment: Record<string, unknown> } | null;
  } catch {
    return null;
  }
  if (!decoded || typeof decoded.assignment !== "object" || decoded.assignment === null) return null;
  const byTopic = new Map<string, number[]>();
  let total = 0;
  // Own keys only: KafkaJS builds the object with Object.assign, so a topic named "__proto__"
  // would not even show up here, which is acceptable for a display of ownership.
  for (const topic of Object.keys(decoded.assignment)) {
    const partitions = decoded.assignment[topic];
    if (!Array.isArray(partitions)) return null;
    total += partitions.length;
    if (total > MAX_ASSIGNED_PARTITIONS_PER_MEMBER) return null;
    if (!partitions.every((p) => Number.isInteger(p) && p >= 0)) return null;
    byTopic.set(topic, [...(partitions as number[])].sort((a, b) => a - b));
  }
  return byTopic;
}

/** A group member as DescribeGroups returns it (the KafkaJS shape). */
export interface DescribedMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  memberAssignment: Buffer | null;
}

export interface GroupMemberOwnership {
  memberId: string;
  clientId: string;
  /** The client's address without the leading "/" Java's InetAddress.toString() adds. */
  host: string;
  /** Partitions of the monitored topic the member owns. */
  partitions: number[];
}

/** Members with their partitions of `topic`; assignments are only read for "consumer" groups. */
export function membersOwning(members: readonly DescribedMember[], topic: string, protocolType: string): GroupMemberOwnership[] {
  return members.map((member) => {
    const assignment = protocolType === CONSUMER_PROTOCOL_TYPE ? decodeMemberAssignment(member.memberAssignment) : null;
    return {
      memberId: member.memberId,
      clientId: member.clientId,
      host: member.clientHost.replace(/^\//, ""),
      partitions: assignment?.get(topic) ?? [],
    };
  });
}

/** partition → "clientId/host" of the member that owns it. */
export function partitionOwners(members: readonly GroupMemberOwnership[]): Map<number, string> {
  const owners = new Map<number, string>();
  for (const member of members) {
    for (const partition of member.partitions) owners.set(partition, `${member.clientId}/${member.host}`);
  }
  return owners;
}
