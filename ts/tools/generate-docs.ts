// Writes the values reference, docs/values.md. `--check` fails when the committed file
// differs from a fresh build instead of writing it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../lib/helm-binaries.ts";
import { referencePath, valuesReference } from "../lib/values-reference.ts";

const target = path.join(repoRoot, referencePath);
const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
const defaults = parse(readFileSync(path.join(repoRoot, "values.yaml"), "utf8"));
const fresh = valuesReference(schema, defaults);
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== fresh) {
    console.error(`${referencePath} is stale: run \`npm run docs\``);
    process.exit(1);
  }
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${referencePath}`);
}
