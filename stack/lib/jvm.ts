// How the stack launches its JVMs: one classpath from Maven, bounded heaps, logs through log4j2.
import path from "node:path";
import type { StackConfig } from "../config";
import type { Toolchain } from "./prereqs";

export function jvmArgs(config: StackConfig, toolchain: Toolchain, heapMb = config.jvmHeapMb): string[] {
  return [
    `-Xmx${heapMb}m`,
    `-Xms${Math.min(heapMb, 128)}m`,
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${path.join(config.root, "stack", "conf", "log4j2.properties")}`,
    "-cp",
    toolchain.classpath,
  ];
}

export function writeProperties(entries: Record<string, string | number | boolean>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join("\n")}\n`;
}
