// Strict, offline validation of rendered objects against the API server's own OpenAPI v3
// schemas (dumped into test/fixtures/openapi by `npm run openapi:dump`). Unlike the
// kubernetes-models check, unknown fields are rejected, as `kubectl --validate=strict` does.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { repoRoot } from "./helm-binaries.ts";
import type { K8sObject } from "./render.ts";

export const fixturesDir = path.join(repoRoot, "test", "fixtures", "openapi");

type Schema = Record<string, any>;

/** Makes every object schema that lists its properties reject others, unless the API keeps unknown fields there. */
function closeObjects(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(closeObjects) as unknown as Schema;
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === "enum" || key === "default" || key === "example" ? value : closeObjects(value);
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

/** One validator per group/version/kind found in the fixtures. */
function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  validators = new Map();
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  for (const file of readdirSync(fixturesDir).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(readFileSync(path.join(fixturesDir, file), "utf8"));
    const id = `file:${file}`;
    ajv.addSchema({ $id: id, components: closeObjects(doc.components) });
    for (const [name, schema] of Object.entries<Schema>(doc.components.schemas)) {
      for (const gvk of schema["x-kubernetes-group-version-kind"] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        const key = `${apiVersion}/${gvk.kind}`;
        if (!validators.has(key)) validators.set(key, ajv.compile({ $ref: `${id}#/components/schemas/${name.replace(/~/g, "~0").replace(/\//g, "~1")}` }));
      }
    }
  }
  return validators;
}

/** The validation errors of an object, strictly (empty when it is valid); throws for kinds with no schema. */
export function strictErrors(object: K8sObject): string[] {
  const validate = load().get(`${object.apiVersion}/${object.kind}`);
  if (!validate) throw new Error(`no OpenAPI schema fixture for ${object.apiVersion} ${object.kind}: run npm run openapi:dump`);
  const valid: boolean = validate(object as unknown);
  if (valid) return [];
  return (validate.errors ?? []).map((e) => `${object.kind}/${object.metadata.name}${e.instancePath} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`);
}
