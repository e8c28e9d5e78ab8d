import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The cluster suite needs a control plane (`npm run test:cluster`), the runtime suite a real
    // node, the real product and a browser (`npm run test:runtime`).
    exclude: ["test/cluster/**", "test/runtime/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "threads",
    // Renders are cached by content (ts/lib/render-cache.ts); this trims old entries.
    globalSetup: ["./test/render-cache.setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
