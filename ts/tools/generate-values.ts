// Writes values.yaml from ts/values/defaults.ts and the descriptions in values.schema.json.
// `--check` fails when the committed file differs from a fresh build instead of writing it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../lib/helm-binaries.ts";
import { valuesYaml } from "../lib/values-yaml.ts";
import { defaults } from "../values/defaults.ts";

const target = path.join(repoRoot, "values.yaml");
const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
const fresh = valuesYaml(schema, defaults as unknown as Record<string, unknown>);
if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== fresh) {
    console.error("values.yaml is stale: run `npm run values`");
    process.exit(1);
  }
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
