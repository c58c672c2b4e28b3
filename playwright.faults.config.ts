import { faultsSuiteConfig } from "./e2e-faults/suite-config";

/**
 * The reliability suite (`npm run test:faults`): the production build against a stack of its own
 * (`.stack-faults/`, ports + 12,000), whose services the specs in e2e-faults/ hang, kill and
 * restart while a steady workload runs.
 */
export default faultsSuiteConfig({
  profile: "faults",
  port: 15000,
  specDir: "e2e-faults",
  // A scenario holds a fault for 30 s and then waits for the pipeline to drain.
  timeoutMs: 240_000,
});
