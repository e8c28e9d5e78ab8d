import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    include: ["test/runtime/app-env-effects.runtime.test.ts", "test/runtime/env-contract.runtime.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
