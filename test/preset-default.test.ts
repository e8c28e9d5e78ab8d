// values.yaml alone: `helm install openhands ./` gives the newest 1.x with persisted state.
import { beforeAll, describe, expect, it } from "vitest";
import { objectsOfKind, render, type K8sObject } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment } from "../ts/lib/workload.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../ts/lib/helm-binaries.ts";

describe("default install", () => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = (await render({ kubeVersion: "1.33.0" })).objects;
  });

  it("the chart's appVersion is OpenHands 1.11.0, the last GUI server release", () => {
    const chart = parse(readFileSync(path.join(repoRoot, "Chart.yaml"), "utf8"));
    expect(chart.appVersion).toBe("1.11.0");
  });

  it("runs OpenHands 1.11.0 with the agent-server 1.34.0 sandbox image it bundles", () => {
    const app = container(serverDeployment(objects).spec.template.spec, "openhands");
    expect(app.image).toBe("docker.openhands.dev/openhands/openhands:1.11.0");
    expect(envOf(app)).toMatchObject({ AGENT_SERVER_IMAGE_REPOSITORY: "ghcr.io/openhands/agent-server", AGENT_SERVER_IMAGE_TAG: "1.34.0-python" });
  });

  it("persists state on a claim mounted where OH_PERSISTENCE_DIR points", () => {
    const app = container(serverDeployment(objects).spec.template.spec, "openhands");
    expect(mountsOf(app).state).toBe(envOf(app).OH_PERSISTENCE_DIR);
    expect(objectsOfKind(objects, "PersistentVolumeClaim").map((c) => c.metadata.name)).toContain("openhands-state");
  });

  it("renders exactly a ServiceAccount, the gateway's and the scripts' ConfigMaps, two claims, a Service, a Deployment and the helm test pod: nothing exposed outside the cluster", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "ConfigMap/openhands-gateway",
      "ConfigMap/openhands-scripts",
      "Deployment/openhands",
      "PersistentVolumeClaim/openhands-state",
      "PersistentVolumeClaim/openhands-workspace",
      "Pod/openhands-test",
      "Service/openhands",
      "ServiceAccount/openhands",
    ]);
    expect((objects.find((o) => o.kind === "Service") as any).spec.type).toBe("ClusterIP");
  });

  it("runs sandboxes in a DinD sidecar", () => {
    const spec = serverDeployment(objects).spec.template.spec;
    expect(container(spec, "dind").image).toBe("docker.io/library/docker:29.7.2-dind");
  });
});
