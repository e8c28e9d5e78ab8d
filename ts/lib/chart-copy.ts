// A copy of the chart as another chart version would ship it: the same templates and values,
// a different Chart.yaml version (and appVersion when given). Upgrade tests render or install it
// beside the working tree to see what a version bump alone changes.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDocument } from "yaml";
import { repoRoot } from "./helm-binaries.ts";

/** What Helm packages: everything the templates read. */
const chartFiles = ["Chart.yaml", "values.yaml", "values.schema.json", ".helmignore", "templates", "files"];

/** Copies the chart to a temporary directory with the given version; returns the directory. */
export function chartWithVersion(version: string, appVersion?: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "openhands-chart-version-")), "openhands");
  for (const file of chartFiles) cpSync(path.join(repoRoot, file), path.join(dir, file), { recursive: true });
  const chart = parseDocument(readFileSync(path.join(dir, "Chart.yaml"), "utf8"));
  chart.set("version", version);
  if (appVersion !== undefined) chart.set("appVersion", appVersion);
  writeFileSync(path.join(dir, "Chart.yaml"), chart.toString());
  return dir;
}
