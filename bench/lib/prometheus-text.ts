/**
 * Reads samples from Prometheus text exposition: `name{labels} value`. Enough for a bench to read
 * the server's own gauges; not a general parser (no escapes inside label values are needed here).
 */
export function samples(text: string, name: string): number[] {
  const values: number[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    const value = Number(rest.slice(rest.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

export function sample(text: string, name: string): number | null {
  return samples(text, name)[0] ?? null;
}
