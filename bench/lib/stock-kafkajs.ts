import { spawn } from "node:child_process";
import path from "node:path";

/** Runs bench/lib/stock-kafkajs-drain.ts in a child process: a bare consumer of KafkaJS as published. */
export async function runStockKafkaJSDrain(brokers: string, topic: string, records: number, timeoutMs: number): Promise<{ records: number; elapsedMs: number }> {
  const script = path.join(import.meta.dirname, "stock-kafkajs-drain.ts");
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, brokers, topic, String(records), String(timeoutMs)], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`the stock KafkaJS drain exited with ${code}`))));
  });
  const result = JSON.parse(output) as { records: number; elapsedMs: number; stock: boolean };
  if (!result.stock) throw new Error("the stock KafkaJS drain ran with Outbox Lens's record decoder installed");
  return result;
}
