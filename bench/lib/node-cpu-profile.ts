import fs from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * Runs `work` under a V8 CPU profile of this process written to `file` (open it in Chrome's
 * DevTools), or just runs it when `file` is undefined: a bench's `--cpu-profile FILE` around the
 * part it measures.
 */
export async function withNodeCpuProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (file === undefined) return work();
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    const result = await work();
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(file, JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}
