import path from "node:path";
import * as TJS from "typescript-json-schema";
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
  return { $schema: "http://json-schema.org/draft-07/schema#", title: "openhands chart values", ...typeStringItems(stripSchemaKey(schema)) };
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
