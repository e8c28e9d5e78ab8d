// The README is what users read: its generated parts must match the chart.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { valuesReference, withReference } from "../ts/lib/values-reference.ts";
import { presets } from "../ts/lib/presets.ts";

const read = (file: string) => readFileSync(path.join(repoRoot, file), "utf8");
const schema = JSON.parse(read("values.schema.json"));
const defaults = parse(read("values.yaml"));

describe("README.md", () => {
  it("holds the current values reference (run `npm run docs` when this fails)", () => {
    const readme = read("README.md");
    expect(readme).toBe(withReference(readme, valuesReference(schema, defaults)));
  });

  it("the values reference lists each value with its default from values.yaml", () => {
    const table = valuesReference(schema, defaults);
    expect(table).toContain('| `sandbox.image.tag` | string | `"1.34.0-python"` |');
    expect(table).toContain('| `openhands.generation` | `"auto"` \\| `"v0"` \\| `"v1"` | `"auto"` |');
    expect(table).toContain('| `persistence.state.size` | string | `"5Gi"` |');
  });

  it("shows the two setup commands, and .ci/run runs exactly the README's test command", () => {
    const readme = read("README.md");
    expect(readme).toMatch(/^npm ci\b/m);
    expect(readme).toMatch(/^npm test\b/m);
    const run = read(".ci/run").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(run).toContain("npm ci");
    expect(run).toContain("npm test");
  });

  it("documents every preset in ci/", () => {
    const readme = read("README.md");
    for (const preset of presets.filter((p) => p.name !== "default")) expect(readme).toContain(`\`${preset.valuesFiles[0]}\``);
  });
});
