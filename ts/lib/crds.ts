// CRDs the presets use, taken from the upstream Go modules (which carry the manifests) at
// pinned versions, through the Go module proxy.
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";

export const crdSources = [
  {
    module: "sigs.k8s.io/gateway-api",
    version: "v1.4.0",
    files: ["config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml", "config/crd/standard/gateway.networking.k8s.io_gateways.yaml", "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"],
  },
  {
    module: "github.com/external-secrets/external-secrets",
    version: "v1.3.2",
    files: ["config/crds/bases/external-secrets.io_externalsecrets.yaml", "config/crds/bases/external-secrets.io_secretstores.yaml", "config/crds/bases/external-secrets.io_clustersecretstores.yaml"],
  },
] as const;

/** The CRD manifests, read from the module cache (downloaded on first use). */
export async function crdManifests(): Promise<{ source: string; manifest: string }[]> {
  const out: { source: string; manifest: string }[] = [];
  for (const source of crdSources) {
    const { stdout } = await execa("go", ["mod", "download", "-json", `${source.module}@${source.version}`]);
    const dir = JSON.parse(stdout).Dir as string;
    for (const file of source.files) out.push({ source: `${source.module}@${source.version}/${file}`, manifest: readFileSync(path.join(dir, file), "utf8") });
  }
  return out;
}
