// A chart upgrade that changes nothing in the pod keeps the pod: on a real API server with
// the Deployment controller, upgrading between two chart versions with the same values
// leaves the ReplicaSet (and its pod-template-hash) as it was, while a changed pod value
// rolls a new one.
import { rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { helmBinary, type HelmName } from "../../ts/lib/helm-binaries.ts";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { chartWithVersion } from "../../ts/lib/chart-copy.ts";
import { helms } from "../../ts/lib/presets.ts";
import { eventually } from "../../ts/lib/eventually.ts";

const kubeconfig = inject("kubeconfig");

const k = (args: string[]) => execa(kubectl(), ["--kubeconfig", kubeconfig, ...args]);
const helm = (which: HelmName, args: string[]) => execa(helmBinary(which), [...args, "--kubeconfig", kubeconfig]);

interface ReplicaSetView {
  name: string;
  hash: string;
}

async function serverReplicaSets(namespace: string): Promise<ReplicaSetView[]> {
  const { stdout } = await k(["get", "rs", "-n", namespace, "-l", "app.kubernetes.io/component=server", "-o", "json"]);
  return JSON.parse(stdout)
    .items.map((rs: any) => ({ name: rs.metadata.name, hash: rs.metadata.labels["pod-template-hash"] }))
    .sort((a: ReplicaSetView, b: ReplicaSetView) => a.name.localeCompare(b.name));
}

async function deploymentState(namespace: string) {
  const { stdout } = await k(["get", "deployment", "openhands", "-n", namespace, "-o", "json"]);
  const d = JSON.parse(stdout);
  return { generation: d.metadata.generation, observed: d.status?.observedGeneration, chart: d.metadata.labels["helm.sh/chart"] };
}

describe("pod stability across chart versions", () => {
  let current: string;
  let next: string;
  beforeAll(() => {
    current = chartWithVersion("0.1.0");
    next = chartWithVersion("0.2.0");
  });
  afterAll(() => {
    for (const dir of [current, next]) rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it.each(helms)("with %s, upgrading 0.1.0 -> 0.2.0 with the same values keeps the ReplicaSet and its pod-template-hash", async (which) => {
    const namespace = `pod-stability-${which}`;
    await k(["create", "namespace", namespace]);
    const values = ["--set", "llm.model=openai/gpt-4o", "--set", "llm.apiKey.insecurePlaintextValue=sk-test", "--set", "commonLabels.team=ai"];

    await helm(which, ["install", "openhands", current, "-n", namespace, ...values]);
    const before = await eventually(() => serverReplicaSets(namespace), (sets) => sets.length === 1, 60);
    expect(before).toHaveLength(1);
    const deploymentBefore = await eventually(() => deploymentState(namespace), (d) => d.observed === d.generation, 60);
    expect(deploymentBefore.chart).toBe("openhands-0.1.0");

    await helm(which, ["upgrade", "openhands", next, "-n", namespace, ...values]);
    const deploymentAfter = await eventually(() => deploymentState(namespace), (d) => d.chart === "openhands-0.2.0" && d.observed === d.generation, 60);
    expect(deploymentAfter.chart).toBe("openhands-0.2.0");
    // The pod template did not change, so neither did the Deployment's spec generation.
    expect(deploymentAfter.generation).toBe(deploymentBefore.generation);
    // Give the controller the time it takes to roll, then the same single ReplicaSet remains.
    await new Promise((r) => setTimeout(r, 5000));
    expect(await serverReplicaSets(namespace)).toEqual(before);

    // Control: a changed plaintext LLM key (a Secret the pod reads at start) rolls a new ReplicaSet.
    await helm(which, ["upgrade", "openhands", next, "-n", namespace, ...values, "--set", "llm.apiKey.insecurePlaintextValue=sk-rotated"]);
    const after = await eventually(() => serverReplicaSets(namespace), (sets) => sets.length === 2, 60);
    expect(after).toHaveLength(2);
    expect(after.map((rs) => rs.hash)).toContain(before[0].hash);

    await helm(which, ["uninstall", "openhands", "-n", namespace]);
    await k(["delete", "namespace", namespace, "--wait=false"]);
  });
});
