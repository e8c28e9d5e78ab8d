import { defineConfig } from "vitest/config";
import { RuntimeSequencer } from "./test/runtime/order.ts";

// `npm run test:runtime`: the chart and the real product parts on a real single-node Kubernetes
// (root only; see ts/runtime/node), plus the parts (auth proxy, app, browser) run on this machine.
export default defineConfig({
  test: {
    include: ["test/runtime/**/*.runtime.test.ts"],
    globalSetup: ["test/runtime/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
    pool: "forks",
    fileParallelism: false,
    // Files in test/runtime/order.ts's order; none started once RUNTIME_DEADLINE has passed.
    sequence: { sequencer: RuntimeSequencer },
    runner: "./test/runtime/deadline-runner.ts",
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
