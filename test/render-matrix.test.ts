// Invariants that hold for every preset, every pinned Helm and every Kubernetes version.
// (Byte-identical output across renders is checked the way Argo CD renders, in argocd.test.ts.)
import { beforeAll, describe, expect, it } from "vitest";
import { render, type K8sObject, type Rendered } from "../ts/lib/render.ts";
import { validateAgainstOpenAPI } from "../ts/lib/openapi.ts";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { cachedHelm } from "../ts/lib/render-cache.ts";
import { clusterApiVersions, helms, kubeVersions, presets } from "../ts/lib/presets.ts";

const recommendedLabels = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/managed-by",
  "helm.sh/chart",
];

/** Pod templates inside workload objects. */
function podTemplates(object: K8sObject): { metadata: { labels?: Record<string, string> }; spec: any }[] {
  const spec = object.spec as any;
  if (spec?.template?.spec) return [spec.template];
  if (spec?.jobTemplate?.spec?.template) return [spec.jobTemplate.spec.template];
  return [];
}

const credentialName = /(KEY|SECRET|TOKEN|PASSWORD|PASS)$/;

describe.each(presets)("preset $name", (preset) => {
  const renders = new Map<string, Rendered>();
  const key = (helm: string, kube: string) => `${helm}@${kube}`;

  beforeAll(async () => {
    const jobs = helms.flatMap((helm) =>
      kubeVersions.map(async (kubeVersion) => {
        renders.set(key(helm, kubeVersion), await render({ helm, kubeVersion, valuesFiles: preset.valuesFiles, apiVersions: clusterApiVersions }));
      }),
    );
    await Promise.all(jobs);
  });

  describe.each(helms)("rendered by %s", (helm) => {
    describe.each(kubeVersions)("for Kubernetes %s", (kubeVersion) => {
      const objects = () => renders.get(key(helm, kubeVersion))!.objects;

      it("validates every object against the Kubernetes OpenAPI schema", async () => {
        for (const object of objects()) await validateAgainstOpenAPI(object);
      });

      it("puts the recommended labels on every object and pod template", () => {
        for (const object of objects()) {
          for (const labels of [object.metadata.labels, ...podTemplates(object).map((t) => t.metadata.labels)]) {
            for (const label of recommendedLabels) expect(labels, `${object.kind}/${object.metadata.name}`).toHaveProperty([label]);
          }
        }
      });

      it("keeps object names and label values within 63 characters", () => {
        for (const object of objects()) {
          expect(object.metadata.name.length, object.metadata.name).toBeLessThanOrEqual(63);
          for (const value of Object.values(object.metadata.labels ?? {})) expect(String(value).length).toBeLessThanOrEqual(63);
        }
      });

      it("never passes a credential as a literal environment value", () => {
        for (const object of objects()) {
          for (const template of podTemplates(object)) {
            for (const c of [...(template.spec.containers ?? []), ...(template.spec.initContainers ?? [])]) {
              for (const env of c.env ?? []) {
                if (credentialName.test(env.name)) expect(env.value, `${c.name} ${env.name}`).toBeUndefined();
              }
            }
          }
        }
      });

      it("renders no Secret holding a credential: credentials come from existing Secrets", () => {
        expect(objects().filter((o) => o.kind === "Secret").map((o) => o.metadata.name)).toEqual([]);
      });

    });

    it("passes helm lint --strict", async () => {
      // helm lint has no --api-versions, so it cannot render an HTTPRoute (which needs the
      // cluster to serve Gateway API); the renders above check the HTTPRoute itself.
      const args = [
        "lint", "--strict", repoRoot,
        ...preset.valuesFiles.flatMap((f) => ["--values", `${repoRoot}/${f}`]),
        "--set", "httpRoute.enabled=false",
      ];
      const result = await cachedHelm(helm, args);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    });
  });

  it.each(kubeVersions)("renders the same objects with Helm 3 and Helm 4 for Kubernetes %s", (kubeVersion) => {
    expect(renders.get(key("helm3", kubeVersion))!.objects).toEqual(renders.get(key("helm4", kubeVersion))!.objects);
  });
});
