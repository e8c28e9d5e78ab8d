// Writes the API server's OpenAPI v3 documents for the groups the chart renders into
// test/fixtures/openapi/, keeping only the schemas those kinds reach. Starts the local
// control plane (or uses $KUBECONFIG) with the CRDs installed. `npm run openapi:dump`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { kubectl, start, versions } from "../lib/control-plane.ts";
import { crdManifests } from "../lib/crds.ts";
import { fixturesDir } from "../lib/strict-schema.ts";

/** API paths and the kinds of each that the chart renders. */
const wanted: Record<string, string[]> = {
  "api/v1": ["ConfigMap", "Namespace", "PersistentVolumeClaim", "Pod", "Secret", "Service", "ServiceAccount"],
  "apis/apps/v1": ["Deployment"],
  "apis/batch/v1": ["CronJob"],
  "apis/networking.k8s.io/v1": ["Ingress", "NetworkPolicy"],
  "apis/rbac.authorization.k8s.io/v1": ["Role", "RoleBinding"],
  "apis/gateway.networking.k8s.io/v1": ["HTTPRoute"],
  "apis/external-secrets.io/v1": ["ExternalSecret", "SecretStore"],
};

let kubeconfig = process.env.KUBECONFIG;
let stop = async () => {};
if (!kubeconfig) {
  const plane = await start();
  kubeconfig = plane.kubeconfig;
  stop = plane.stop;
}
try {
  const dir = mkdtempSync(path.join(tmpdir(), "crds-"));
  for (const [i, { manifest }] of (await crdManifests()).entries()) {
    writeFileSync(path.join(dir, `${i}.yaml`), manifest);
    await execa(kubectl(), ["--kubeconfig", kubeconfig, "apply", "--server-side", "-f", path.join(dir, `${i}.yaml`)]);
  }
  await execa(kubectl(), ["--kubeconfig", kubeconfig, "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
  // CRD schemas reach /openapi/v3 a moment after the CRDs are established.
  await new Promise((r) => setTimeout(r, 5000));
  rmSync(fixturesDir, { recursive: true, force: true });
  mkdirSync(fixturesDir, { recursive: true });
  const { stdout: serverVersion } = await execa(kubectl(), ["--kubeconfig", kubeconfig, "version", "-o", "json"]);
  for (const [apiPath, kinds] of Object.entries(wanted)) {
    const { stdout } = await execa(kubectl(), ["--kubeconfig", kubeconfig, "get", "--raw", `/openapi/v3/${apiPath}`], { maxBuffer: 256 * 1024 * 1024 });
    const doc = JSON.parse(stdout);
    const schemas: Record<string, any> = doc.components.schemas;
    const roots = Object.entries(schemas).filter(([, s]) => (s["x-kubernetes-group-version-kind"] ?? []).some((g: any) => kinds.includes(g.kind) && `${g.group ? "apis/" + g.group : "api"}/${g.version}` === apiPath)).map(([n]) => n);
    if (roots.length !== kinds.length) throw new Error(`${apiPath}: found ${roots.join(", ")} for ${kinds.join(", ")}`);
    const keep = reachable(roots, schemas);
    const pruned = { openapi: doc.openapi, info: { title: doc.info.title, version: JSON.parse(serverVersion).serverVersion.gitVersion }, components: { schemas: Object.fromEntries([...keep].sort().map((n) => [n, schemas[n]])) } };
    const file = path.join(fixturesDir, `${apiPath.replace(/^apis?\//, "").replace(/\//g, "_")}.json`);
    writeFileSync(file, JSON.stringify(pruned, null, 1) + "\n");
    console.log(`wrote ${path.relative(process.cwd(), file)} (${keep.size} schemas)`);
  }
  console.log(`from Kubernetes ${versions.kubernetes}`);
} finally {
  await stop();
}

function reachable(roots: string[], schemas: Record<string, any>): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = value.replace("#/components/schemas/", "");
        if (!seen.has(name)) {
          seen.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  for (const root of roots) {
    seen.add(root);
    visit(schemas[root]);
  }
  return seen;
}
