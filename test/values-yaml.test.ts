// values.yaml is what `helm show values` prints, most users' documentation: generated from the
// types and defaults in ts/values, commented on every key, ordered by the decisions a user makes.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { isMap, parse, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { helms } from "../ts/lib/presets.ts";
import { needsQuotes, resolve, valuesYaml } from "../ts/lib/values-yaml.ts";
import { defaults } from "../ts/values/defaults.ts";

const text = readFileSync(path.join(repoRoot, "values.yaml"), "utf8");
const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));

describe("values.yaml", () => {
  it("is what ts/values/defaults.ts and the schema's descriptions generate (run `npm run values` when this fails)", () => {
    expect(text).toBe(valuesYaml(schema, defaults as unknown as Record<string, unknown>));
  });

  it("holds exactly the defaults of ts/values/defaults.ts", () => {
    expect(parse(text)).toEqual(defaults);
  });

  it.each(helms)("%s reads it as exactly those defaults (quoting survives Helm's YAML 1.1 parser)", async (helm) => {
    const chart = mkdtempSync(path.join(tmpdir(), "values-dump-"));
    mkdirSync(path.join(chart, "templates"));
    writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: dump\nversion: 0.1.0\n");
    writeFileSync(path.join(chart, "values.yaml"), text);
    writeFileSync(path.join(chart, "templates", "dump.yaml"), "dump: {{ toJson .Values | quote }}\n");
    const { stdout } = await execa(helmBinary(helm), ["template", "x", chart]);
    expect(JSON.parse(parse(stdout).dump)).toEqual(defaults);
  });

  it("carries a comment above every setting it lists (entries of free maps such as labels excepted)", () => {
    const doc = parseDocument(text);
    const uncommented: string[] = [];
    const visit = (node: Record<string, any>, map: YAMLMap, prefix: string) => {
      const properties = resolve(schema, node as never).properties ?? {};
      (map.items as Pair<Node, Node>[]).forEach((pair, index) => {
        const key = String((pair.key as { value?: unknown }).value);
        const property = (properties as Record<string, object>)[key];
        if (!property) return;
        // The parser hands the comment above a map's first key to the map itself.
        const comment = pair.key?.commentBefore ?? (index === 0 ? map.commentBefore : undefined);
        if (!comment?.trim()) uncommented.push(`${prefix}${key}`);
        if (isMap(pair.value)) visit(property, pair.value, `${prefix}${key}.`);
      });
    };
    visit(schema, doc.contents as YAMLMap, "");
    expect(uncommented).toEqual([]);
    // And the walk did reach the leaves: a deep one is commented with its own description.
    expect(text).toMatch(/\n {4}# Image tag\. Empty means[^\n]*\n( {4}#[^\n]*\n)* {4}tag: ""\n/);
  });

  it("orders the keys by the decisions a user makes: app, LLM, sandboxes, persistence, exposure and auth, then the rest", () => {
    const keys = Object.keys(parse(text));
    const position = (key: string) => {
      expect(keys).toContain(key);
      return keys.indexOf(key);
    };
    const decisions = ["openhands", "llm", "sandbox", "persistence", "service", "ingress", "auth", "externalSecrets", "podSecurityContext", "nameOverride"];
    const positions = decisions.map(position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const app = Object.keys(parse(text).openhands);
    expect(app.slice(0, 2)).toEqual(["image", "generation"]);
    expect(Object.keys(parse(text).sandbox)[0]).toBe("mode");
  });

  it("quotes every string a YAML 1.1 reader would take for something else", () => {
    for (const value of ["", "1", "10001:10001", "on", "yes", "No", "null", "~", "1e3", "0o17", "017", "1_000", "0 0 * * *"]) expect({ value, quoted: needsQuotes(value) }).toEqual({ value, quoted: true });
    for (const value of ["IfNotPresent", "1.34.0-python", "2026.8.2", "250m", "5Gi", "3600s", "docker.io"]) expect({ value, quoted: needsQuotes(value) }).toEqual({ value, quoted: false });
    expect(text).toContain('owner: "10001:10001"');
    expect(text).toMatch(/\n {8}cpu: "1"\n/);
  });
});
