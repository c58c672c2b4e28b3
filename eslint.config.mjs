import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".stack/**", ".stack-*/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  {
    rules: {
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
    },
  },
  {
    // The house rule of the layout: lib/ is pure and shared, so it may import nothing that is
    // server-only, and the browser side (app/, components/) reaches server/ only through route
    // handlers and the small runtime surface.
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/server/*", "@/app/*", "@/components/*", "@/stack/*", "pg", "kafkajs", "node:*"] }],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/server/*", "@/stack/*", "pg", "kafkajs"] }],
    },
  },
  {
    // KafkaJS's code is loaded by server/kafka/kafkajs.ts alone, which patches KafkaJS's module
    // cache before it loads (see server/kafka/kafkajs-preload.ts). Types come from "kafkajs" itself.
    files: ["server/**/*.ts", "stack/**/*.ts", "bench/**/*.ts", "e2e/**/*.ts", "e2e-faults/**/*.ts"],
    ignores: ["server/kafka/kafkajs.ts", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { paths: [{ name: "kafkajs", allowTypeImports: true, message: "import KafkaJS's values from server/kafka/kafkajs.ts" }] },
      ],
    },
  },
];

export default config;
