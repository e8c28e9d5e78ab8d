// What the chart guarantees to Argo CD: it renders the way Argo CD calls Helm, with the
// same output every time, capability choices from the flags, and no perpetual diffs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { helms, presets } from "../ts/lib/presets.ts";
import { parseManifest } from "../ts/lib/render.ts";
import { cachedHelm } from "../ts/lib/render-cache.ts";
import { serverDeployment } from "../ts/lib/workload.ts";

/** Argo CD's own invocation of helm template. */
function argoArgs(valuesFiles: string[], kubeVersion: string, apiVersions: string[]): string[] {
  return [
    "template", repoRoot,
    "--name-template", "openhands",
    "--namespace", "openhands",
    "--kube-version", kubeVersion,
    ...apiVersions.flatMap((api) => ["--api-versions", api]),
    "--include-crds",
    ...valuesFiles.flatMap((f) => ["--values", path.join(repoRoot, f)]),
  ];
}
const clusterApis = ["apps/v1", "batch/v1", "networking.k8s.io/v1", "gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1/HTTPRoute", "external-secrets.io/v1", "external-secrets.io/v1/ExternalSecret"];

describe("Argo CD", () => {
  describe.each(helms)("rendering as Argo CD does, with %s", (helm) => {
    it.each(presets.map((p) => [p.name, p] as const))("preset %s renders identically twice", async (_name, preset) => {
      // Two real Helm runs, never the render cache: this is the check that makes caching sound.
      const args = argoArgs(preset.valuesFiles, "1.33.0", clusterApis);
      const [a, b] = await Promise.all([execa(helmBinary(helm), args), execa(helmBinary(helm), args)]);
      expect(a.stdout.length).toBeGreaterThan(0);
      expect(b.stdout).toBe(a.stdout);
    });
  });

  it("--kube-version drives the sidecar choice the same way in Argo's invocation", async () => {
    const render = async (kube: string) => parseManifest((await cachedHelm("helm4", argoArgs([], kube, clusterApis))).stdout);
    expect(serverDeployment(await render("1.28.0")).spec.template.spec.containers[0].name).toBe("dind");
    expect(serverDeployment(await render("1.33.0")).spec.template.spec.initContainers!.map((c) => c.name)).toContain("dind");
  });

  it("the templates use no lookup, random or time functions", () => {
    const forbidden = /\b(lookup|randAlphaNum|randAlpha|randNumeric|randAscii|uuidv4|now|date|dateInZone|unixEpoch|genCA|genPrivateKey|genSelfSignedCert|genSignedCert)\b/;
    const files = listFiles(path.join(repoRoot, "templates"));
    for (const file of files) {
      const text = readFileSync(file, "utf8").replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, "");
      const actions = text.match(/\{\{[\s\S]*?\}\}/g) ?? [];
      for (const action of actions) expect({ file: path.basename(file), action: forbidden.test(action) ? action : "" }).toEqual({ file: path.basename(file), action: "" });
    }
  });

  it("never sets a claim's volumeName (Argo would show a perpetual diff once it is bound)", async () => {
    for (const preset of presets) {
      const objects = parseManifest((await cachedHelm("helm4", argoArgs(preset.valuesFiles, "1.33.0", clusterApis))).stdout);
      for (const claim of objects.filter((o) => o.kind === "PersistentVolumeClaim")) expect((claim as any).spec).not.toHaveProperty("volumeName");
    }
  });

  it("examples/argocd-application.yaml is an Argo CD Application with a Helm source and values files that exist", () => {
    const app = parse(readFileSync(path.join(repoRoot, "examples/argocd-application.yaml"), "utf8"));
    expect(app).toMatchObject({ apiVersion: "argoproj.io/v1alpha1", kind: "Application" });
    const source = app.spec.source;
    expect(source.helm.releaseName).toBe("openhands");
    for (const file of source.helm.valueFiles) expect(readFileSync(path.join(repoRoot, file), "utf8").length).toBeGreaterThan(0);
    expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(["CreateNamespace=true", "ServerSideApply=true"]));
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
