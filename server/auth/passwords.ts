import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashes: scrypt from Node's crypto, stored as
 * `scrypt$<logN>$<r>$<p>$<salt base64>$<hash base64>` so the parameters travel with the hash and
 * can be raised later without invalidating existing ones.
 *
 * A hash is parsed once, at configuration load, and a malformed or out-of-bounds one stops the
 * server with a message naming it: a typo must not surface as "wrong password" at 3 a.m.
 */

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

// N = 2^15, r = 8: 32 MiB and roughly 50–100 ms per hash on a current server core, so a sign-in
// stays quick while each guess of an offline attack costs the same.
export const DEFAULT_SCRYPT_PARAMETERS: Readonly<ScryptParameters> = { logN: 15, r: 8, p: 1 };

// Accepted parameters. Below the minimums a leaked hash is too cheap to attack (N = 2^14, r = 8 is
// the floor of current guidance); above the maximums one sign-in would cost the server most of a
// second or more memory than it should ever spend on one request.
export const MIN_SCRYPT_LOG_N = 14;
export const MAX_SCRYPT_LOG_N = 16;
export const MIN_SCRYPT_BLOCK_SIZE = 8;
export const MAX_SCRYPT_BLOCK_SIZE = 16;
export const MAX_SCRYPT_PARALLELIZATION = 4;
// Memory one verification may take (scrypt needs 128 · N · r bytes).
export const MAX_SCRYPT_MEMORY_BYTES = 64 * 1024 * 1024;

export const SALT_BYTES = 16;
export const HASH_BYTES = 32;
const MIN_SALT_BYTES = 16;
const MAX_SALT_BYTES = 64;
const MIN_HASH_BYTES = 32;
const MAX_HASH_BYTES = 64;

const HASH_SCHEME = "scrypt";
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
const DECIMAL_PATTERN = /^\d{1,2}$/;

export interface PasswordHash extends ScryptParameters {
  salt: Buffer;
  hash: Buffer;
}

/** A stored hash that cannot be used; the message says what is wrong, never the hash itself. */
export class PasswordHashFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordHashFormatError";
  }
}

function scryptMemory({ logN, r }: ScryptParameters): number {
  return 128 * 2 ** logN * r;
}

/** Checks parameters against the accepted bounds; returns what is wrong, or null. */
export function checkScryptParameters(parameters: ScryptParameters): string | null {
  const { logN, r, p } = parameters;
  if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > MAX_SCRYPT_LOG_N) {
    return `logN ${logN} is outside ${MIN_SCRYPT_LOG_N}..${MAX_SCRYPT_LOG_N}`;
  }
  if (!Number.isInteger(r) || r < MIN_SCRYPT_BLOCK_SIZE || r > MAX_SCRYPT_BLOCK_SIZE) {
    return `r ${r} is outside ${MIN_SCRYPT_BLOCK_SIZE}..${MAX_SCRYPT_BLOCK_SIZE}`;
  }
  if (!Number.isInteger(p) || p < 1 || p > MAX_SCRYPT_PARALLELIZATION) {
    return `p ${p} is outside 1..${MAX_SCRYPT_PARALLELIZATION}`;
  }
  if (scryptMemory(parameters) > MAX_SCRYPT_MEMORY_BYTES) {
    return `logN ${logN} with r ${r} needs ${scryptMemory(parameters) / 1024 / 1024} MiB, more than the ${MAX_SCRYPT_MEMORY_BYTES / 1024 / 1024} MiB allowed`;
  }
  return null;
}

function decodeBase64(text: string, what: string, min: number, max: number): Buffer {
  if (!BASE64_PATTERN.test(text)) throw new PasswordHashFormatError(`the ${what} is not base64`);
  const bytes = Buffer.from(text, "base64");
  // Buffer.from ignores trailing garbage bits; a re-encoding that differs means a damaged value.
  if (bytes.toString("base64").replace(/=+$/, "") !== text.replace(/=+$/, "")) {
    throw new PasswordHashFormatError(`the ${what} is not canonical base64 (truncated or damaged?)`);
  }
  if (bytes.length < min || bytes.length > max) {
    throw new PasswordHashFormatError(`the ${what} has ${bytes.length} bytes, expected ${min} to ${max}`);
  }
  return bytes;
}

/**
 * Parses `scrypt$<logN>$<r>$<p>$<salt>$<hash>`.
 *
 * @throws {PasswordHashFormatError} saying which part is wrong.
 */
export function parsePasswordHash(text: string): PasswordHash {
  const parts = text.trim().split("$");
  if (parts.length !== 6 || parts[0] !== HASH_SCHEME) {
    throw new PasswordHashFormatError(
      "is not a password hash of the form scrypt$<logN>$<r>$<p>$<salt>$<hash> (create one with `npx tsx scripts/auth.ts hash-password`)",
    );
  }
  const [, logNText = "", rText = "", pText = "", saltText = "", hashText = ""] = parts;
  for (const [name, value] of [["logN", logNText], ["r", rText], ["p", pText]] as const) {
    if (!DECIMAL_PATTERN.test(value)) throw new PasswordHashFormatError(`the scrypt parameter ${name} "${value}" is not a small decimal integer`);
  }
  const parameters = { logN: Number(logNText), r: Number(rText), p: Number(pText) };
  const problem = checkScryptParameters(parameters);
  if (problem) throw new PasswordHashFormatError(`has unsupported scrypt parameters: ${problem}`);
  return {
    ...parameters,
    salt: decodeBase64(saltText, "salt", MIN_SALT_BYTES, MAX_SALT_BYTES),
    hash: decodeBase64(hashText, "hash", MIN_HASH_BYTES, MAX_HASH_BYTES),
  };
}

export function formatPasswordHash(hash: PasswordHash): string {
  return [HASH_SCHEME, hash.logN, hash.r, hash.p, hash.salt.toString("base64"), hash.hash.toString("base64")].join("$");
}

// NFC so that the same password typed on systems that compose accents differently still matches.
function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize("NFC"), "utf8");
}

function deriveKey(password: string, salt: Buffer, length: number, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** parameters.logN,
    r: parameters.r,
    p: parameters.p,
    // Node refuses scrypt above 32 MiB by default; twice the need leaves room for OpenSSL's overhead.
    maxmem: 2 * scryptMemory(parameters),
  };
  return new Promise((resolve, reject) => {
    scrypt(passwordBytes(password), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A new hash of `password` in the stored format, with a fresh random salt. */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): Promise<string> {
  const problem = checkScryptParameters(parameters);
  if (problem) throw new PasswordHashFormatError(`unsupported scrypt parameters: ${problem}`);
  const salt = randomBytes(SALT_BYTES);
  const hash = await deriveKey(password, salt, HASH_BYTES, parameters);
  return formatPasswordHash({ ...parameters, salt, hash });
}

/** Whether `password` matches; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: string, stored: PasswordHash | string): Promise<boolean> {
  const expected = typeof stored === "string" ? parsePasswordHash(stored) : stored;
  const actual = await deriveKey(password, expected.salt, expected.hash.length, expected);
  return timingSafeEqual(actual, expected.hash);
}
