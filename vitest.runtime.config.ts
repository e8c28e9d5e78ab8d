import { defineConfig } from "vitest/config";

// `npm run test:runtime`: the real images and the product running in them.
export default defineConfig({
  test: {
    include: ["test/runtime/**/*.runtime.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 3_600_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
