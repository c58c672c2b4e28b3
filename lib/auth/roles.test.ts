import { describe, expect, it } from "vitest";
import { ACTIONS, can, higherRole, isWriteAction, permissionsFor, ROLES, type Action, type Role } from "./roles";

describe("can", () => {
  // The whole table, written out: a change to who may do what must change this test on purpose.
  const expected: Record<Role, Record<Action, boolean>> = {
    viewer: { read: true, "outbox:retry": false, "outbox:replay": false, "connector:restart": false, "audit:read-all": false },
    operator: { read: true, "outbox:retry": true, "outbox:replay": true, "connector:restart": true, "audit:read-all": false },
    admin: { read: true, "outbox:retry": true, "outbox:replay": true, "connector:restart": true, "audit:read-all": true },
  };

  for (const role of ROLES) {
    for (const action of Object.values(ACTIONS)) {
      it(`${role} ${expected[role][action] ? "may" : "may not"} ${action}`, () => {
        expect(can(role, action)).toBe(expected[role][action]);
      });
    }
  }
});

describe("roles", () => {
  it("orders viewer < operator < admin", () => {
    expect(higherRole("viewer", "operator")).toBe("operator");
    expect(higherRole("admin", "operator")).toBe("admin");
    expect(higherRole("viewer", "viewer")).toBe("viewer");
  });

  it("treats the pipeline-changing actions as writes, reading the audit log as a read", () => {
    expect(Object.values(ACTIONS).filter(isWriteAction)).toEqual(["outbox:retry", "outbox:replay", "connector:restart"]);
  });
});

describe("permissionsFor", () => {
  it("follows the role", () => {
    expect(permissionsFor("operator", false)).toEqual({ retry: true, replay: true, restartConnector: true, auditAll: false });
    expect(permissionsFor("viewer", false)).toEqual({ retry: false, replay: false, restartConnector: false, auditAll: false });
  });

  it("turns every write off when read-only, but keeps an admin's audit access", () => {
    expect(permissionsFor("admin", true)).toEqual({ retry: false, replay: false, restartConnector: false, auditAll: true });
  });

  it("allows nothing without a principal", () => {
    expect(permissionsFor(null, false)).toEqual({ retry: false, replay: false, restartConnector: false, auditAll: false });
  });
});
