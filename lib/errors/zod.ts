import type { z } from "zod";

/** Issues named in a message at most: a payload with a hundred wrong fields gets the first few and a count. */
export const MAX_ISSUES_DESCRIBED = 5;

/**
 * One line naming what is wrong with a value, for a 422 body or a socket error:
 * `limit: Too big: expected number to be <=1000; Unrecognized key: "x"`. Paths are dotted; an
 * issue at the top level has no path prefix.
 */
export function describeZodError(error: z.ZodError): string {
  const described = error.issues.slice(0, MAX_ISSUES_DESCRIBED).map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - described.length;
  return more > 0 ? `${described.join("; ")}; and ${more} more` : described.join("; ");
}
