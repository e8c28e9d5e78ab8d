// Canvas' Docker runtime (canvas.runtime: docker): the DinD sidecar beside Canvas, the paths
// it must share with Canvas, the variables Canvas' agent server reads, and the refusals.
import { describe, expect, it } from "vitest";
import { render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { clusterApiVersions, helms } from "../ts/lib/presets.ts";
import { container, envOf, serverDeployment } from "../ts/lib/workload.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";

const docker = { app: "canvas", canvas: { runtime: "docker", sessionKey: { existingSecret: "canvas-keys" } } };
const preset = "ci/canvas-docker-values.yaml";

async function objectsOf(values: Record<string, unknown>, valuesFiles: string[] = []): Promise<K8sObject[]> {
  return (await render({ values, valuesFiles, apiVersions: clusterApiVersions })).objects;
}
const podOf = (objects: K8sObject[]) => serverDeployment(objects).spec.template.spec;
/** The daemon: a native sidecar (init container) on clusters that have them, else a container. */
const daemonOf = (objects: K8sObject[]) => {
  const pod = podOf(objects);
  return [...(pod.initContainers ?? []), ...pod.containers].find((c) => c.name === "dind")!;
};
const withDocker = (dockerValues: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...docker,
  ...extra,
  canvas: { ...docker.canvas, docker: dockerValues },
});

describe("canvas.runtime docker", () => {
  it("runs the chart's Docker daemon beside Canvas, letting Canvas' gid 10001 open its socket (dockerd --group)", async () => {
    for (const helm of helms) {
      const objects = (await render({ values: docker, helm, apiVersions: clusterApiVersions })).objects;
      const daemon = daemonOf(objects);
      expect(daemon.args).toEqual(["dockerd", "--host=unix:///run/dind/docker.sock", "--group=10001"]);
      expect(daemon.securityContext).toMatchObject({ privileged: true });
      const canvas = container(podOf(objects), "canvas");
      expect(canvas.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 });
      expect(envOf(canvas).DOCKER_HOST).toBe("unix:///run/dind/docker.sock");
      expect(canvas.volumeMounts).toContainEqual({ name: "docker-socket", mountPath: "/run/dind" });
    }
  });

  it("keeps conversation containers away from the pod's own ports: the daemon's start hook gets ISOLATE_BRIDGE=docker0, with or without native sidecars and pre-pull", async () => {
    for (const startup of ["native", "postStart"]) {
      const daemon = daemonOf(await objectsOf({ ...withDocker({ prePull: false }), dind: { startup } }));
      expect(daemon.env).toContainEqual({ name: "ISOLATE_BRIDGE", value: "docker0" });
      expect(daemon.lifecycle?.postStart?.exec?.command?.slice(0, 2)).toEqual(["sh", "/opt/openhands-chart/dind-post-start.sh"]);
    }
  });

  it("the GUI server's DinD sandboxes keep reaching the app (no ISOLATE_BRIDGE): upstream's webhooks and MCP calls need it", async () => {
    const daemon = daemonOf(await objectsOf({}));
    expect((daemon.env ?? []).map((e) => e.name)).not.toContain("ISOLATE_BRIDGE");
  });

  it("canvas.securityContext.runAsUser moves the socket's group with Canvas' uid", async () => {
    const objects = await objectsOf({ ...docker, canvas: { ...docker.canvas, securityContext: { runAsUser: 12000 } } });
    expect(daemonOf(objects).args).toContain("--group=12000");
  });

  it("mounts Canvas' state and projects in the daemon at Canvas' own paths, so the bind mounts of conversation containers resolve to the claims", async () => {
    const objects = await objectsOf(docker);
    const canvasMounts = container(podOf(objects), "canvas").volumeMounts!.filter((m) => ["canvas-state", "canvas-projects"].includes(m.name));
    expect(canvasMounts).toHaveLength(3);
    for (const mount of canvasMounts) expect(daemonOf(objects).volumeMounts).toContainEqual(mount);
  });

  it("tells Canvas' agent server to run conversations in Docker from canvas.docker.conversationImage, with canvas.docker.limits", async () => {
    const env = envOf(container(podOf(await objectsOf(withDocker({ limits: { memory: "2g", cpus: 1.5, pidsLimit: 256 }, startupTimeoutSeconds: 300 }))), "canvas"));
    expect(env).toMatchObject({
      OH_CONVERSATION_RUNTIME: "docker",
      OH_CONVERSATION_IMAGE: "ghcr.io/openhands/agent-server:1.49.1-python",
      OH_CONVERSATION_CONTAINER_MEMORY: "2g",
      OH_CONVERSATION_CONTAINER_CPUS: "1.5",
      OH_CONVERSATION_CONTAINER_PIDS_LIMIT: "256",
      OH_CONVERSATION_CONTAINER_STARTUP_TIMEOUT: "300",
    });
  });

  it("canvas.docker.limits.cpus renders as Docker reads it: whole numbers without a decimal point, fractions as they are", async () => {
    for (const [cpus, rendered] of [[4, "4"], [0.5, "0.5"], [256, "256"]] as const) {
      expect(envOf(container(podOf(await objectsOf(withDocker({ limits: { cpus } }))), "canvas")).OH_CONVERSATION_CONTAINER_CPUS).toBe(rendered);
    }
  });

  it("canvas.docker.conversationImage.digest pins the conversation image, and the daemon pre-pulls exactly that", async () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const objects = await objectsOf(withDocker({ conversationImage: { registry: "registry.lan", repository: "oh/agent-server", digest } }));
    const ref = `registry.lan/oh/agent-server@${digest}`;
    expect(envOf(container(podOf(objects), "canvas")).OH_CONVERSATION_IMAGE).toBe(ref);
    expect(daemonOf(objects).lifecycle?.postStart?.exec?.command).toEqual(["sh", "/opt/openhands-chart/dind-post-start.sh", "0", ref]);
  });

  it("puts the chart's canvas_ui_tool (the 1.49.2 workspace fix over Canvas' own module) ahead of Canvas' tools on the agent server's path", async () => {
    const objects = await objectsOf(docker);
    const pod = podOf(objects);
    const canvas = container(pod, "canvas");
    // The agent server inserts each entry at the front: the last one is searched first.
    expect(envOf(canvas).OH_EXTRA_PYTHON_PATH).toBe("/opt/agent-canvas/tools:/opt/openhands-chart/canvas-python");
    expect(canvas.volumeMounts).toContainEqual({ name: "canvas-docker-patch", mountPath: "/opt/openhands-chart/canvas-python", readOnly: true });
    const volume = pod.volumes!.find((v) => v.name === "canvas-docker-patch") as unknown as { configMap: { name: string; items: unknown[] } };
    expect(volume.configMap.items).toEqual([{ key: "canvas-docker-workspace.py", path: "canvas_ui_tool.py" }]);
    const scripts = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === volume.configMap.name) as K8sObject & { data: Record<string, string> };
    expect(scripts.data["canvas-docker-workspace.py"]).toContain("def _create_missing_workspaces");
  });

  it("canvas.runtime local and the GUI server carry no Canvas patch in their scripts", async () => {
    for (const values of [{ ...docker, canvas: { ...docker.canvas, runtime: "local" } }, {}]) {
      const objects = await objectsOf(values);
      expect(JSON.stringify(objects)).not.toContain("canvas-docker-workspace.py");
      expect(envOf(container(podOf(objects), podOf(objects).containers.some((c) => c.name === "canvas") ? "canvas" : "openhands")).OH_EXTRA_PYTHON_PATH).toBeUndefined();
    }
  });

  it("canvas.docker.prePull false pulls nothing when the daemon starts", async () => {
    const command = daemonOf(await objectsOf(withDocker({ prePull: false }))).lifecycle?.postStart?.exec?.command;
    expect(command ?? []).not.toContain("ghcr.io/openhands/agent-server:1.49.1-python");
  });

  it("sandbox.prePull and sandbox.image (the GUI server's) are not what the Canvas daemon pulls", async () => {
    const command = daemonOf(await objectsOf({ ...docker, sandbox: { prePull: true } })).lifecycle?.postStart?.exec?.command;
    expect(command?.at(-1)).toBe("ghcr.io/openhands/agent-server:1.49.1-python");
  });

  it("leaves runAsNonRoot off the pod (the daemon runs as root) and keeps it on Canvas; the pod is privileged", async () => {
    const pod = podOf(await objectsOf(docker));
    const security = pod.securityContext as { runAsNonRoot?: boolean; fsGroup?: number };
    expect(security.runAsNonRoot).toBeUndefined();
    expect(security.fsGroup).toBe(10001);
    expect(podSecurityLevel(pod)).toBe("privileged");
  });

  it("dind.sysbox.enabled runs the Canvas daemon without privileges (Pod Security baseline)", async () => {
    const pod = podOf(await objectsOf({ ...docker, dind: { sysbox: { enabled: true } } }));
    expect(pod.runtimeClassName).toBe("sysbox-runc");
    expect(podSecurityLevel(pod)).toBe("baseline");
  });

  it("dockerCleanup.enabled runs the cleanup beside the Canvas daemon", async () => {
    const pod = podOf(await objectsOf({ ...docker, dockerCleanup: { enabled: true } }));
    expect(container(pod, "docker-cleanup").env).toContainEqual({ name: "DOCKER_HOST", value: "unix:///run/dind/docker.sock" });
  });

  it("canvas.runtime local renders no daemon, no socket and no conversation image", async () => {
    const objects = await objectsOf({ ...docker, canvas: { ...docker.canvas, runtime: "local" } });
    const pod = podOf(objects);
    expect([...(pod.initContainers ?? []), ...pod.containers].map((c) => c.name)).toEqual(["canvas"]);
    const env = envOf(container(pod, "canvas"));
    expect(env.DOCKER_HOST).toBeUndefined();
    expect(env.OH_CONVERSATION_RUNTIME).toBeUndefined();
    expect(env.OH_CONVERSATION_IMAGE).toBeUndefined();
  });

  it(`${preset} renders the daemon with a kept claim for its images, the cleanup and the sign-in proxy`, async () => {
    const objects = await objectsOf({}, [preset]);
    const pod = podOf(objects);
    expect(pod.volumes).toContainEqual({ name: "docker-data", persistentVolumeClaim: { claimName: "openhands-docker" } });
    expect(pod.containers.map((c) => c.name)).toEqual(expect.arrayContaining(["canvas", "oauth2-proxy", "docker-cleanup"]));
  });
});

describe("canvas.runtime docker refusals", () => {
  it("dockerCleanup.enabled with canvas.runtime local is refused, naming both keys", async () => {
    expect(await renderError({ values: { ...docker, canvas: { ...docker.canvas, runtime: "local" }, dockerCleanup: { enabled: true } } })).toContain(
      "dockerCleanup.enabled: the cleanup job works on the Docker daemon of sandbox mode dind or hostDocker (or canvas.runtime docker), and canvas.runtime is local",
    );
  });

  it("canvas.docker.conversationImage without tag or digest is refused, naming the tag", async () => {
    expect(await renderError({ values: withDocker({ conversationImage: { tag: "" } }) })).toContain("canvas.docker.conversationImage.tag: empty");
  });

  it("llm.bedrock with canvas.runtime docker is refused: conversation containers get none of the pod's credentials", async () => {
    expect(await renderError({ values: { ...docker, llm: { bedrock: { enabled: true, region: "us-east-1" } } } })).toContain("llm.bedrock.enabled: with canvas.runtime docker");
  });

  it.each(["--bridge=br0", "-b", "--iptables=false"])("dind.extraArgs %s (another bridge or no firewall, so no isolation from the pod) is refused with canvas.runtime docker", async (arg) => {
    expect(await renderError({ values: { ...docker, dind: { extraArgs: [arg] } } })).toContain(`dind.extraArgs: "${arg}" changes the daemon's default bridge or its firewall`);
  });

  it("dind.extraArgs that leave the bridge alone still render with canvas.runtime docker", async () => {
    expect(daemonOf(await objectsOf({ ...docker, dind: { extraArgs: ["--mtu=1400", "--bip=10.9.0.1/24", "--iptables=true"] } })).args).toContain("--bip=10.9.0.1/24");
  });

  it("the daemon's own refusals apply: dind.sysbox with a privileged dind.securityContext", async () => {
    expect(await renderError({ values: { ...docker, dind: { sysbox: { enabled: true }, securityContext: { privileged: true } } } })).toContain("dind.securityContext.privileged:");
  });
});
