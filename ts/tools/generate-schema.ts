// Compiles ts/values/index.ts into values.schema.json. `--check` fails when the
// committed file differs from a fresh build instead of writing it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../lib/helm-binaries.ts";
import { buildValuesSchema } from "../lib/schema.ts";

const target = path.join(repoRoot, "values.schema.json");
const fresh = JSON.stringify(buildValuesSchema(), null, 2) + "\n";
if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== fresh) {
    console.error("values.schema.json is stale: run `npm run schema`");
    process.exit(1);
  }
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
