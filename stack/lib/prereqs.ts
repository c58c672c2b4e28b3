// Finds the tools the pipeline needs and says exactly how to get the ones that are missing.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { StackConfig } from "../config";
import { run, StackError } from "./proc";

const MIN_JAVA = 17;
const MIN_POSTGRES = 14;

export interface Toolchain {
  java: string;
  /** Directory holding initdb and pg_ctl; absent when an external database is used. */
  pgBin?: string;
  classpath: string;
}

export function javaVersion(java: string): number | undefined {
  const result = spawnSync(java, ["-version"], { encoding: "utf8" });
  if (result.error) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  // Java 8 and older report "1.8".
  return major === 1 ? Number(match[2]) : major;
}

function findJava(): string {
  const candidates = [process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : undefined, "java"].filter(
    (c): c is string => Boolean(c),
  );
  for (const candidate of candidates) {
    const version = javaVersion(candidate);
    if (version !== undefined && version >= MIN_JAVA) return candidate;
    if (version !== undefined) {
      throw new StackError(
        `Java ${version} found at ${candidate}, but Kafka 4 and Debezium 3 need Java ${MIN_JAVA} or newer. ` +
          `Install a JDK ${MIN_JAVA}+ (Debian: apt-get install -y openjdk-17-jdk-headless) or point JAVA_HOME at one.`,
      );
    }
  }
  throw new StackError(
    `Java not found. Install a JDK ${MIN_JAVA}+ (Debian: apt-get install -y openjdk-17-jdk-headless; macOS: brew install openjdk@17) or set JAVA_HOME.`,
  );
}

function findPgBin(config: StackConfig): string {
  const candidates: string[] = [];
  if (config.pgBin) candidates.push(config.pgBin);
  const debianRoot = "/usr/lib/postgresql";
  if (fs.existsSync(debianRoot)) {
    const versions = fs
      .readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debianRoot, v, "bin")));
  }
  const fromPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  if (fromPath) candidates.push(path.dirname(fromPath));
  for (const dir of candidates) {
    if (!fs.existsSync(path.join(dir, "initdb")) || !fs.existsSync(path.join(dir, "pg_ctl"))) continue;
    const version = spawnSync(path.join(dir, "pg_ctl"), ["--version"], { encoding: "utf8" }).stdout;
    const major = Number(/(\d+)/.exec(version)?.[1] ?? 0);
    if (major >= MIN_POSTGRES) return dir;
  }
  throw new StackError(
    `PostgreSQL server binaries (initdb, pg_ctl, version ${MIN_POSTGRES}+) not found. Install them ` +
      `(Debian: apt-get install -y postgresql; macOS: brew install postgresql@16), set STACK_PG_BIN to their directory, ` +
      `or set STACK_DATABASE_URL to an existing server with wal_level=logical.`,
  );
}

function findMaven(): string {
  const result = spawnSync("mvn", ["-v"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new StackError(
      "Maven not found: the Kafka, Kafka Connect and Debezium jars are resolved from Maven Central with it. " +
        "Install it (Debian: apt-get install -y maven; macOS: brew install maven).",
    );
  }
  return "mvn";
}

/**
 * Resolves the JVM classpath from stack/jars/pom.xml. The jars stay in the local Maven repository;
 * the classpath is cached next to the stack's state, keyed by the pom's hash, so later starts
 * skip Maven entirely.
 */
function resolveClasspath(config: StackConfig): string {
  const pom = path.join(config.root, "stack", "jars", "pom.xml");
  const hash = crypto.createHash("sha256").update(fs.readFileSync(pom)).digest("hex").slice(0, 16);
  const cacheFile = path.join(config.dir, `classpath-${hash}.txt`);
  if (fs.existsSync(cacheFile)) {
    const cached = fs.readFileSync(cacheFile, "utf8").trim();
    if (cached.split(":").every((jar) => fs.existsSync(jar))) return cached;
  }
  const mvn = findMaven();
  const outFile = path.join(config.dir, "classpath.tmp");
  const args = ["-q", "-B", "-f", pom, "dependency:build-classpath", `-Dmdep.outputFile=${outFile}`];
  try {
    // Offline first: with the jars cached this takes a few seconds and needs no network.
    run(mvn, ["-o", ...args], { what: "resolving jars offline" });
  } catch {
    console.log("  resolving Kafka, Connect and Debezium jars from Maven Central (first run only)…");
    run(mvn, args, { what: "resolving the Kafka, Connect and Debezium jars with Maven (stack/jars/pom.xml)" });
  }
  const classpath = fs.readFileSync(outFile, "utf8").trim();
  fs.rmSync(outFile);
  fs.writeFileSync(cacheFile, classpath);
  return classpath;
}

export function findToolchain(config: StackConfig): Toolchain {
  const java = findJava();
  const pgBin = config.externalDatabaseUrl ? undefined : findPgBin(config);
  fs.mkdirSync(config.dir, { recursive: true });
  return { java, pgBin, classpath: resolveClasspath(config) };
}
