// Every preset on a real API server: strict server-side validation, install with both pinned
// Helms in a namespace that enforces the preset's documented Pod Security level, upgrade from
// the chart at a previous git ref and with changed values, uninstall; then only the kept
// claims (and kept namespaces) remain. One deliberate violation proves PodSecurity enforces.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { stringify } from "yaml";
import { parseManifest } from "../../ts/lib/render.ts";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { helmBinary, repoRoot, type HelmName } from "../../ts/lib/helm-binaries.ts";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { clusterApiVersions, helms, presetLevel, presets, type Preset } from "../../ts/lib/presets.ts";
import { eventually } from "../../ts/lib/eventually.ts";

const kubeconfig = inject("kubeconfig");
const serverVersion = inject("serverVersion");
const baseRef = process.env.CLUSTER_BASE_REF ?? "HEAD~1";

const k = (args: string[], options: { reject?: boolean; input?: string } = {}) =>
  execa(kubectl(), ["--kubeconfig", kubeconfig, ...args], { reject: options.reject ?? true, input: options.input });
const helm = (which: HelmName, args: string[]) => execa(helmBinary(which), [...args, "--kubeconfig", kubeconfig]);

/** Values that adapt a preset to sharing one cluster (names every install would otherwise share). */
function clusterOverrides(preset: Preset, namespace: string): string[] {
  const overrides: Record<string, string[]> = {
    // Helm cannot create the namespace it stores its release in; the suite labels it instead.
    hardened: ["namespace.create=false"],
    // Runtime pods go to a namespace of their own per install, which the suite creates (so the
    // server-side dry run, which creates nothing, finds it).
    "v0-kubernetes-runtime": [`sandbox.kubernetes.namespace=${namespace}-rt`, "sandbox.kubernetes.createNamespace=false"],
  };
  return (overrides[preset.name] ?? []).flatMap((s) => ["--set", s]);
}


/** The chart and presets as they were at `ref`, or undefined when the chart was not there. */
async function chartAt(ref: string): Promise<string | undefined> {
  const dir = mkdtempSync(path.join(tmpdir(), "chart-at-ref-"));
  const archive = await execa("git", ["-C", repoRoot, "archive", "--format=tar", ref, "Chart.yaml", "values.yaml", "values.schema.json", "templates", "ci", ".helmignore"], { reject: false, encoding: "buffer" });
  if (archive.exitCode !== 0) return undefined;
  await execa("tar", ["-x", "-C", dir], { input: archive.stdout });
  return dir;
}

async function createNamespace(name: string, level: string): Promise<void> {
  await k(["create", "namespace", name]);
  await k(["label", "namespace", name, `pod-security.kubernetes.io/enforce=${level}`, `pod-security.kubernetes.io/warn=${level}`]);
}

/** Objects of the release left in the namespace, as kind/name. */
async function releaseObjects(namespace: string, release: string): Promise<string[]> {
  const kinds = "deployments,replicasets,pods,services,configmaps,secrets,serviceaccounts,roles,rolebindings,networkpolicies,ingresses,cronjobs,persistentvolumeclaims,httproutes.gateway.networking.k8s.io,externalsecrets.external-secrets.io,secretstores.external-secrets.io";
  const { stdout } = await k(["get", kinds, "-n", namespace, "-l", `app.kubernetes.io/instance=${release}`, "-o", "name"]);
  return stdout.split("\n").filter(Boolean).sort();
}

async function apiVersionFlags(): Promise<string[]> {
  const { stdout } = await k(["api-versions"]);
  return [...stdout.split("\n").filter(Boolean), ...clusterApiVersions].flatMap((v) => ["--api-versions", v]);
}

describe(`on ${serverVersion}`, () => {
  let baseChart: string | undefined;
  let upgradedFromBaseCount = 0;
  let apiFlags: string[];
  beforeAll(async () => {
    baseChart = await chartAt(baseRef);
    apiFlags = await apiVersionFlags();
  });

  describe.each(presets)("preset $name", (preset) => {
    const level = presetLevel(preset);

    it.each(helms)(`installs with %s at its documented Pod Security level, upgrades from ${baseRef} and with changed values, and uninstalls leaving only kept claims`, async (which) => {
      const namespace = `${preset.name}-${which}`.slice(0, 50);
      const release = "openhands";
      await createNamespace(namespace, level);
      if (preset.name === "v0-kubernetes-runtime") await createNamespace(`${namespace}-rt`, "baseline");
      const current = [...preset.valuesFiles.flatMap((f) => ["--values", path.join(repoRoot, f)]), ...clusterOverrides(preset, namespace)];

      // Strict server-side validation of what the chart renders for this cluster.
      const manifest = (await execa(helmBinary(which), ["template", release, repoRoot, "--namespace", namespace, "--kube-version", serverVersion, ...apiFlags, ...current])).stdout;
      // Helm puts objects without a namespace into the release's; kubectl needs it spelled out.
      const objects = parseManifest(manifest).map((o) => (o.metadata.namespace || o.kind === "Namespace" ? o : { ...o, metadata: { ...o.metadata, namespace } }));
      const dir = mkdtempSync(path.join(tmpdir(), "rendered-"));
      writeFileSync(path.join(dir, "manifest.yaml"), objects.map((o) => stringify(o)).join("---\n"));
      const dryRun = await k(["apply", "--server-side", "--dry-run=server", "--validate=strict", "--field-manager=cluster-suite", "-f", path.join(dir, "manifest.yaml")], { reject: false });
      expect(dryRun.exitCode, dryRun.stderr).toBe(0);

      // Install the chart as it was at the base ref (when it renders this preset), then upgrade.
      let upgradedFromBase = false;
      const basePreset = baseChart && preset.valuesFiles.every((f) => existsIn(baseChart!, f));
      if (basePreset) {
        const old = [...preset.valuesFiles.flatMap((f) => ["--values", path.join(baseChart!, f)]), ...clusterOverrides(preset, namespace)];
        const install = await execa(helmBinary(which), ["install", release, baseChart!, "-n", namespace, "--kubeconfig", kubeconfig, ...old], { reject: false });
        upgradedFromBase = install.exitCode === 0;
        if (!upgradedFromBase) console.log(`${preset.name} (${which}): the chart at ${baseRef} does not install this preset: ${install.stderr.split("\n")[0]}`);
      }
      if (upgradedFromBase) upgradedFromBaseCount++;
      if (upgradedFromBase) await helm(which, ["upgrade", release, repoRoot, "-n", namespace, ...current]);
      else await helm(which, ["install", release, repoRoot, "-n", namespace, ...current]);

      // Changed values: a new pod annotation rolls the Deployment.
      await helm(which, ["upgrade", release, repoRoot, "-n", namespace, ...current, "--set", "podAnnotations.cluster-suite=changed"]);
      const status = JSON.parse((await helm(which, ["status", release, "-n", namespace, "-o", "json"])).stdout);
      expect(status.info.status).toBe("deployed");
      expect(status.version).toBe(upgradedFromBase ? 3 : 2);

      // PodSecurity admitted the server pod at the documented level (no node runs it: it stays Pending).
      const pods = await eventually(
        async () => (await k(["get", "pods", "-n", namespace, "-l", "app.kubernetes.io/component=server", "-o", "name"])).stdout,
        (out) => out.length > 0,
        60,
      );
      expect(pods, `no server pod in ${namespace}: ${(await k(["get", "rs", "-n", namespace, "-o", "yaml"])).stdout}`).not.toBe("");

      await helm(which, ["uninstall", release, "-n", namespace]);
      const left = await eventually(() => releaseObjects(namespace, release), (objects) => objects.every((o) => o.startsWith("persistentvolumeclaim/")), 60);
      const expectedClaims = JSON.parse((await k(["get", "pvc", "-n", namespace, "-o", "json"])).stdout).items.map((c: any) => `persistentvolumeclaim/${c.metadata.name}`).sort();
      expect(left).toEqual(expectedClaims);
      // The claims the chart keeps: the GUI server's state, workspace and Docker data, Canvas' state and projects.
      for (const claim of expectedClaims) expect(claim).toMatch(/-(state|workspace|docker|canvas-projects)$/);
      await k(["delete", "namespace", namespace, "--wait=false"]);
    });
  });

  it(`upgraded from the chart at ${baseRef} wherever that chart had the preset`, () => {
    if (!baseChart) return console.log(`no chart at ${baseRef}: every preset was installed fresh`);
    const presetsAtBase = presets.filter((p) => p.valuesFiles.every((f) => existsIn(baseChart!, f))).length;
    console.log(`${upgradedFromBaseCount} of ${presetsAtBase * helms.length} installs upgraded from ${baseRef}`);
    expect(upgradedFromBaseCount).toBeGreaterThan(0);
  });

  it("PodSecurity rejects the privileged DinD pod in a namespace that enforces restricted", async () => {
    const namespace = "violation";
    await createNamespace(namespace, "restricted");
    await helm("helm4", ["install", "openhands", repoRoot, "-n", namespace]);
    const failure = await eventually(
      async () => {
        const rs = JSON.parse((await k(["get", "rs", "-n", namespace, "-o", "json"])).stdout).items;
        return rs.flatMap((r: any) => r.status?.conditions ?? []).find((c: any) => c.type === "ReplicaFailure")?.message ?? "";
      },
      (message: string) => message.length > 0,
      60,
    );
    expect(failure).toMatch(/violates PodSecurity "restricted/);
    expect(failure).toMatch(/privileged/);
    expect((await k(["get", "pods", "-n", namespace, "-o", "name"])).stdout).toBe("");
  });
});

function existsIn(dir: string, file: string): boolean {
  try {
    readFileSync(path.join(dir, file));
    return true;
  } catch {
    return false;
  }
}
