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

describe("the shared workspace: each sandbox keeps its own agent state", () => {
  // Every 1.x Docker sandbox also gets the lease off (its own agent server is the only reader).
  const lease = { OH_LEASE_TTL_SECONDS: "0" };
  const agentState = { OH_BASH_EVENTS_DIR: "/home/openhands/.agent-server/bash_events", OH_CONVERSATIONS_PATH: "/home/openhands/.agent-server/conversations", ...lease };
  async function appEnv(values: Record<string, unknown>, valuesFiles: string[] = []) {
    const { objects } = await render({ values, valuesFiles });
    const app = serverDeployment(objects).spec.template.spec.containers.find((c: { name: string }) => c.name === "openhands")!;
    const env = Object.fromEntries((app.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]));
    return { env, agentServerEnv: env.OH_AGENT_SERVER_ENV === undefined ? undefined : (JSON.parse(env.OH_AGENT_SERVER_ENV) as Record<string, string>) };
  }

  it("by default every sandbox mounts the workspace claim at /workspace, and its conversations and command logs stay in the sandbox", async () => {
    const { env, agentServerEnv } = await appEnv({});
    expect(env.SANDBOX_VOLUMES).toBe("/opt/workspace_base:/workspace:rw");
    expect(agentServerEnv).toEqual(agentState);
  });

  it("sandbox.env is merged over the chart's paths: the user's variables and the user's own paths win", async () => {
    const { agentServerEnv } = await appEnv({ sandbox: { env: { GIT_AUTHOR_NAME: "bot", OH_BASH_EVENTS_DIR: "/workspace/bash_events" } } });
    expect(agentServerEnv).toEqual({ ...agentState, GIT_AUTHOR_NAME: "bot", OH_BASH_EVENTS_DIR: "/workspace/bash_events" });
  });

  it("persistence.workspace.sandboxPath /workspace/project shares only the project: upstream's own paths stay", async () => {
    const { env, agentServerEnv } = await appEnv({ persistence: { workspace: { sandboxPath: "/workspace/project" } } });
    expect(env.SANDBOX_VOLUMES).toBe("/opt/workspace_base:/workspace/project:rw");
    expect(agentServerEnv).toEqual(lease);
  });

  it("a sandboxPath above /workspace (/) covers the agent state too", async () => {
    const { agentServerEnv } = await appEnv({ persistence: { workspace: { sandboxPath: "/" } } });
    expect(agentServerEnv).toEqual(agentState);
  });

  it("without a workspace claim nothing is shared: only the lease setting is set", async () => {
    expect((await appEnv({ persistence: { workspace: { enabled: false } } })).agentServerEnv).toEqual(lease);
  });

  it("process sandboxes each run in their own directory: nothing is set", async () => {
    expect((await appEnv({}, ["ci/v1-process-values.yaml"])).agentServerEnv).toBeUndefined();
  });

  it("remoteDocker shares the daemon machine's directory the same way", async () => {
    const { env, agentServerEnv } = await appEnv({}, ["ci/remote-docker-values.yaml"]);
    // Through the callback listener's OH_SANDBOX_* variables (the mount's mode defaults to rw).
    expect(env).toMatchObject({ OH_SANDBOX_MOUNTS_0_HOST_PATH: "/srv/openhands/workspace", OH_SANDBOX_MOUNTS_0_CONTAINER_PATH: "/workspace" });
    expect(agentServerEnv).toEqual(agentState);
  });

  it("hostDocker sandboxes: the node's directory the same way, lease off", async () => {
    const { agentServerEnv } = await appEnv({}, ["ci/v1-host-docker-values.yaml"]);
    expect(agentServerEnv).toEqual(agentState);
  });

  it("sandbox.env OH_LEASE_TTL_SECONDS wins over the chart's 0 (sandboxes that share a conversations directory need the lease)", async () => {
    const { agentServerEnv } = await appEnv({ sandbox: { env: { OH_LEASE_TTL_SECONDS: "45" } } });
    expect(agentServerEnv).toEqual({ ...agentState, OH_LEASE_TTL_SECONDS: "45" });
  });

  it("0.x has no OH_AGENT_SERVER_ENV (and no agent server): nothing is set", async () => {
    expect((await appEnv({}, ["ci/blog-dind-values.yaml"])).agentServerEnv).toBeUndefined();
  });
});
