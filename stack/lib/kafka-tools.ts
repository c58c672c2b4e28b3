// Kafka's own command-line tools, run from the stack's jars: the reference the dashboard's numbers
// are checked against (tests) and compared with (benches).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/** One row of `kafka-consumer-groups --describe`. */
export interface KafkaToolGroupRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number;
  lag: number | null;
}

const execFileAsync = promisify(execFile);
/** The tool starts a JVM and asks the broker; a minute means the broker is not answering. */
const TOOL_TIMEOUT_MS = 60_000;

/** The classpath the stack resolved from its Maven jars (cached in its directory when it started). */
export function stackClasspath(stackDir: string): string {
  const classpathFile = fs.readdirSync(stackDir).find((name) => /^classpath-.*\.txt$/.test(name));
  if (!classpathFile) throw new Error(`no cached classpath in ${stackDir}: start the stack first`);
  return fs.readFileSync(path.join(stackDir, classpathFile), "utf8").trim();
}

/**
 * Runs Kafka's ConsumerGroupCommand (`kafka-consumer-groups --describe`) for the given groups (or
 * all with `["--all-groups"]`) and parses its table.
 */
export async function describeGroupsWithKafkaTool(stackDir: string, brokers: readonly string[], groupArgs: readonly string[]): Promise<KafkaToolGroupRow[]> {
  const { stdout } = await execFileAsync(
    "java",
    ["-cp", stackClasspath(stackDir), "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server", brokers.join(","), "--describe", ...groupArgs],
    { maxBuffer: 64 * 1024 * 1024, timeout: TOOL_TIMEOUT_MS },
  );
  const lines = stdout.split("\n").map((line) => line.trim().split(/\s+/));
  const header = lines.find((cells) => cells[0] === "GROUP");
  if (!header) throw new Error(`ConsumerGroupCommand printed no table:\n${stdout}`);
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`ConsumerGroupCommand has no ${name} column:\n${stdout}`);
    return at;
  };
  const [groupAt, topicAt, partitionAt, currentAt, endAt, lagAt] = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"].map(column);
  const number = (cell: string | undefined) => (cell === undefined || cell === "-" ? null : Number(cell));
  return lines
    .filter((cells) => cells.length === header.length && cells[0] !== "GROUP" && /^\d+$/.test(cells[partitionAt!] ?? ""))
    .map((cells) => ({
      group: cells[groupAt!]!,
      topic: cells[topicAt!]!,
      partition: Number(cells[partitionAt!]),
      currentOffset: number(cells[currentAt!]),
      logEndOffset: Number(cells[endAt!]),
      lag: number(cells[lagAt!]),
    }))
    .sort((a, b) => a.group.localeCompare(b.group) || a.partition - b.partition);
}

/**
 * Sets or removes a topic's config overrides with Kafka's ConfigCommand (`kafka-configs --alter`),
 * as an operator would from a shell.
 */
export async function alterTopicConfigWithKafkaTool(
  stackDir: string,
  brokers: readonly string[],
  topic: string,
  change: { set?: Record<string, string | number>; remove?: string[] },
): Promise<void> {
  const set = Object.entries(change.set ?? {}).map(([key, value]) => `${key}=${value}`);
  await execFileAsync(
    "java",
    [
      "-cp",
      stackClasspath(stackDir),
      "kafka.admin.ConfigCommand",
      "--bootstrap-server",
      brokers.join(","),
      "--alter",
      "--entity-type",
      "topics",
      "--entity-name",
      topic,
      ...(set.length ? ["--add-config", set.join(",")] : []),
      ...(change.remove?.length ? ["--delete-config", change.remove.join(",")] : []),
    ],
    { timeout: TOOL_TIMEOUT_MS },
  );
}
