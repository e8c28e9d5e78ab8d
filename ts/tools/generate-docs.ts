// Writes the values reference into README.md between its markers. `--check` fails
// when the committed README differs from a fresh build instead of writing it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../lib/helm-binaries.ts";
import { valuesReference, withReference } from "../lib/values-reference.ts";

const readmePath = path.join(repoRoot, "README.md");
const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
const defaults = parse(readFileSync(path.join(repoRoot, "values.yaml"), "utf8"));
const current = readFileSync(readmePath, "utf8");
const fresh = withReference(current, valuesReference(schema, defaults));
if (process.argv.includes("--check")) {
  if (current !== fresh) {
    console.error("README.md's values reference is stale: run `npm run docs`");
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, fresh);
  console.log("wrote the values reference into README.md");
}
