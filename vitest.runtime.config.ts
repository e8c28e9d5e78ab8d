import { defineConfig } from "vitest/config";

// `npm run test:runtime`: the real product parts (auth proxy, app, browser) run on this machine.
export default defineConfig({
  test: {
    include: ["test/runtime/**/*.runtime.test.ts"],
    // Several global setups may stand here; this one installs the browser.
    globalSetup: ["test/runtime/browser-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 3_600_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
