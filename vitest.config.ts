import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The cluster suite needs a control plane: `npm run test:cluster`.
    exclude: ["test/cluster/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "threads",
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
