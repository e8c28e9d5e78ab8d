// Building the runtime images from inside the test runner: what the builds must not inherit.
import { describe, expect, it } from "vitest";
import { frontendBuildEnv } from "../ts/runtime/image/frontend.ts";

describe("image builds", () => {
  it("the UI build runs without the test runner's variables: the release's vite.config drops its React Router plugin under VITEST", () => {
    // This test runs in vitest, as the runtime suite's image build does.
    expect(process.env.VITEST).toBeTruthy();
    const env = frontendBuildEnv(process.env);
    expect(Object.keys(env).filter((name) => name.startsWith("VITEST") || name === "TEST" || name === "NODE_ENV")).toEqual([]);
    expect(env).toMatchObject({ CI: "true", NODE_OPTIONS: "--max-old-space-size=4096", PATH: process.env.PATH });
  });
});
