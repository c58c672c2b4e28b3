import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "@/lib/auth/roles";

/**
 * API tokens for scripts and other machines: `Authorization: Bearer olt_…`.
 *
 * A token is 32 random bytes, so a plain SHA-256 of it is a safe thing to store: unlike a
 * password there is nothing to guess, and a slow hash would only slow down every API request.
 * Only the hash is ever configured; the token is shown once, when it is created.
 */

/** Marks our tokens, so a leaked one is recognisable (secret scanners, logs) and a typo is caught early. */
export const API_TOKEN_PREFIX = "olt_";
export const API_TOKEN_BYTES = 32;
// 32 bytes in unpadded base64url are 43 characters.
const API_TOKEN_PATTERN = /^olt_[A-Za-z0-9_-]{43}$/;

const TOKEN_HASH_SCHEME = "sha256";
const TOKEN_HASH_PATTERN = /^sha256\$([0-9a-f]{64})$/;

export interface ApiTokenEntry {
  name: string;
  role: Role;
  /** SHA-256 of the token. */
  hash: Buffer;
}

/** A fresh token: `olt_` + 32 random bytes in base64url. */
export function generateApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(API_TOKEN_BYTES).toString("base64url");
}

export function isApiTokenShaped(token: string): boolean {
  return API_TOKEN_PATTERN.test(token);
}

function sha256(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** The stored form of a token: `sha256$<64 hex digits>`. */
export function hashApiToken(token: string): string {
  return `${TOKEN_HASH_SCHEME}$${sha256(token).toString("hex")}`;
}

/** The digest in a stored token hash, or null when the text is not `sha256$<64 lower-case hex>`. */
export function parseApiTokenHash(text: string): Buffer | null {
  const match = TOKEN_HASH_PATTERN.exec(text.trim());
  return match?.[1] ? Buffer.from(match[1], "hex") : null;
}

/**
 * The configured tokens. A lookup compares the presented token's hash with every entry in constant
 * time and without stopping at a match, so its duration tells nothing about which hashes exist.
 */
export class ApiTokenIndex {
  private readonly entries: readonly ApiTokenEntry[];

  constructor(entries: readonly ApiTokenEntry[]) {
    this.entries = entries;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The entry the token belongs to, or null. */
  find(token: string): { name: string; role: Role } | null {
    if (!isApiTokenShaped(token)) return null;
    const digest = sha256(token);
    let found: ApiTokenEntry | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.hash) && found === null) found = entry;
    }
    return found ? { name: found.name, role: found.role } : null;
  }
}
