// Vitest global setup of the integration tests: makes sure the test stack (profile "test", state in
// .stack-test/, ports shifted by 10,000) runs, and stops it afterwards when it started it here.
// `npm test` starts the stack once for integration and end-to-end tests alike (stack/cli.ts run).
import { stackConfig } from "./config";
import { down, inspect, up } from "./lifecycle";

export default async function setup(): Promise<() => Promise<void>> {
  const config = stackConfig({ profile: "test" });
  const { healthy } = await inspect(config);
  if (healthy) return async () => undefined;
  console.log("starting the test stack…");
  await up(config);
  return async () => {
    await down(config, () => undefined);
  };
}
