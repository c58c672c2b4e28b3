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
];

export default config;
