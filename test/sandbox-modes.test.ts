// Sandbox modes beyond dind and process: remoteDocker and kubernetes (0.x).
import { describe, expect, it } from "vitest";
import { getObject, objectsOfKind, render, renderError } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment, volume } from "../ts/lib/workload.ts";

const remote = { mode: "remoteDocker", remoteDocker: { host: "tcp://192.168.1.20:2376", tlsSecretName: "docker-tls" } };
// Sandbox ports published outside the pod need a lock the chart cannot provide: declared here.
const firewall = { mode: "external", external: { description: "a firewall in front of sandbox ports" } };
const v0 = (tag: string) => ({
  openhands: { image: { tag } },
  sandbox: { mode: "kubernetes", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: `${tag}-nikolaik` }, kubernetes: { ingressDomain: "rt.example.com" } },
});

describe("sandbox mode remoteDocker", () => {
  it("talks to the daemon over TCP with TLS client certificates from sandbox.remoteDocker.tlsSecretName", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: remote } });
    const spec = serverDeployment(objects).spec.template.spec;
    const app = container(spec, "openhands");
    expect(envOf(app)).toMatchObject({ DOCKER_HOST: "tcp://192.168.1.20:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/etc/docker/tls" });
    expect(mountsOf(app)["docker-tls"]).toBe("/etc/docker/tls");
    expect(volume(spec, "docker-tls")).toEqual({ name: "docker-tls", secret: { secretName: "docker-tls", defaultMode: 0o440 } });
    expect(spec.containers.map((c) => c.name)).toEqual(["openhands", "gateway"]);
  });

  it("runs the app as a non-root user with no Docker socket or privileges in the pod", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: remote } });
    const spec = serverDeployment(objects).spec.template.spec;
    expect(container(spec, "openhands").securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 42420, capabilities: { drop: ["ALL"] } });
    expect(spec.volumes!.map((v) => v.name)).not.toContain("docker-socket");
  });

  it("the gateway forwards sandbox ports to the daemon's host, not the pod", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: { ...remote, remoteDocker: { ...remote.remoteDocker, publishedHost: "192.168.1.21" } } } });
    const config = (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"];
    expect(config).toContain("proxy_pass http://192.168.1.21:$sandbox_port;");
    expect(config).not.toContain("proxy_pass http://127.0.0.1:$sandbox_port;");
  });

  it("uses no workspace claim, and mounts sandbox.remoteDocker.workspaceHostPath from the daemon's machine when set", async () => {
    const bare = await render({ values: { auth: firewall, sandbox: remote } });
    expect(objectsOfKind(bare.objects, "PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual(["openhands-state"]);
    expect(envOf(container(serverDeployment(bare.objects).spec.template.spec, "openhands"))).not.toHaveProperty("SANDBOX_VOLUMES");
    const shared = await render({ values: { auth: firewall, sandbox: { ...remote, remoteDocker: { ...remote.remoteDocker, workspaceHostPath: "/srv/openhands" } } } });
    expect(envOf(container(serverDeployment(shared.objects).spec.template.spec, "openhands")).SANDBOX_VOLUMES).toBe("/srv/openhands:/workspace:rw");
  });

  it("with 0.x, points SANDBOX_LOCAL_RUNTIME_URL at the daemon's host", async () => {
    const { objects } = await render({
      values: { auth: firewall, openhands: { image: { tag: "0.62" } }, sandbox: { ...remote, image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } } },
    });
    expect(envOf(container(serverDeployment(objects).spec.template.spec, "openhands"))).toMatchObject({
      SANDBOX_LOCAL_RUNTIME_URL: "http://192.168.1.20",
      SANDBOX_RUNTIME_CONTAINER_IMAGE: "docker.openhands.dev/openhands/runtime:0.62-nikolaik",
    });
  });

  it("with 1.x and no gateway, hands out the daemon's published ports directly", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: { ...remote, gateway: { enabled: false } } } });
    expect(envOf(container(serverDeployment(objects).spec.template.spec, "openhands")).SANDBOX_CONTAINER_URL_PATTERN).toBe("http://192.168.1.20:{port}");
  });

  it("1.x gives sandboxes an empty OH_WEB_URL (no MCP server, no secret lookups) with and without the gateway", async () => {
    for (const gateway of [true, false]) {
      const { objects } = await render({ values: { auth: firewall, sandbox: { ...remote, gateway: { enabled: gateway } } } });
      expect(envOf(container(serverDeployment(objects).spec.template.spec, "openhands")).OH_WEB_URL, `gateway ${gateway}`).toBe("");
    }
  });

  it("without the callback listener keeps upstream's legacy variables and opens no callback port", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: { ...remote, remoteDocker: { ...remote.remoteDocker, workspaceHostPath: "/srv/openhands" } } } });
    const spec = serverDeployment(objects).spec.template.spec;
    const env = envOf(container(spec, "openhands"));
    expect(env).toMatchObject({ SANDBOX_HOST_PORT: "3001", SANDBOX_CONTAINER_URL_PATTERN: "http://localhost:3000/sandbox/{port}", SANDBOX_STARTUP_GRACE_SECONDS: "120", SANDBOX_VOLUMES: "/srv/openhands:/workspace:rw" });
    expect(Object.keys(env).filter((name) => name.startsWith("OH_SANDBOX_"))).toEqual([]);
    expect(objectsOfKind(objects, "Service").map((o) => o.metadata.name)).toEqual(["openhands"]);
    expect((container(spec, "gateway") as any).ports.map((p: { name: string }) => p.name)).toEqual(["gateway"]);
  });
});

describe("remoteDocker's callback listener (sandbox.remoteDocker.callback)", () => {
  const callback = (values: Record<string, unknown>) => ({ ...remote, remoteDocker: { ...remote.remoteDocker, workspaceHostPath: "/srv/openhands", callback: values } });
  const nodePort = { address: "192.168.1.5", service: { type: "NodePort", nodePort: 30302 } };

  it("configures upstream's Docker sandbox service through OH_SANDBOX_*: the listener's node port, host.docker.internal at its address, the daemon's directory; no legacy SANDBOX_*", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: callback(nodePort) } });
    const env = envOf(container(serverDeployment(objects).spec.template.spec, "openhands"));
    expect(env).toMatchObject({
      OH_SANDBOX_KIND: "DockerSandboxServiceInjector",
      OH_SANDBOX_HOST_PORT: "30302",
      OH_SANDBOX_EXTRA_HOSTS: '{"host.docker.internal":"192.168.1.5"}',
      OH_SANDBOX_CONTAINER_URL_PATTERN: "http://localhost:3000/sandbox/{port}",
      OH_SANDBOX_STARTUP_GRACE_SECONDS: "120",
      OH_SANDBOX_MOUNTS_0_HOST_PATH: "/srv/openhands",
      OH_SANDBOX_MOUNTS_0_CONTAINER_PATH: "/workspace",
      OH_WEB_URL: "",
    });
    expect(Object.keys(env).filter((name) => name.startsWith("SANDBOX_"))).toEqual([]);
  });

  it("publishes only the gateway's callback port, as Service openhands-callback on the fixed node port", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: callback({ ...nodePort, service: { ...nodePort.service, externalTrafficPolicy: "Local", annotations: { "example.com/a": "b" } } }) } });
    const service = getObject(objects, "Service", "openhands-callback") as any;
    expect(service.spec).toMatchObject({ type: "NodePort", externalTrafficPolicy: "Local", ports: [{ name: "callback", port: 3002, targetPort: "callback", protocol: "TCP", nodePort: 30302 }] });
    expect(service.spec.selector).toEqual((getObject(objects, "Service", "openhands") as any).spec.selector);
    expect(service.metadata.annotations).toEqual({ "example.com/a": "b" });
    const gateway = container(serverDeployment(objects).spec.template.spec, "gateway") as any;
    expect(gateway.ports).toContainEqual({ name: "callback", containerPort: 3002, protocol: "TCP" });
    const config = (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"];
    expect(config).toContain("listen 3002 default_server;");
    expect(config).toContain("proxy_pass http://127.0.0.1:3001$uri;");
  });

  it("with a LoadBalancer, sandboxes call the Service's own port", async () => {
    const { objects } = await render({ values: { auth: firewall, sandbox: callback({ address: "192.168.1.240", port: 8099, service: { type: "LoadBalancer" } }) } });
    expect(envOf(container(serverDeployment(objects).spec.template.spec, "openhands")).OH_SANDBOX_HOST_PORT).toBe("8099");
    const service = getObject(objects, "Service", "openhands-callback") as any;
    expect(service.spec).toMatchObject({ type: "LoadBalancer", ports: [{ port: 8099, targetPort: "callback" }] });
    expect(service.spec.ports[0]).not.toHaveProperty("nodePort");
  });

  it.each([
    ["with 0.x", { openhands: { image: { tag: "0.62" } }, sandbox: { ...callback(nodePort), image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } } }, "sandbox.remoteDocker.callback.address: the callback listener carries the webhooks of OpenHands 1.x sandboxes"],
    ["without the gateway", { sandbox: { ...callback(nodePort), gateway: { enabled: false } } }, "sandbox.remoteDocker.callback.address: the callback listener is a server of the sandbox gateway"],
    ["as a NodePort without a fixed node port", { sandbox: callback({ address: "192.168.1.5" }) }, "sandbox.remoteDocker.callback.service.nodePort: every sandbox keeps the callback URL it was created with"],
    ["on the app Service's node port", { sandbox: callback(nodePort), service: { type: "NodePort", nodePort: 30302 } }, "sandbox.remoteDocker.callback.service.nodePort: 30302 is already service.nodePort"],
    ["beside a legacy variable in openhands.env", { sandbox: callback(nodePort), openhands: { env: { SANDBOX_STARTUP_GRACE_SECONDS: "300" } } }, "openhands.env.SANDBOX_STARTUP_GRACE_SECONDS: with sandbox.remoteDocker.callback.address the app configures its Docker sandboxes from OH_SANDBOX_KIND and OH_SANDBOX_* variables, and OpenHands then ignores SANDBOX_STARTUP_GRACE_SECONDS. Set OH_SANDBOX_STARTUP_GRACE_SECONDS instead."],
    ["beside a legacy variable in openhands.extraEnv", { sandbox: callback(nodePort), openhands: { extraEnv: [{ name: "A", value: "b" }, { name: "SANDBOX_VOLUMES", value: "/x:/y:rw" }] } }, "openhands.extraEnv[1]: with sandbox.remoteDocker.callback.address the app configures its Docker sandboxes from OH_SANDBOX_KIND and OH_SANDBOX_* variables, and OpenHands then ignores SANDBOX_VOLUMES. Set OH_SANDBOX_MOUNTS_<n>_HOST_PATH and OH_SANDBOX_MOUNTS_<n>_CONTAINER_PATH instead."],
    ["under a NetworkPolicy without allowFrom", { sandbox: callback(nodePort), networkPolicy: { enabled: true } }, "sandbox.remoteDocker.callback.allowFrom: networkPolicy.enabled admits only listed peers"],
  ])("is refused %s", async (_what, values, message) => {
    expect(await renderError({ values: { auth: firewall, ...values } })).toContain(message);
  });

  it("refuses a DNS name as address (Docker maps host.docker.internal to an IP address only)", async () => {
    expect(await renderError({ values: { auth: firewall, sandbox: callback({ ...nodePort, address: "node-a.lan" }) } })).toMatch(/sandbox[./]remoteDocker[./]callback[./]address/);
  });
});

describe("sandbox mode remoteDocker refusals", () => {
  it.each([
    ["no TLS material", { remoteDocker: { host: "tcp://192.168.1.20:2376" } }, "sandbox.remoteDocker.tlsSecretName: a Docker daemon on TCP without TLS"],
    ["no daemon address", { remoteDocker: { tlsSecretName: "t" } }, "sandbox.remoteDocker.host: sandbox mode remoteDocker needs the daemon's address"],
    ["a host name for the gateway to reach", { remoteDocker: { host: "tcp://docker.lan:2376", tlsSecretName: "t" } }, "sandbox.remoteDocker.publishedHost: the sandbox gateway forwards"],
  ])("is refused with %s", async (_what, sandbox, message) => {
    expect(await renderError({ values: { auth: firewall, sandbox: { mode: "remoteDocker", ...sandbox } } })).toContain(message);
  });
});

describe("sandbox mode kubernetes (0.45 to 0.62)", () => {
  it("sets RUNTIME=kubernetes and writes the [kubernetes] settings into /app/config.toml", async () => {
    const { objects } = await render({
      values: { ...v0("0.62"), auth: firewall, sandbox: { ...v0("0.62").sandbox, kubernetes: { namespace: "openhands-runtimes", ingressDomain: "rt.example.com", pvcStorageSize: "5Gi", privileged: true, tolerations: [{ key: "k", operator: "Exists" }] } } },
    });
    const spec = serverDeployment(objects).spec.template.spec as any;
    const app = container(spec, "openhands");
    expect(envOf(app)).toMatchObject({ RUNTIME: "kubernetes", SANDBOX_RUNTIME_CONTAINER_IMAGE: "docker.openhands.dev/openhands/runtime:0.62-nikolaik" });
    expect(app.volumeMounts).toContainEqual({ name: "openhands-config", mountPath: "/app/config.toml", subPath: "config.toml", readOnly: true });
    const toml = (getObject(objects, "ConfigMap", "openhands-config") as any).data["config.toml"] as string;
    expect(toml).toContain('[kubernetes]\nnamespace = "openhands-runtimes"\ningress_domain = "rt.example.com"');
    expect(toml).toContain('pvc_storage_size = "5Gi"');
    expect(toml).toContain("privileged = true");
    expect(toml).toContain('tolerations_yaml = "- key: k\\n  operator: Exists"');
    // RBAC and the runtime namespace: test/runtime-rbac.test.ts.
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(spec.containers.map((c: any) => c.name)).toEqual(["openhands"]);
  });

  it.each([
    ["a 1.x image", { sandbox: { mode: "kubernetes" } }, "sandbox.mode: kubernetes is a runtime of OpenHands 0.45 to 0.62; 1.x"],
    ["a 0.x image older than 0.45", v0("0.40"), "sandbox.mode: the kubernetes runtime arrived in OpenHands 0.45"],
  ])("is refused with %s", async (_what, values, message) => {
    expect(await renderError({ values })).toContain(message);
  });
});
