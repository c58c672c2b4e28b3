import { describe, expect, it } from "vitest";
import { DEFAULT_SCRYPT_PARAMETERS, hashPassword, parsePasswordHash, PasswordHashFormatError, verifyPassword } from "./passwords";

// The cheapest accepted parameters keep the suite quick; the default's cost is checked once.
const FAST = { logN: 14, r: 8, p: 1 };

function formatError(text: string): string {
  try {
    parsePasswordHash(text);
  } catch (error) {
    if (error instanceof PasswordHashFormatError) return error.message;
    throw error;
  }
  throw new Error("expected a PasswordHashFormatError");
}

describe("hashPassword and verifyPassword", () => {
  it("verify the password that was hashed and refuse any other", async () => {
    const stored = await hashPassword("correct horse battery staple", FAST);
    expect(stored).toMatch(/^scrypt\$14\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password", FAST)).not.toBe(await hashPassword("same password", FAST));
  });

  it("matches composed and decomposed accents alike", async () => {
    const stored = await hashPassword("caf\u00e9 au lait!", FAST);
    expect(await verifyPassword("cafe\u0301 au lait!", stored)).toBe(true);
  });

  it("uses the default parameters, which the parser accepts", async () => {
    const stored = await hashPassword("default cost");
    expect(parsePasswordHash(stored)).toMatchObject(DEFAULT_SCRYPT_PARAMETERS);
  });
});

describe("parsePasswordHash", () => {
  const salt = Buffer.alloc(16, 1).toString("base64");
  const hash = Buffer.alloc(32, 2).toString("base64");

  it("reads the parameters, salt and hash", () => {
    const parsed = parsePasswordHash(`scrypt$15$8$1$${salt}$${hash}`);
    expect(parsed).toMatchObject({ logN: 15, r: 8, p: 1 });
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.hash).toHaveLength(32);
  });

  it.each([
    ["plaintext-password", /is not a password hash of the form scrypt\$/],
    [`bcrypt$15$8$1$${salt}$${hash}`, /is not a password hash/],
    [`scrypt$x$8$1$${salt}$${hash}`, /logN "x" is not a small decimal integer/],
    [`scrypt$10$8$1$${salt}$${hash}`, /logN 10 is outside 14\.\.16/],
    [`scrypt$16$16$1$${salt}$${hash}`, /needs 128 MiB, more than the 64 MiB allowed/],
    [`scrypt$15$8$9$${salt}$${hash}`, /p 9 is outside 1\.\.4/],
    [`scrypt$15$8$1$not*base64$${hash}`, /the salt is not base64/],
    [`scrypt$15$8$1$${Buffer.alloc(4).toString("base64")}$${hash}`, /the salt has 4 bytes, expected 16 to 64/],
    [`scrypt$15$8$1$${salt}$${hash.slice(0, -8)}`, /the hash (is not canonical|has \d+ bytes)/],
  ])("refuses %s with a message saying why", (text, message) => {
    expect(formatError(text)).toMatch(message);
  });

  it("never echoes the hash in its message", () => {
    expect(formatError(`scrypt$10$8$1$${salt}$${hash}`)).not.toContain(hash);
  });
});
