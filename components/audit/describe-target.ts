import { truncate } from "@/lib/errors/describe-error";

/**
 * One short line for what an action was aimed at, from the target as the audit log stores it
 * ({eventIds}, {filter}, {group} or {connector}) or as an action dialog holds it:
 * "3 event ids", "filter status=failed eventType=OrderPlaced", "group OrderPlaced / timeout after <n> ms".
 */

/** Longest signature or value shown in the line; the whole target is in the tooltip. */
export const TARGET_TEXT_CHARS = 80;

function text(value: unknown): string {
  return truncate(typeof value === "string" ? value : JSON.stringify(value) ?? String(value), TARGET_TEXT_CHARS);
}

export function describeTarget(target: Readonly<Record<string, unknown>>): string {
  const { eventIds, filter, group, connector } = target;
  if (Array.isArray(eventIds)) {
    if (eventIds.length === 1 && typeof eventIds[0] === "string") return `event ${eventIds[0]}`;
    return `${eventIds.length} event ids`;
  }
  if (filter !== null && typeof filter === "object") {
    const fields = Object.entries(filter).filter(([, value]) => value !== undefined && value !== null && value !== "");
    return fields.length === 0 ? "filter (every row)" : `filter ${fields.map(([field, value]) => `${field}=${text(value)}`).join(" ")}`;
  }
  if (group !== null && typeof group === "object") {
    const { eventType, signature } = group as Record<string, unknown>;
    return `group ${text(eventType)} / ${text(signature)}`;
  }
  if (connector !== undefined) {
    const onlyFailed = target.onlyFailed === true ? " (failed tasks)" : target.onlyFailed === false ? " (all tasks)" : "";
    return `connector ${text(connector)}${onlyFailed}`;
  }
  const keys = Object.keys(target);
  return keys.length === 0 ? "—" : text(target);
}
