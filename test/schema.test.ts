import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { buildValuesSchema } from "../ts/lib/schema.ts";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { presets } from "../ts/lib/presets.ts";

const committed = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
const defaults = parse(readFileSync(path.join(repoRoot, "values.yaml"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(committed);

/** Helm's merge: maps merge key by key, everything else is replaced. */
function coalesce(base: unknown, override: unknown): unknown {
  if (isMap(base) && isMap(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? coalesce(base[k], v) : v;
    return out;
  }
  return override;
}
function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

describe("values.schema.json", () => {
  it("is what the TypeScript types in ts/values compile to (run `npm run schema` when this fails)", () => {
    expect(committed).toEqual(buildValuesSchema());
  });

  it("is a self-contained draft-07 schema", () => {
    expect(committed.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const refs = JSON.stringify(committed).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^"\$ref":"#\/definitions\//);
  });

  it("rejects unknown keys at the root but allows `global`", () => {
    expect(committed.additionalProperties).toBe(false);
    expect(validate({ ...defaults, global: { imageRegistry: "mirror.example" } })).toBe(true);
    expect(validate({ ...defaults, imageTag: "x" })).toBe(false);
  });

  it("rejects unknown keys in every closed object and keeps label, annotation and env maps open", () => {
    for (const [name, definition] of Object.entries<any>(committed.definitions)) {
      if (definition.type !== "object") continue;
      const stringMaps = ["StringMap", "Labels", "EnvMap"];
      // Global is Helm's map shared with other charts of an umbrella release.
      const open = [...stringMaps, "KubernetesObject", "ResourceAmounts", "Global"].includes(name);
      const expected = stringMaps.includes(name) ? { type: "string" } : name === "ResourceAmounts" ? { type: ["string", "number"] } : {};
      expect({ name, additionalProperties: definition.additionalProperties }).toEqual({ name, additionalProperties: open ? expected : false });
    }
  });

  it("documents every field with a description", () => {
    const undocumented: string[] = [];
    for (const [name, definition] of Object.entries<any>(committed.definitions)) {
      for (const [field, spec] of Object.entries<any>(definition.properties ?? {})) {
        if (!spec.description) undocumented.push(`${name}.${field}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it.each(presets.map((p) => [p.name, p] as const))("accepts preset %s merged over values.yaml", (_name, preset) => {
    const merged = preset.valuesFiles.reduce(
      (acc, file) => coalesce(acc, parse(readFileSync(path.join(repoRoot, file), "utf8"))),
      defaults as unknown,
    );
    const ok = validate(merged);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(["values.yaml", ...presets.flatMap((p) => p.valuesFiles)])("%s carries the yaml-language-server schema modeline", (file) => {
    const first = readFileSync(path.join(repoRoot, file), "utf8").split("\n")[0];
    const expected = file === "values.yaml" ? "./values.schema.json" : "../values.schema.json";
    expect(first).toBe(`# yaml-language-server: $schema=${expected}`);
  });
});
