/**
 * Consumer-group ids of Outbox Lens itself. Every group the dashboard creates starts with this
 * prefix, so group discovery can leave the dashboard's own readers out of the monitored groups.
 */
export const OUTBOX_LENS_GROUP_PREFIX = "outbox-lens-";

/** The live tail's ephemeral groups: one per tail consumer, never committed to. */
export const TAIL_GROUP_PREFIX = `${OUTBOX_LENS_GROUP_PREFIX}tail-`;

export function isOutboxLensGroup(groupId: string): boolean {
  return groupId.startsWith(OUTBOX_LENS_GROUP_PREFIX);
}
