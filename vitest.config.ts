import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "server/**/*.test.ts", "stack/**/*.test.ts", "components/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.int.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          globalSetup: ["./stack/test-env.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The integration tests share one real stack; running files one at a time keeps
          // their effects on the shared topic and table independent.
          fileParallelism: false,
        },
      },
    ],
  },
});
