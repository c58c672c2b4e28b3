import { describe, expect, it } from "vitest";
import { MASKED_VALUE, MAX_EMBEDDED_JSON_CHARS, MAX_MASK_DEPTH, maskFields, maskFieldSet } from "./mask";

const FIELDS = ["email", "phone"];

describe("maskFields", () => {
  it("masks the fields at any depth, in objects and arrays", () => {
    const value = {
      id: 7,
      email: "a@example.com",
      customer: { name: "Ada", phone: "+44 20 7946 0000", addresses: [{ city: "London", email: "b@example.com" }] },
    };
    expect(maskFields(value, FIELDS)).toEqual({
      id: 7,
      email: MASKED_VALUE,
      customer: { name: "Ada", phone: MASKED_VALUE, addresses: [{ city: "London", email: MASKED_VALUE }] },
    });
  });

  it("masks whole values, objects included, and matches names ignoring case", () => {
    expect(maskFields({ Email: { primary: "a@example.com" }, PHONE: null }, FIELDS)).toEqual({ Email: MASKED_VALUE, PHONE: MASKED_VALUE });
  });

  it("masks inside strings that hold JSON (Debezium sends jsonb as a string), at any nesting", () => {
    const payload = JSON.stringify({ order: 1, buyer: { email: "a@example.com" }, note: JSON.stringify({ phone: "123" }) });
    const masked = maskFields({ after: { payload } }, FIELDS) as { after: { payload: string } };
    const inner = JSON.parse(masked.after.payload) as { order: number; buyer: { email: string }; note: string };
    expect(inner.order).toBe(1);
    expect(inner.buyer.email).toBe(MASKED_VALUE);
    expect(JSON.parse(inner.note)).toEqual({ phone: MASKED_VALUE });
  });

  it("masks a top-level JSON string and a JSON array string", () => {
    expect(JSON.parse(maskFields('[{"email":"x"},{"id":1}]', FIELDS) as string)).toEqual([{ email: MASKED_VALUE }, { id: 1 }]);
  });

  it("leaves strings that are not JSON objects or arrays as they are", () => {
    const value = { text: "{not json", quoted: '"email"', number: "42", email_note: "email me" };
    expect(maskFields(value, FIELDS)).toBe(value);
  });

  it("keeps a JSON string's exact text when it holds no masked field", () => {
    const value = { payload: '{ "id" : 1 }' };
    expect(maskFields(value, FIELDS)).toBe(value);
  });

  it("never modifies its input", () => {
    const value = { email: "a@example.com", nested: { phone: "1" } };
    const copy = structuredClone(value);
    maskFields(value, FIELDS);
    expect(value).toEqual(copy);
  });

  it("returns the value itself when no fields are configured", () => {
    const value = { email: "a@example.com" };
    expect(maskFields(value, [])).toBe(value);
    expect(maskFields(value, maskFieldSet([" ", ""]))).toBe(value);
  });

  it("keeps a __proto__ key a plain key", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "email": "x"}') as Record<string, unknown>;
    const masked = maskFields(value, FIELDS) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.keys(masked)).toEqual(["__proto__", "email"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("masks a subtree deeper than it checks instead of showing it unchecked", () => {
    let deep: unknown = { email: "x" };
    for (let level = 0; level < MAX_MASK_DEPTH + 5; level += 1) deep = { level: deep };
    expect(JSON.stringify(maskFields(deep, FIELDS))).not.toContain('"x"');
  });

  it("masks a huge JSON string whole rather than parsing it", () => {
    const huge = JSON.stringify({ email: "x", filler: "y".repeat(MAX_EMBEDDED_JSON_CHARS) });
    expect(maskFields({ payload: huge }, FIELDS)).toEqual({ payload: MASKED_VALUE });
  });
});
