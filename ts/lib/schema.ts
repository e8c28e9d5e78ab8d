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
  });
  if (!schema) throw new Error("typescript-json-schema produced no schema for Values");
  return { $schema: "http://json-schema.org/draft-07/schema#", title: "openhands chart values", ...stripSchemaKey(schema) };
}

function stripSchemaKey(schema: TJS.Definition): TJS.Definition {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}
