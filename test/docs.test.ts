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

describe("migration guides", () => {
  it.each([
    ["docs/migrating-from-the-blog.md", "ci/blog-dind-values.yaml", "existingClaim=openhands-state"],
    ["docs/migrating-from-lolice.md", "ci/lolice-values.yaml", "existingClaim=openhands-state-pvc"],
  ])("%s maps the seed to %s and keeps its claim with %s", (guide, preset, claim) => {
    const text = read(guide);
    expect(text).toContain(`\`${preset}\``);
    expect(text).toContain(claim);
    expect(read("README.md")).toContain(`](${guide})`);
  });

  it("every value named in the guides exists in the values reference", () => {
    const table = valuesReference(schema, defaults);
    for (const guide of ["docs/migrating-from-the-blog.md", "docs/migrating-from-lolice.md"]) {
      const keys = [...read(guide).matchAll(/`((?:openhands|sandbox|dind|persistence|ingress|auth|llm|tunnel|externalSecrets|dockerCleanup|service)\.[A-Za-z.]+)/g)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) expect({ guide, key, known: table.includes(`\`${key}`) }).toEqual({ guide, key, known: true });
    }
  });
});
