// The README and the guides are what users read: generated parts match the chart, links
// lead somewhere, and the README stays short enough to read.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { brokenLinks, relativeLinks } from "../ts/lib/markdown-links.ts";
import { documentedKeys, referencePath, valuesReference } from "../ts/lib/values-reference.ts";
import { presets } from "../ts/lib/presets.ts";

const read = (file: string) => readFileSync(path.join(repoRoot, file), "utf8");
const schema = JSON.parse(read("values.schema.json"));
const defaults = parse(read("values.yaml"));
const guides = readdirSync(path.join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);

describe("values reference", () => {
  it(`${referencePath} is current (run \`npm run docs\` when this fails)`, () => {
    expect(read(referencePath)).toBe(valuesReference(schema, defaults));
  });

  it("lists each value with its default from values.yaml", () => {
    const reference = valuesReference(schema, defaults);
    expect(reference).toContain('| `sandbox.image.tag` | string | `"1.34.0-python"` |');
    expect(reference).toContain('| `openhands.generation` | `"auto"` \\| `"v0"` \\| `"v1"` | `"auto"` |');
    expect(reference).toContain('| `persistence.state.size` | string | `"5Gi"` |');
  });

  it("gives a type used at several keys one row per key and one table of its fields", () => {
    const reference = valuesReference(schema, defaults);
    expect(reference).toMatch(/^\| `openhands\.image` \| \[Image\]\(#image\) \| `\{"registry":"docker\.openhands\.dev"/m);
    expect(reference).toMatch(/^\| `dind\.image` \| \[Image\]\(#image\) \|/m);
    expect(reference).not.toContain("| `openhands.image.tag` |");
    expect(reference.match(/^### Image$/gm)).toHaveLength(1);
    expect(reference).toMatch(/### Image\n[\s\S]*?\| `pullPolicy` \|/);
    expect(documentedKeys(schema, defaults)).toContain("openhands.image.tag");
  });
});

describe("README.md", () => {
  it("stays short: under 16 KB, the topics live in docs/", () => {
    expect(Buffer.byteLength(read("README.md"))).toBeLessThan(16 * 1024);
  });

  it("covers what a user decides first, and links every guide", () => {
    const readme = read("README.md");
    for (const section of ["Quick start", "Choosing a sandbox mode", "Exposure and authentication", "LLM settings", "Upgrading", "Uninstalling", "Testing"]) {
      expect(readme).toMatch(new RegExp(`^## ${section}$`, "m"));
    }
    const linked = new Set(relativeLinks(readme).map((l) => l.split("#")[0]));
    const userGuides = guides.filter((g) => !g.startsWith("docs/runtime-"));
    expect(userGuides.filter((g) => !linked.has(g))).toEqual([]);
  });

  it("shows the setup commands, and .ci/run runs exactly the README's test commands", () => {
    const readme = read("README.md");
    const run = read(".ci/run").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    for (const command of ["npm ci", "npm test", "npm run test:cluster", "npm run test:runtime"]) {
      expect(readme).toMatch(new RegExp(`^${command.replace(/[.:]/g, "\\$&")}\\b`, "m"));
      expect(run).toContain(command);
    }
  });
});

describe("links", () => {
  it.each(["README.md", "CONTRIBUTING.md", ...guides])("every relative link in %s resolves to a file (and heading) in the repository", (file) => {
    expect(brokenLinks(repoRoot, file)).toEqual([]);
  });
});

describe("guides", () => {
  it("docs/presets.md documents every preset in ci/", () => {
    const text = read("docs/presets.md");
    for (const preset of presets.filter((p) => p.name !== "default")) expect(text).toContain(`\`${preset.valuesFiles[0]}\``);
  });

  it("backup and persistence guides say the stored settings and secrets are plain text, not encrypted by the JWT secret", () => {
    for (const guide of ["docs/backup.md", "docs/persistence.md"]) {
      const text = read(guide);
      expect(text).toMatch(/plain text/);
      expect(text).toMatch(/does not encrypt|not encrypt/);
      expect(text).not.toMatch(/secrets (it|OpenHands) encrypted|cannot be decrypted|make stored secrets unreadable/);
    }
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

  it("docs/migrating-to-canvas.md says what does not carry over, and the README links it", () => {
    const text = read("docs/migrating-to-canvas.md");
    for (const lost of ["conversations, their events and titles", "LLM settings and the LLM API key"]) expect(text).toContain(lost);
    expect(text).toContain("app: canvas");
    expect(read("README.md")).toContain("](docs/migrating-to-canvas.md)");
  });

  it("every value named in the guides exists in the values reference", () => {
    const keys = documentedKeys(schema, defaults);
    for (const guide of ["docs/migrating-from-the-blog.md", "docs/migrating-from-lolice.md", "docs/migrating-to-canvas.md"]) {
      const named = [...read(guide).matchAll(/`((?:openhands|sandbox|dind|persistence|ingress|auth|llm|tunnel|externalSecrets|dockerCleanup|service|canvas)\.[A-Za-z.]+)/g)].map((m) => m[1]);
      expect(named.length).toBeGreaterThan(5);
      for (const key of named) expect({ guide, key, known: keys.has(key) }).toEqual({ guide, key, known: true });
    }
  });
});
