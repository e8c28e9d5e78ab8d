// What the real 1.11.0 app does with the chart's environment: the rendered app container's
// variables (expanded as the kubelet does) go to upstream's own code in the app's venv
// (ts/runtime/app-probe.py). For 1.x Docker sandboxes: the container the app asks Docker for
// when it starts one (a stand-in Docker client records it): where its webhooks go, what
// host.docker.internal is in it, the workspace mount, the origins it accepts, the start grace,
// and the MCP servers agents are given. For every 1.x mode: which origins the app's own CORS middleware admits. Needs no node.
// The tests run concurrently; app-probe.ts runs as many probes at once as the machine has cores (at most 2).
import { describe, expect, it } from "vitest";
import { render, type K8sObject, type RenderOptions } from "../../ts/lib/render.ts";
import { container, serverDeployment } from "../../ts/lib/workload.ts";
import { corsAdmits, dockerSandboxStart, kubeletEnv, mcpServers, type DockerSandboxStart } from "../../ts/runtime/app-probe.ts";

const pod = { "status.podIP": "10.244.0.7", "status.hostIP": "192.168.1.5" };
const lanFirewall = { mode: "external", external: { description: "the LAN firewall" } };
const hostDocker = (hostDockerValues: Record<string, unknown>) => ({
  sandbox: { mode: "hostDocker", hostDocker: { nodeAddress: "192.168.1.5", workspaceHostPath: "/srv/openhands/ws", ...hostDockerValues } },
  nodeSelector: { "kubernetes.io/hostname": "node-a" },
  auth: lanFirewall,
});

async function appEnv(options: RenderOptions): Promise<{ objects: K8sObject[]; env: Record<string, string> }> {
  const { objects } = await render(options);
  return { objects, env: kubeletEnv(serverDeployment(objects), "openhands", pod) };
}

async function start(options: RenderOptions): Promise<DockerSandboxStart & { objects: K8sObject[] }> {
  const { objects, env } = await appEnv(options);
  return { ...(await dockerSandboxStart(env)), objects };
}

describe.concurrent("1.x Docker sandboxes started by the real app from the chart's environment", () => {
  it("default values: the sidecar daemon's sandboxes call the app behind the gateway at host.docker.internal:3001, the daemon's own host", async () => {
    const { service, run } = await start({});
    expect(service).toMatchObject({
      kind: "DockerSandboxServiceInjector",
      host_port: 3001,
      container_url_pattern: "http://localhost:3000/sandbox/{port}",
      startup_grace_seconds: 120,
      web_url: "http://host.docker.internal:3001",
    });
    expect(run.image).toBe("ghcr.io/openhands/agent-server:1.34.0-python");
    expect(run.environment.OH_WEBHOOKS_0_BASE_URL).toBe("http://host.docker.internal:3001/api/v1/webhooks");
    // Upstream's default: host.docker.internal is the daemon's host, here the pod.
    expect(run.extra_hosts).toEqual({ "host.docker.internal": "host-gateway" });
    expect(run.volumes).toEqual({ "/opt/workspace_base": { bind: "/workspace", mode: "rw" } });
    expect(run.environment).toMatchObject({
      OH_CONVERSATIONS_PATH: "/home/openhands/.agent-server/conversations",
      OH_BASH_EVENTS_DIR: "/home/openhands/.agent-server/bash_events",
      // Upstream's conversation lease off: each sandbox is the only reader of its conversations.
      OH_LEASE_TTL_SECONDS: "0",
      OH_ALLOW_CORS_ORIGINS_0: "http://host.docker.internal:3001",
      OH_ALLOW_CORS_ORIGINS_1: "http://localhost:3000",
    });
    expect(run.network_mode).toBeNull();
  });

  it("ci/v1-dind-gateway-values.yaml: sandbox hosts as the URL pattern and the app's host among the sandbox's origins", async () => {
    const { service, run } = await start({ valuesFiles: ["ci/v1-dind-gateway-values.yaml"] });
    expect(service.container_url_pattern).toBe("https://{port}.sandbox.example.com");
    expect(service.permitted_cors_origins).toEqual(["http://localhost:3000", "https://openhands.example.com"]);
    expect(Object.entries(run.environment).filter(([name]) => name.startsWith("OH_ALLOW_CORS_ORIGINS_")).map(([, origin]) => origin)).toContain("https://openhands.example.com");
    expect(run.environment.OH_WEBHOOKS_0_BASE_URL).toBe("http://host.docker.internal:3001/api/v1/webhooks");
  });

  it("hostDocker without host networking: webhooks go to host.docker.internal:3000, the node's Docker bridge, where the pod publishes the app's port and nowhere else", async () => {
    const { service, run, objects } = await start({ values: hostDocker({}) });
    expect(service).toMatchObject({ host_port: 3000, container_url_pattern: "http://192.168.1.5:{port}", web_url: null });
    expect(run.extra_hosts).toEqual({ "host.docker.internal": "host-gateway" });
    expect(run.environment.OH_WEBHOOKS_0_BASE_URL).toBe("http://host.docker.internal:3000/api/v1/webhooks");
    expect(run.volumes).toEqual({ "/srv/openhands/ws": { bind: "/workspace", mode: "rw" } });
    // host-gateway is the daemon's bridge address: the app's port is published there.
    const ports = (container(serverDeployment(objects).spec.template.spec, "openhands") as { ports: Record<string, unknown>[] }).ports;
    expect(ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP", hostPort: service.host_port, hostIP: "172.17.0.1" }]);
  });

  it("hostDocker with sandbox.hostDocker.hostNetwork: the app is on the node, which upstream's host-gateway names; no hostPort", async () => {
    const { service, run, objects } = await start({ values: { ...hostDocker({ hostNetwork: true }) } });
    expect(service.host_port).toBe(3000);
    expect(run.extra_hosts).toEqual({ "host.docker.internal": "host-gateway" });
    expect(run.environment.OH_WEBHOOKS_0_BASE_URL).toBe("http://host.docker.internal:3000/api/v1/webhooks");
    const ports = (container(serverDeployment(objects).spec.template.spec, "openhands") as { ports: Record<string, unknown>[] }).ports;
    expect(ports[0]).not.toHaveProperty("hostPort");
  });

  it("ci/remote-docker-values.yaml: webhooks go to the callback listener's node port, host.docker.internal is the listener's address, the daemon's directory is the workspace", async () => {
    const { service, run } = await start({ valuesFiles: ["ci/remote-docker-values.yaml"] });
    expect(service).toMatchObject({
      kind: "DockerSandboxServiceInjector",
      host_port: 30302,
      container_url_pattern: "http://localhost:3000/sandbox/{port}",
      startup_grace_seconds: 120,
      web_url: "",
    });
    expect(run.environment.OH_WEBHOOKS_0_BASE_URL).toBe("http://host.docker.internal:30302/api/v1/webhooks");
    expect(run.extra_hosts).toEqual({ "host.docker.internal": "192.168.10.5" });
    expect(run.volumes).toEqual({ "/srv/openhands/workspace": { bind: "/workspace", mode: "rw" } });
    // No app URL, so no CORS origin of it: only the browser's.
    expect(Object.entries(run.environment).filter(([name]) => name.startsWith("OH_ALLOW_CORS_ORIGINS_")).map(([, origin]) => origin)).toEqual(["http://localhost:3000"]);
  });

  it("remoteDocker without the callback listener: host.docker.internal stays the daemon's machine (the NOTES warning's case)", async () => {
    const { run } = await start({ values: { sandbox: { mode: "remoteDocker", remoteDocker: { host: "tcp://192.168.10.20:2376", tlsSecretName: "docker-tls" } }, auth: lanFirewall } });
    expect(run.extra_hosts).toEqual({ "host.docker.internal": "host-gateway" });
    expect(run.environment.OH_WEBHOOKS_0_BASE_URL).toBe("http://host.docker.internal:3001/api/v1/webhooks");
  });

  it("sandbox.limits.startupGraceSeconds reaches the service, and openhands.env overrides it", async () => {
    expect((await start({ values: { sandbox: { limits: { startupGraceSeconds: 45 } } } })).service.startup_grace_seconds).toBe(45);
    expect((await start({ values: { openhands: { env: { SANDBOX_STARTUP_GRACE_SECONDS: "300" } } } })).service.startup_grace_seconds).toBe(300);
  });
});

describe.concurrent("the MCP server the app gives every agent (its own /mcp, which checks no credential)", () => {
  it("remoteDocker (ci/remote-docker-values.yaml): none, since the daemon's machine must not reach /mcp and an unreachable one fails the agent's start", async () => {
    const { env } = await appEnv({ valuesFiles: ["ci/remote-docker-values.yaml"] });
    expect(await mcpServers(env)).toEqual({ web_url: "", servers: {} });
  });

  it("the check can fail: default values give agents the app's own server behind the gateway", async () => {
    const { env } = await appEnv({});
    expect(await mcpServers(env)).toEqual({ web_url: "http://host.docker.internal:3001", servers: { default: "http://host.docker.internal:3001/mcp/mcp" } });
  });
});

describe.concurrent("the app's own CORS allowlist (PERMITTED_CORS_ORIGINS): a foreign page is refused in every 1.x mode", () => {
  it.each([
    ["default values", {}],
    ["ci/v1-process-values.yaml", { valuesFiles: ["ci/v1-process-values.yaml"] }],
    ["hostDocker without the gateway", { values: hostDocker({}) }],
    ["dind with sandbox.gateway.enabled false", { values: { sandbox: { gateway: { enabled: false } } } }],
  ])("%s", async (_name, options) => {
    const { env } = await appEnv(options as RenderOptions);
    expect(await corsAdmits(env, ["https://evil.example", "http://localhost:3000"])).toEqual({ "https://evil.example": false, "http://localhost:3000": true });
  });

  it("the check can fail: without PERMITTED_CORS_ORIGINS upstream admits every origin", async () => {
    const { env } = await appEnv({});
    delete env.PERMITTED_CORS_ORIGINS;
    expect((await corsAdmits(env, ["https://evil.example"]))["https://evil.example"]).toBe(true);
  });
});
