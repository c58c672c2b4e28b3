import { z } from "zod";

/**
 * Who may do what. Pure and shared: the server decides with {@link can}, and the browser uses the
 * same table to hide buttons it would only see refused. The server's answer is the one that counts.
 */

/** Roles in increasing order of power: each one may do everything the ones before it may. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
export type Role = z.infer<typeof roleSchema>;

/** Everything a principal can be refused, by name. */
export const ACTIONS = {
  /** See the dashboard: pipeline state, metrics, messages (masked for viewers). */
  read: "read",
  /** Put failed outbox rows back to pending. */
  retryOutbox: "outbox:retry",
  /** Publish recorded events to Kafka again. */
  replayOutbox: "outbox:replay",
  /** Restart the Debezium connector or one of its tasks through Kafka Connect. */
  restartConnector: "connector:restart",
  /** Read every principal's entries in the audit log, not only one's own. */
  readAllAudit: "audit:read-all",
} as const;
export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];

/** The least role that may perform each action. */
export const ACTION_MIN_ROLE: Readonly<Record<Action, Role>> = {
  [ACTIONS.read]: "viewer",
  [ACTIONS.retryOutbox]: "operator",
  [ACTIONS.replayOutbox]: "operator",
  [ACTIONS.restartConnector]: "operator",
  [ACTIONS.readAllAudit]: "admin",
};

/** Actions that change the pipeline. A read-only dashboard refuses them whatever the role. */
export const WRITE_ACTIONS: ReadonlySet<Action> = new Set([ACTIONS.retryOutbox, ACTIONS.replayOutbox, ACTIONS.restartConnector]);

export function isWriteAction(action: Action): boolean {
  return WRITE_ACTIONS.has(action);
}

/** 0 for viewer, 1 for operator, 2 for admin. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** Whether the role allows the action (read-only mode aside; see {@link permissionsFor}). */
export function can(role: Role, action: Action): boolean {
  return roleRank(role) >= roleRank(ACTION_MIN_ROLE[action]);
}

/** The stronger of two roles. */
export function higherRole(a: Role, b: Role): Role {
  return roleRank(a) >= roleRank(b) ? a : b;
}

/** What the browser may offer, as the session endpoint reports it. */
export interface Permissions {
  retry: boolean;
  replay: boolean;
  restartConnector: boolean;
  auditAll: boolean;
}

/** The permissions of a role, with every write action off when the dashboard is read-only. */
export function permissionsFor(role: Role | null, readOnly: boolean): Permissions {
  const allowed = (action: Action) => role !== null && can(role, action) && !(readOnly && isWriteAction(action));
  return {
    retry: allowed(ACTIONS.retryOutbox),
    replay: allowed(ACTIONS.replayOutbox),
    restartConnector: allowed(ACTIONS.restartConnector),
    auditAll: allowed(ACTIONS.readAllAudit),
  };
}
