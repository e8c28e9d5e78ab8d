// Chart presets installed on the real node with `helm install --wait`, then `helm test`.
// Images are stand-ins imported under the exact references each preset renders (pullPolicy
// IfNotPresent finds them), so this proves the chart's objects work on a real kubelet:
// scheduling, volumes, probes, sysctls, Services, the gateway's nginx and the test pod.
// Adding a preset is one line in `runtimePresets`.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { execa } from "execa";
import { afterAll, describe, expect, inject, it } from "vitest";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets } from "../../ts/lib/presets.ts";
import { render } from "../../ts/lib/render.ts";
import { importImage, loadIntoPodDocker } from "../../ts/runtime/node/node.ts";
import { systemImageTars } from "../../ts/runtime/node/system-images.ts";
import { standinImagesTar } from "../../ts/runtime/node/standin-images.ts";
import { k } from "./kube.ts";
import { recordPreset } from "./report.ts";

interface RuntimePreset {
  /** A preset of ts/lib/presets.ts (`default` or a ci/<name>-values.yaml). */
  preset: string;
  /** Extra `--set` pairs for this run. */
  set?: string[];
}

export const runtimePresets: RuntimePreset[] = [
  { preset: "default" },
];

const suite = "chart-presets (stand-in images)";

/** Every image reference in the rendered objects, test hooks included. */
function imagesOf(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => imagesOf(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "image" && typeof v === "string") found.add(v);
      else imagesOf(v, found);
    }
  }
  return found;
}

const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });

describe.each(runtimePresets)("preset $preset on a real node", ({ preset: name, set = [] }) => {
  const preset = presets.find((p) => p.name === name);
  if (!preset) throw new Error(`runtimePresets names ${name}, which is not a preset`);
  const release = `rt-${name}`.slice(0, 30);
  const namespace = `rt-${name}`.slice(0, 50);
  const valuesArgs = [...preset.valuesFiles.flatMap((f) => ["-f", f]), ...set.flatMap((s) => ["--set", s])];
  let secondsToReady: number | undefined;

  afterAll(async () => {
    await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
    await k(["delete", "namespace", namespace, "--wait=false"], { reject: false });
  });

  it("installs with helm install --wait", async () => {
    const { objects } = await render({ valuesFiles: preset.valuesFiles, set: Object.fromEntries(set.map((s) => s.split(/=(.*)/s).slice(0, 2) as [string, string])), releaseName: release, namespace });
    const references = [...imagesOf(objects)];
    expect(references.length).toBeGreaterThan(0);
    await importImage(await standinImagesTar(references));
    const level = presetLevel(preset);
    await k(["create", "namespace", namespace]);
    await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${level}`]);
    const installedAt = Date.now();
    const install = await helm(["install", release, ".", "-n", namespace, "--wait", "--timeout", "300s", ...valuesArgs]);
    const seconds = (Date.now() - installedAt) / 1000;
    if (install.exitCode !== 0) {
      const { stdout: pods } = await k(["get", "pods", "-n", namespace, "-o", "wide"], { reject: false });
      const { stdout: events } = await k(["get", "events", "-n", namespace, "--sort-by=.lastTimestamp"], { reject: false });
      recordPreset({ preset: name, suite, result: "failed", detail: install.all });
      throw new Error(`helm install ${name} failed after ${seconds.toFixed(0)}s:\n${install.all}\n${pods}\n${events.split("\n").slice(-25).join("\n")}`);
    }
    // --wait returned, so every pod is Ready; the time is the preset's time to Ready.
    const { stdout } = await k(["get", "pods", "-n", namespace, "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
    const notReady = stdout.split("\n").filter((l) => l && !l.endsWith("=True"));
    expect(notReady).toEqual([]);
    secondsToReady = seconds;
  });

  it("passes helm test", async () => {
    expect(secondsToReady, "installed and Ready").toBeDefined();
    const test = await helm(["test", release, "-n", namespace, "--timeout", "300s", "--logs"]);
    const passed = test.exitCode === 0 && /-> 200/.test(test.all ?? "");
    recordPreset({ preset: name, suite, result: passed ? "passed" : "failed", secondsToReady, detail: passed ? undefined : test.all });
    expect(test.exitCode, test.all).toBe(0);
    expect(test.all).toMatch(/GET http:\/\/\S+\/health -> 200/);
  });

  it("streams an image tar into the pod's Docker daemon (the stand-in daemon keeps the bytes it got)", async (context) => {
    const { stdout } = await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.initContainers[*].name} {.spec.containers[*].name}{\"\\n\"}{end}"]);
    const pod = stdout.split("\n").find((line) => line.split(" ").includes("dind"))?.split(" ")[0];
    if (!pod) return context.skip("this preset runs no dind container");
    const tar = (await systemImageTars())[0];
    await loadIntoPodDocker(tar, { namespace, name: pod, container: "dind" });
    const { stdout: sum } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "sha256sum", "/tmp/standin-loaded.tar"]);
    expect(sum.split(" ")[0]).toBe(createHash("sha256").update(readFileSync(tar)).digest("hex"));
  });
});
