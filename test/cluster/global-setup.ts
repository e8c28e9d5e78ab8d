// Starts the local control plane for the cluster suite (or uses $KUBECONFIG), installs the
// CRDs the presets need, and hands the kubeconfig to the suites.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { TestProject } from "vitest/node";
import { kubectl, start, versions } from "../../ts/lib/control-plane.ts";
import { crdManifests } from "../../ts/lib/crds.ts";

export default async function setup(project: TestProject) {
  const started = Date.now();
  let kubeconfig = process.env.KUBECONFIG;
  let stop = async () => {};
  if (kubeconfig) {
    console.log(`cluster suite: using the cluster of KUBECONFIG=${kubeconfig}`);
  } else {
    const plane = await start();
    kubeconfig = plane.kubeconfig;
    stop = plane.stop;
    console.log(`cluster suite: local control plane, Kubernetes ${versions.kubernetes}, etcd ${versions.etcd} (up in ${((Date.now() - started) / 1000).toFixed(1)}s)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "crds-"));
  for (const [i, { source, manifest }] of (await crdManifests()).entries()) {
    const file = path.join(dir, `${i}.yaml`);
    writeFileSync(file, manifest);
    await execa(kubectl(), ["--kubeconfig", kubeconfig, "apply", "--server-side", "--force-conflicts", "-f", file]);
    console.log(`cluster suite: CRDs from ${source}`);
  }
  // `kubectl wait` fails outright (not waits) on a CRD whose status has no conditions yet, as
  // one just created under load can: ask again until all are Established.
  for (let attempt = 1; ; attempt++) {
    const wait = await execa(kubectl(), ["--kubeconfig", kubeconfig, "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"], { reject: false, all: true });
    if (wait.exitCode === 0) break;
    if (attempt === 10) throw new Error(`CRDs not Established: ${wait.all}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  // The sysbox preset's runtime class, as a cluster with Sysbox installed has it.
  await execa(kubectl(), ["--kubeconfig", kubeconfig, "apply", "--server-side", "-f", "-"], {
    input: "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: sysbox-runc\nhandler: sysbox-runc\n",
  });
  const { stdout } = await execa(kubectl(), ["--kubeconfig", kubeconfig, "version", "-o", "json"]);
  project.provide("kubeconfig", kubeconfig);
  project.provide("serverVersion", JSON.parse(stdout).serverVersion.gitVersion);
  return stop;
}

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
    serverVersion: string;
  }
}
