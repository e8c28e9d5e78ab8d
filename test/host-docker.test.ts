// Sandbox mode hostDocker: the node's Docker daemon through its socket.
import { describe, expect, it } from "vitest";
import { render, renderError } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment, volume } from "../ts/lib/workload.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";

const v0 = {
  openhands: { image: { tag: "0.62" } },
  sandbox: { mode: "hostDocker", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } },
  nodeSelector: { "kubernetes.io/hostname": "node-a" },
};
const withHost = (hostDocker: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...v0, ...extra, sandbox: { ...v0.sandbox, hostDocker } });

// The node's published sandbox ports need a lock outside the chart: declared unless a test sets auth.
const nodeFirewall = { mode: "external", external: { description: "the node's firewall" } };

async function pod(values: Record<string, unknown>) {
  return serverDeployment((await render({ values: { auth: nodeFirewall, ...values } })).objects).spec.template.spec as any;
}

describe("sandbox mode hostDocker", () => {
  it("mounts the node's socket (hostPath of type Socket) at /var/run/docker.sock, from sandbox.hostDocker.socketPath", async () => {
    const spec = await pod(withHost({ socketPath: "/run/docker.sock" }));
    expect(volume(spec, "docker-socket")).toEqual({ name: "docker-socket", hostPath: { path: "/run/docker.sock", type: "Socket" } });
    const app = container(spec, "openhands");
    expect(mountsOf(app)["docker-socket"]).toBe("/var/run/docker.sock");
    expect(envOf(app).DOCKER_HOST).toBe("unix:///var/run/docker.sock");
    expect(spec.containers.map((c: any) => c.name)).toEqual(["openhands"]);
    expect(podSecurityLevel(spec)).toBe("privileged");
  });

  it("without host networking, 0.x reaches its runtime at the node's IP from the downward API", async () => {
    const spec = await pod(v0);
    const app = container(spec, "openhands");
    expect(app.env![0]).toEqual({ name: "HOST_IP", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } });
    expect(envOf(app).SANDBOX_LOCAL_RUNTIME_URL).toBe("http://$(HOST_IP)");
    expect(spec.hostNetwork).toBeUndefined();
  });

  it("with sandbox.hostDocker.hostNetwork, the pod joins the node's network with ClusterFirstWithHostNet and 0.x uses loopback", async () => {
    const spec = await pod(withHost({ hostNetwork: true }, { auth: { acknowledgeUnauthenticated: true } }));
    expect(spec).toMatchObject({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" });
    const env = envOf(container(spec, "openhands"));
    expect(env.SANDBOX_LOCAL_RUNTIME_URL).toBe("http://127.0.0.1");
    expect(env).not.toHaveProperty("HOST_IP");
  });

  it("host networking counts as an exposure: refused without auth.mode external or an acknowledgement", async () => {
    const message = await renderError({ values: withHost({ hostNetwork: true }) });
    expect(message).toContain("sandbox.hostDocker.hostNetwork: host networking (the app's port on every node address) would expose OpenHands without authentication");
    const covered = await renderError({ values: withHost({ hostNetwork: true }, { auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "s", oidcIssuerUrl: "https://x", emailDomains: ["*"] } } }) });
    expect(covered).toContain("auth.mode oauth2Proxy does not protect host networking");
  });

  it("the node's published sandbox ports count as an exposure, with or without host networking: only auth.mode external or an acknowledgement passes", async () => {
    for (const hostDocker of [{}, { hostNetwork: true }]) {
      const signIn = { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "s", oidcIssuerUrl: "https://x", emailDomains: ["example.com"] } };
      const refused = await renderError({ values: withHost(hostDocker, { auth: hostDocker.hostNetwork ? { ...signIn, acknowledgeUnauthenticated: false } : signIn }) });
      expect(refused).toContain(hostDocker.hostNetwork ? "sandbox.hostDocker.hostNetwork: auth.mode oauth2Proxy does not protect" : "sandbox.mode: auth.mode oauth2Proxy does not protect sandbox ports published by the node's Docker daemon");
      const open = await renderError({ values: withHost({}) });
      expect(open).toContain("sandbox.mode: sandbox ports published by the node's Docker daemon on every node address (0.x sandboxes check no key) would expose OpenHands without authentication");
      expect(open).toContain("Only a layer outside the chart can cover it: declare it with auth.mode external");
      await expect(pod(withHost(hostDocker))).resolves.toBeTruthy();
    }
  });

  it("gives sandboxes the node directory sandbox.hostDocker.workspaceHostPath, mounted in the app at the same path", async () => {
    const spec = await pod(withHost({ workspaceHostPath: "/srv/ws" }));
    expect(volume(spec, "workspace")).toEqual({ name: "workspace", hostPath: { path: "/srv/ws", type: "DirectoryOrCreate" } });
    const app = container(spec, "openhands");
    expect(mountsOf(app).workspace).toBe("/srv/ws");
    expect(envOf(app).SANDBOX_VOLUMES).toBe("/srv/ws:/workspace:rw");
  });

  it("creates no workspace claim: the node's daemon cannot see one", async () => {
    const { objects } = await render({ values: { ...v0, auth: nodeFirewall } });
    expect(objects.filter((o) => o.kind === "PersistentVolumeClaim").map((o) => o.metadata.name)).toEqual(["openhands-state"]);
  });

  it("accepts a required node affinity as pinning", async () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["golyat-1"] }] }] } } };
    const spec = await pod({ ...v0, nodeSelector: {}, affinity });
    expect(spec.affinity).toEqual(affinity);
  });

  const v1 = { sandbox: { mode: "hostDocker", hostDocker: { nodeAddress: "192.168.1.5" } }, nodeSelector: { "kubernetes.io/hostname": "node-a" } };

  it("with 1.x, publishes the app's port on the node's Docker bridge only (sandbox.hostDocker.bridgeAddress), where sandboxes' host.docker.internal points", async () => {
    const spec = await pod(v1);
    expect(container(spec, "openhands").ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP", hostPort: 3000, hostIP: "172.17.0.1" }]);
    const custom = await pod({ ...v1, sandbox: { ...v1.sandbox, hostDocker: { ...v1.sandbox.hostDocker, bridgeAddress: "10.200.0.1" } } });
    expect((container(custom, "openhands").ports![0] as { hostIP?: string }).hostIP).toBe("10.200.0.1");
  });

  it("publishes no hostPort with host networking (the app is on the node already) or with 0.x (whose runtimes call no webhook)", async () => {
    const hostNet = await pod({ ...v1, sandbox: { ...v1.sandbox, hostDocker: { ...v1.sandbox.hostDocker, hostNetwork: true } } });
    expect(container(hostNet, "openhands").ports![0]).not.toHaveProperty("hostPort");
    expect(container(await pod(v0), "openhands").ports![0]).not.toHaveProperty("hostPort");
  });

  it("refuses a bridge address that would publish the app beyond the node: 0.0.0.0 or the node's own address", async () => {
    for (const bridgeAddress of ["0.0.0.0", "192.168.1.5"]) {
      const message = await renderError({ values: { ...v1, auth: nodeFirewall, sandbox: { ...v1.sandbox, hostDocker: { ...v1.sandbox.hostDocker, bridgeAddress } } } });
      expect(message).toContain(`sandbox.hostDocker.bridgeAddress: ${bridgeAddress} is every address or the node's own (sandbox.hostDocker.nodeAddress)`);
    }
  });

  it("gives 1.x the app's own CORS allowlist (without one upstream admits every origin)", async () => {
    const env = envOf(container(await pod(v1), "openhands"));
    expect(env.PERMITTED_CORS_ORIGINS).toBe("http://localhost:3000");
    // HOST_IP is only for 0.x's runtime URL.
    expect(env).not.toHaveProperty("HOST_IP");
  });

  it("with 1.x, hands out the node's published ports at sandbox.hostDocker.nodeAddress, and needs that address", async () => {
    const values = { sandbox: { mode: "hostDocker", hostDocker: { nodeAddress: "192.168.1.5" } }, nodeSelector: { "kubernetes.io/hostname": "node-a" } };
    const spec = await pod(values);
    expect(envOf(container(spec, "openhands")).SANDBOX_CONTAINER_URL_PATTERN).toBe("http://192.168.1.5:{port}");
    expect(spec.containers.map((c: any) => c.name)).toEqual(["openhands"]);
    const message = await renderError({ values: { ...values, auth: nodeFirewall, sandbox: { mode: "hostDocker" } } });
    expect(message).toContain("sandbox.hostDocker.nodeAddress: with 1.x the browser and the app connect to sandbox ports");
  });
});
