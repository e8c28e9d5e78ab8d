// State and workspace volumes: created, reused or left out, and never deleted by Helm.
import { describe, expect, it } from "vitest";
import { objectsOfKind, render } from "../ts/lib/render.ts";
import { serverDeployment, volume } from "../ts/lib/workload.ts";

async function claims(values: Record<string, unknown>) {
  const { objects } = await render({ values });
  return { claims: objectsOfKind(objects, "PersistentVolumeClaim") as any[], pod: serverDeployment(objects).spec.template.spec };
}

describe("persistence", () => {
  it("by default creates a 5Gi state claim, a 20Gi workspace claim and a 50Gi Docker data claim, all ReadWriteOnce on the default class", async () => {
    const { claims: pvcs, pod } = await claims({});
    expect(pvcs.map((c) => [c.metadata.name, c.spec.resources.requests.storage, c.spec.accessModes])).toEqual([
      ["openhands-state", "5Gi", ["ReadWriteOnce"]],
      ["openhands-workspace", "20Gi", ["ReadWriteOnce"]],
      ["openhands-docker", "50Gi", ["ReadWriteOnce"]],
    ]);
    for (const c of pvcs) expect(c.spec).not.toHaveProperty("storageClassName");
    expect(volume(pod, "state").persistentVolumeClaim.claimName).toBe("openhands-state");
    expect(volume(pod, "workspace").persistentVolumeClaim.claimName).toBe("openhands-workspace");
  });

  it("every claim carries helm.sh/resource-policy: keep, so helm uninstall leaves the data", async () => {
    const { claims: pvcs } = await claims({ dind: { persistence: { enabled: true } } });
    expect(pvcs).toHaveLength(3);
    for (const c of pvcs) expect(c.metadata.annotations["helm.sh/resource-policy"]).toBe("keep");
  });

  it("existingClaim mounts that claim and creates none", async () => {
    const { claims: pvcs, pod } = await claims({
      persistence: { state: { existingClaim: "openhands-state-pvc" }, workspace: { existingClaim: "openhands-data" } },
      dind: { persistence: { existingClaim: "openhands-docker-data" } },
    });
    expect(pvcs).toEqual([]);
    expect(volume(pod, "state").persistentVolumeClaim.claimName).toBe("openhands-state-pvc");
    expect(volume(pod, "workspace").persistentVolumeClaim.claimName).toBe("openhands-data");
    expect(volume(pod, "docker-data").persistentVolumeClaim.claimName).toBe("openhands-docker-data");
  });

  it("storageClass names the class, and `-` asks for no class", async () => {
    const { claims: pvcs } = await claims({ persistence: { state: { storageClass: "longhorn" }, workspace: { storageClass: "-" } } });
    expect(pvcs[0].spec.storageClassName).toBe("longhorn");
    expect(pvcs[1].spec.storageClassName).toBe("");
  });

  it("accessModes, size and annotations reach the claim, beside the keep policy", async () => {
    const { claims: pvcs } = await claims({
      persistence: { state: { accessModes: ["ReadWriteMany"], size: "2Gi", annotations: { "backup.velero.io/backup-volumes": "state" } } },
    });
    expect(pvcs[0].spec.accessModes).toEqual(["ReadWriteMany"]);
    expect(pvcs[0].spec.resources.requests.storage).toBe("2Gi");
    expect(pvcs[0].metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep", "backup.velero.io/backup-volumes": "state" });
  });

  it("persistence.state.enabled false keeps state in an emptyDir and creates no state claim", async () => {
    const { claims: pvcs, pod } = await claims({ persistence: { state: { enabled: false } } });
    expect(pvcs.map((c) => c.metadata.name)).toEqual(["openhands-workspace", "openhands-docker"]);
    expect(volume(pod, "state")).toEqual({ name: "state", emptyDir: {} });
  });

  it("claim names follow the release's full name", async () => {
    const { objects } = await render({ releaseName: "team-a", values: {} });
    expect(objectsOfKind(objects, "PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual([
      "team-a-openhands-state",
      "team-a-openhands-workspace",
      "team-a-openhands-docker",
    ]);
  });

  it("an init container hands the workspace root to the sandbox user 10001:10001 before the app starts", async () => {
    const { pod } = await claims({});
    const init = pod.initContainers![0] as any;
    expect(init.name).toBe("workspace-owner");
    expect(init.command).toEqual(["chown", "10001:10001", "/opt/workspace_base"]);
    expect(init.securityContext).toEqual({
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: ["CHOWN"] },
    });
    expect(init.volumeMounts).toEqual([{ name: "workspace", mountPath: "/opt/workspace_base" }]);
  });

  it("persistence.workspace.owner empty, or no workspace, leaves ownership alone", async () => {
    for (const workspace of [{ owner: "" }, { enabled: false }]) {
      const { pod } = await claims({ persistence: { workspace } });
      expect((pod.initContainers ?? []).map((c) => c.name)).not.toContain("workspace-owner");
    }
  });
});
