import { readFileSync } from "node:fs";
import path from "node:path";
import * as TJS from "typescript-json-schema";
import { parse } from "yaml";
import { repoRoot } from "./helm-binaries.ts";

/** Builds the draft-07 values schema from the TypeScript types, self-contained and strict. */
export function buildValuesSchema(): TJS.Definition {
  const program = TJS.getProgramFromFiles([path.join(repoRoot, "ts/values/index.ts")], {
    strict: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const schema = TJS.generateSchema(program, "Values", {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    ref: true,
    aliasRef: false,
    topRef: false,
    titles: false,
    defaultProps: false,
    ignoreErrors: false,
    uniqueNames: false,
    validationKeywords: ["propertyNames"],
  });
  if (!schema) throw new Error("typescript-json-schema produced no schema for Values");
  const values = { $schema: "http://json-schema.org/draft-07/schema#", title: "openhands chart values", ...typeStringItems(stripSchemaKey(schema)) };
  return withRenamedKeys(values, renamedKeys());
}

/** A values key that was renamed, from migrations/renamed-keys.yaml (which the preflight reads too). */
export interface RenamedKey {
  from: string;
  to: string;
  how: string;
}

export function renamedKeys(): RenamedKey[] {
  return parse(readFileSync(path.join(repoRoot, "migrations", "renamed-keys.yaml"), "utf8")).renamed;
}

/**
 * Accepts each renamed key (any value) so that Helm gets past the schema to the preflight, whose
 * message names the new key; editors that read the schema flag the key as deprecated.
 */
function withRenamedKeys(schema: TJS.Definition, renamed: RenamedKey[]): TJS.Definition {
  for (const { from, to } of renamed) {
    const parts = from.split(".");
    let node = schema;
    for (const part of parts.slice(0, -1)) node = resolveRef(schema, node.properties![part] as TJS.Definition);
    node = resolveRef(schema, node);
    if (!node.properties || node.additionalProperties !== false) throw new Error(`renamed key ${from}: its parent is not a closed object`);
    if (node.properties[parts.at(-1)!]) throw new Error(`renamed key ${from} is still a values key`);
    node.properties[parts.at(-1)!] = { description: `Renamed to \`${to}\`; setting it fails with that name.`, deprecated: true } as TJS.Definition;
  }
  return schema;
}

function resolveRef(root: TJS.Definition, node: TJS.Definition): TJS.Definition {
  if (!node.$ref) return node;
  return resolveRef(root, root.definitions![node.$ref.replace("#/definitions/", "")] as TJS.Definition);
}

/**
 * `@items.pattern` on a `string[]` replaces the generated item schema, losing its type:
 * put `type: string` back so other values are still rejected.
 */
function typeStringItems<T>(node: T): T {
  if (Array.isArray(node)) return node.map(typeStringItems) as T;
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = typeStringItems(value);
  // typescript-json-schema repeats a referenced map's propertyNames beside an optional `$ref`; the definition holds it.
  if (out.$ref !== undefined) delete out.propertyNames;
  const items = out.items as Record<string, unknown> | undefined;
  if (items && typeof items === "object" && !Array.isArray(items) && items.pattern !== undefined && items.type === undefined && items.$ref === undefined) {
    out.items = { type: "string", ...items };
  }
  return out as T;
}

function stripSchemaKey(schema: TJS.Definition): TJS.Definition {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}
