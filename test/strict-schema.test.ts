// Every object of every preset against the API server's own OpenAPI schemas (dumped from
// the local control plane into test/fixtures/openapi), rejecting unknown fields as
// `kubectl --validate=strict` does; no Go or server needed.
import { beforeAll, describe, expect, it } from "vitest";
import { render, type K8sObject } from "../ts/lib/render.ts";
import { strictErrors } from "../ts/lib/strict-schema.ts";
import { clusterApiVersions, presets } from "../ts/lib/presets.ts";
import { serverDeployment } from "../ts/lib/workload.ts";

describe("strict OpenAPI validation", () => {
  describe.each(presets)("preset $name", (preset) => {
    let objects: K8sObject[];
    beforeAll(async () => {
      objects = (await render({ valuesFiles: preset.valuesFiles, apiVersions: clusterApiVersions, kubeVersion: "1.35.0" })).objects;
    });

    it("has no unknown or mistyped field in any object", () => {
      expect(objects.flatMap(strictErrors)).toEqual([]);
    });
  });

  it("rejects a misspelled field deep in a pod template", async () => {
    const objects = (await render({ kubeVersion: "1.35.0" })).objects;
    const deployment = structuredClone(serverDeployment(objects)) as any;
    deployment.spec.template.spec.containers[0].imagePullPolicyy = "Always";
    expect(strictErrors(deployment).join("\n")).toMatch(/containers\/0 must NOT have additional properties \(imagePullPolicyy\)/);
  });

  it("rejects a wrong type", async () => {
    const objects = (await render({ kubeVersion: "1.35.0" })).objects;
    const deployment = structuredClone(serverDeployment(objects)) as any;
    deployment.spec.replicas = "one";
    expect(strictErrors(deployment).join("\n")).toMatch(/\/spec\/replicas must be integer/);
  });
});
