// Every pod meets the Pod Security level the chart documents for its sandbox mode, and no tighter
// level is left on the table.
import { beforeAll, describe, expect, it } from "vitest";
import { objectsOfKind, render, type K8sObject } from "../ts/lib/render.ts";
import { baselineViolations, podSecurityLevel, restrictedContainerViolations, restrictedViolations } from "../ts/lib/pod-security.ts";
import type { PodSpec } from "../ts/lib/workload.ts";
import { clusterApiVersions, presetLevel, presets } from "../ts/lib/presets.ts";

function podSpecs(objects: K8sObject[]): { name: string; spec: PodSpec }[] {
  return objects.flatMap((o) => {
    const spec = o.spec as any;
    const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
    return pod ? [{ name: `${o.kind}/${o.metadata.name}`, spec: pod as PodSpec }] : [];
  });
}


describe.each(presets)("preset $name", (preset) => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = (await render({ valuesFiles: preset.valuesFiles, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects;
  });

  it("the server pod is exactly at the level documented for its sandbox mode", () => {
    const server = podSpecs(objects).find((p) => p.name.startsWith("Deployment/"))!;
    const expected = presetLevel(preset);
    expect({ level: podSecurityLevel(server.spec), why: expected === "restricted" ? restrictedViolations(server.spec) : [] }).toEqual({ level: expected, why: [] });
  });

  it("the tunnel runs at the restricted level", () => {
    for (const { name, spec } of podSpecs(objects)) {
      if (name.endsWith("-tunnel")) expect({ name, why: restrictedViolations(spec) }).toEqual({ name, why: [] });
    }
  });

  it("the chart's own helper containers meet the restricted container rules", () => {
    for (const { spec } of podSpecs(objects)) {
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        if (["oauth2-proxy", "gateway"].includes(c.name)) expect(restrictedContainerViolations(c, spec.securityContext as any)).toEqual([]);
      }
    }
  });

  it("a release Namespace the chart renders enforces that same level", () => {
    for (const ns of objectsOfKind(objects, "Namespace").filter((n) => n.metadata.name === "openhands")) {
      const level = presetLevel(preset);
      expect(ns.metadata.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/audit": level,
        "pod-security.kubernetes.io/warn": level,
      });
      expect(ns.metadata.annotations!["helm.sh/resource-policy"]).toBe("keep");
    }
  });
});

describe("the Pod Security checker", () => {
  const restricted: PodSpec = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "a", image: "x", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
    volumes: [{ name: "v", emptyDir: {} }],
  };

  it("passes a pod that follows every restricted rule", () => {
    expect(restrictedViolations(restricted)).toEqual([]);
    expect(podSecurityLevel(restricted)).toBe("restricted");
  });

  it("drops to baseline for a root container or a missing capability drop", () => {
    const root = structuredClone(restricted);
    root.containers[0].securityContext = { allowPrivilegeEscalation: false, runAsUser: 0, capabilities: { drop: ["ALL"] } };
    expect(podSecurityLevel(root)).toBe("baseline");
    const caps = structuredClone(restricted);
    caps.containers[0].securityContext = { allowPrivilegeEscalation: false };
    expect(restrictedViolations(caps)).toEqual(["a does not drop ALL capabilities"]);
  });

  it("drops to privileged for privileged containers, hostPath volumes, host networking or extra capabilities", () => {
    const variants: [string, (p: PodSpec) => void][] = [
      ["privileged", (p) => (p.containers[0].securityContext = { privileged: true })],
      ["hostPath", (p) => p.volumes!.push({ name: "sock", hostPath: { path: "/var/run/docker.sock" } })],
      ["hostNetwork", (p) => (p.hostNetwork = true)],
      ["SYS_ADMIN", (p) => (p.containers[0].securityContext = { capabilities: { add: ["SYS_ADMIN"] } })],
    ];
    for (const [what, change] of variants) {
      const pod = structuredClone(restricted);
      change(pod);
      expect(baselineViolations(pod).length, what).toBeGreaterThan(0);
      expect(podSecurityLevel(pod), what).toBe("privileged");
    }
  });
});
