import { faultsSuiteConfig } from "./e2e-faults/suite-config";

/**
 * The three-broker cluster scenario of the reliability suite (`npm run test:faults:cluster`): the
 * production build against a three-broker stack of its own (`.stack-cluster/`, ports + 16,000,
 * replication factor 3, min.insync.replicas 2), one of whose brokers the spec kills and restarts
 * while a steady workload runs.
 */
export default faultsSuiteConfig({
  profile: "cluster",
  port: 19000,
  specDir: "e2e-faults-cluster",
  // The scenario waits for the broker's fencing, holds the fault for 30 s, waits for the broker's
  // return and catch-up (≤ 60 s), then for the pipeline to drain.
  timeoutMs: 300_000,
});
