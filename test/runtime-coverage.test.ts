// The runtime suite's coverage list names every chart preset exactly once: held by a suite, or
// not run here with a reason (test/runtime/coverage.ts). A new preset fails here until it is one
// of the two.
import { describe, expect, it } from "vitest";
import { presets } from "../ts/lib/presets.ts";
import { heldBy, notRunHere } from "./runtime/coverage.ts";
import { formatNotRun, notSelectedRows } from "./runtime/report.ts";

describe("runtime suite coverage of the chart presets", () => {
  it.each(presets.map((p) => p.name))("preset %s is held by a runtime suite or says why it is not run", (name) => {
    expect([name in heldBy, name in notRunHere].filter(Boolean)).toHaveLength(1);
  });

  it("names no preset that does not exist", () => {
    const known = presets.map((p) => p.name);
    expect([...Object.keys(heldBy), ...Object.keys(notRunHere)].filter((n) => !known.includes(n))).toEqual([]);
  });

  it("gives every preset it does not run a reason", () => {
    for (const [name, reason] of Object.entries(notRunHere)) expect({ name, reason: reason.length > 20 }).toEqual({ name, reason: true });
  });

  it("the report names the held presets a run left out, and not the ones it ran", () => {
    const ran = [
      { preset: "default", suite: "conversation", result: "passed" as const },
      { preset: "v1-host-docker", suite: "conversation", result: "passed" as const },
    ];
    const left = notSelectedRows(ran).map((r) => r.preset);
    expect(left).toContain("gateway-api");
    expect(left).toContain("network-policy");
    expect(left).not.toContain("default");
    expect(left).not.toContain("v1-host-docker");
    expect(formatNotRun(ran)).toContain("  gateway-api: held by the conversation suite, not run this time");
  });
});
