import { spawn } from "node:child_process";

/** The middle value (the upper one of two): what the benches report over their rounds. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Records a second `kcat -C` reads the first `records` of a topic at, from its start to its exit. */
export async function timeKcat(brokers: string, topic: string, records: number): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn("kcat", ["-C", "-b", brokers, "-t", topic, "-o", "beginning", "-e", "-q", "-c", String(records), "-f", "%s\n"], { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited with ${code}`))));
  });
  return records / ((performance.now() - started) / 1000);
}
