// npx tsx bench/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top 30]
// What grew between two V8 heap snapshots (bench:soak -- --heap-snapshots writes them): objects
// grouped by type and constructor (or, for strings, code and arrays, by type), with their count
// and self size in each, sorted by the growth in size. A snapshot is taken after a full GC, so
// what it holds is live.
import fs from "node:fs";
import { parseArgs } from "node:util";

interface Group {
  count: number;
  bytes: number;
}

// Node types whose names are contents (a string's text, a function's code) rather than a class:
// grouped by the type alone.
const GROUPED_BY_TYPE = new Set(["string", "concatenated string", "sliced string", "code", "number", "hidden", "array", "object shape", "regexp"]);

function groups(file: string): { groups: Map<string, Group>; total: number } {
  const snapshot = JSON.parse(fs.readFileSync(file, "utf8")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const byKey = new Map<string, Group>();
  let total = 0;
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + typeAt]!]!;
    const size = nodes[i + sizeAt]!;
    const key = GROUPED_BY_TYPE.has(type) ? `(${type})` : `${type}: ${strings[nodes[i + nameAt]!]!.slice(0, 80)}`;
    const group = byKey.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += size;
    byKey.set(key, group);
    total += size;
  }
  return { groups: byKey, total };
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "30" } } });
if (positionals.length !== 2) {
  console.error("usage: npx tsx bench/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top 30]");
  process.exit(2);
}
const top = Number(values.top);
const before = groups(positionals[0]!);
const after = groups(positionals[1]!);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
console.log(`live heap ${mb(before.total)} MB → ${mb(after.total)} MB (${before.total <= after.total ? "+" : ""}${mb(after.total - before.total)} MB)`);
const keys = new Set([...before.groups.keys(), ...after.groups.keys()]);
const rows = [...keys].map((key) => {
  const a = before.groups.get(key) ?? { count: 0, bytes: 0 };
  const b = after.groups.get(key) ?? { count: 0, bytes: 0 };
  return { key, a, b, growth: b.bytes - a.bytes };
});
rows.sort((x, y) => y.growth - x.growth);
console.log(`${"growth MB".padStart(10)} ${"after MB".padStart(9)} ${"count before → after".padStart(24)}  group`);
for (const row of rows.slice(0, top)) {
  console.log(`${mb(row.growth).padStart(10)} ${mb(row.b.bytes).padStart(9)} ${`${row.a.count} → ${row.b.count}`.padStart(24)}  ${row.key}`);
}
