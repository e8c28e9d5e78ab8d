// The render harness itself: checks that would let a broken chart through if they were lax.
import { describe, expect, it } from "vitest";
import { getObject, parseManifest, render, templateArgs } from "../ts/lib/render.ts";
import { validateAgainstOpenAPI } from "../ts/lib/openapi.ts";
import path from "node:path";
import { toolsDir } from "../ts/lib/helm-binaries.ts";
import { execa } from "execa";

describe("render harness", () => {
  it("refuses a manifest with a duplicate key", () => {
    expect(() => parseManifest("kind: A\nmetadata:\n  name: a\n  name: b\n")).toThrow(/unique|duplicate/i);
  });

  it("the OpenAPI check rejects a Deployment with a wrongly typed field", async () => {
    const broken = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x" },
      spec: { replicas: "one", selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [{ name: "c" }] } } },
    };
    await expect(validateAgainstOpenAPI(broken)).rejects.toThrow(/Deployment\/x is invalid/);
  });

  it("getObject fails when the object is missing", async () => {
    const { objects } = await render();
    expect(() => getObject(objects, "Ingress")).toThrow(/expected one Ingress, found 0/);
  });

  it("passes release name, namespace, capabilities and --set through to helm", () => {
    const args = templateArgs({
      releaseName: "oh",
      namespace: "ai",
      kubeVersion: "1.30.0",
      apiVersions: ["gateway.networking.k8s.io/v1"],
      set: { "service.port": "80" },
    });
    expect(args).toEqual(
      expect.arrayContaining(["oh", "--namespace", "ai", "--kube-version", "1.30.0", "--api-versions", "gateway.networking.k8s.io/v1", "--set", "service.port=80"]),
    );
  });

  it.each([
    ["helm3", "v3.18.0"],
    ["helm4", "v4.1.4"],
  ] as const)("npm ci extracted %s as the pinned %s", async (helm, version) => {
    const { stdout } = await execa(path.join(toolsDir, helm), ["version", "--template", "{{ .Version }}"]);
    expect(stdout).toBe(version);
  });

  it("npm ci extracted kubectl v1.35.2 for the cluster suite", async () => {
    const { stdout } = await execa(path.join(toolsDir, "kubectl"), ["version", "--client", "-o", "json"]);
    expect(JSON.parse(stdout).clientVersion.gitVersion).toBe("v1.35.2");
  });
});
