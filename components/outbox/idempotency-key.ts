/**
 * A new idempotency key for one action dialog. crypto.randomUUID exists only in secure contexts
 * (HTTPS, localhost): a dashboard opened over plain HTTP on a LAN name has no randomUUID, but it
 * has getRandomValues, so the key is built from that there. Both forms match the contract's
 * `[A-Za-z0-9._:-]{8,100}`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
