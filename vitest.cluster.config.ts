import { defineConfig } from "vitest/config";

// `npm run test:cluster`: install, upgrade and uninstall every preset on a real API server.
export default defineConfig({
  test: {
    include: ["test/cluster/**/*.cluster.test.ts"],
    globalSetup: ["test/cluster/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 1_800_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
