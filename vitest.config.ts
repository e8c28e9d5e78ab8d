import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The cluster suite needs a control plane (`npm run test:cluster`); the runtime suite
    // real images and root (`npm run test:runtime`).
    exclude: ["test/cluster/**", "test/runtime/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "threads",
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
