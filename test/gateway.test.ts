// The sandbox gateway: 1.x sandbox URLs the browser and the app can both reach, through
// whatever exposure the chart renders, and nothing but sandbox ports behind it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { getObject, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment, volume } from "../ts/lib/workload.ts";
import { canUnshareNetwork, findNginx } from "../ts/lib/nginx.ts";
import { conversationHex, type ProbeName, type ProbeResult } from "../ts/lib/gateway-probe.ts";
import { repoRoot } from "../ts/lib/helm-binaries.ts";

const apiVersions = ["gateway.networking.k8s.io/v1/HTTPRoute"];
const external = { mode: "external", external: { description: "test" } };
const oauth2Proxy = { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "oauth", oidcIssuerUrl: "https://sso.example.com", emailDomains: ["*"] } };
const hostRouting = { gateway: { routing: "host", hostDomain: "sandbox.example.com", tlsSecretName: "sandbox-wildcard-tls" } };
/** A remote daemon whose sandboxes call back through the gateway's listener (as ci/remote-docker-values.yaml). */
const remoteWithCallback = {
  auth: external,
  sandbox: {
    mode: "remoteDocker",
    remoteDocker: { host: "tcp://192.168.10.20:2376", tlsSecretName: "docker-tls", callback: { address: "192.168.10.5", service: { type: "NodePort", nodePort: 30302 } } },
  },
};

async function objectsFor(values: Record<string, unknown>): Promise<K8sObject[]> {
  return (await render({ values, apiVersions })).objects;
}
const appEnv = (objects: K8sObject[]) => envOf(container(serverDeployment(objects).spec.template.spec, "openhands"));
const gatewayConfig = (objects: K8sObject[]) => (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"] as string;

describe("sandbox URL pattern and app settings", () => {
  it.each([
    ["no exposure (kubectl port-forward 3000)", {}, "http://localhost:3000/sandbox/{port}"],
    ["an Ingress", { auth: external, ingress: { enabled: true } }, "http://localhost/sandbox/{port}"],
    ["an HTTPRoute", { auth: external, httpRoute: { enabled: true, hostnames: ["oh.example.com"] } }, "http://localhost/sandbox/{port}"],
    ["a LoadBalancer on port 80", { auth: external, service: { type: "LoadBalancer", port: 80 } }, "http://localhost/sandbox/{port}"],
    ["a LoadBalancer on port 8443", { auth: external, service: { type: "LoadBalancer", port: 8443 } }, "http://localhost:8443/sandbox/{port}"],
    ["a NodePort", { auth: external, service: { type: "NodePort", nodePort: 30080 } }, "http://localhost:30080/sandbox/{port}"],
    ["host routing", { sandbox: hostRouting }, "https://{port}.sandbox.example.com"],
  ])("with %s, SANDBOX_CONTAINER_URL_PATTERN is %s", async (_what, values, pattern) => {
    const objects = await objectsFor(values);
    expect(appEnv(objects).SANDBOX_CONTAINER_URL_PATTERN).toBe(pattern);
  });

  it("a path pattern's port is one the gateway's router listens on inside the pod", async () => {
    for (const values of [{}, { auth: external, service: { type: "LoadBalancer", port: 8443 } }, { auth: external, service: { type: "NodePort", nodePort: 30080 } }]) {
      const objects = await objectsFor(values);
      const port = /localhost:(\d+)/.exec(String(appEnv(objects).SANDBOX_CONTAINER_URL_PATTERN))![1];
      expect(gatewayConfig(objects)).toContain(`listen 127.0.0.1:${port};`);
    }
    expect(gatewayConfig(await objectsFor({ auth: external, ingress: { enabled: true } }))).toContain("listen 127.0.0.1:80;");
  });

  it("moves the app to 3001 behind the gateway, with webhooks and OH_WEB_URL inside the pod", async () => {
    const objects = await objectsFor({});
    const app = container(serverDeployment(objects).spec.template.spec, "openhands") as any;
    expect(app.args).toEqual(["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "3001"]);
    expect(app.ports[0]).toEqual({ name: "http", containerPort: 3001, protocol: "TCP" });
    expect(appEnv(objects)).toMatchObject({ SANDBOX_HOST_PORT: "3001", OH_WEB_URL: "http://host.docker.internal:3001" });
    expect(gatewayConfig(objects)).toContain("proxy_pass http://127.0.0.1:3001;");
  });

  it("allows the browser origins of every Ingress and HTTPRoute host (and port-forward) for CORS", async () => {
    const objects = await objectsFor({
      auth: external,
      ingress: { enabled: true, hosts: [{ host: "oh.example.com", paths: [{ path: "/", pathType: "Prefix" }] }, { host: "lan.example.com", paths: [{ path: "/", pathType: "Prefix" }] }], tls: [{ hosts: ["oh.example.com"], secretName: "t" }] },
      httpRoute: { enabled: true, hostnames: ["gw.example.com"] },
    });
    expect(appEnv(objects).PERMITTED_CORS_ORIGINS).toBe("http://localhost:3000,https://oh.example.com,http://lan.example.com,https://gw.example.com");
  });

  it("pins the pod's ephemeral port range to 40000-49999 and lets the unprivileged gateway bind port 80", async () => {
    const spec = serverDeployment(await objectsFor({})).spec.template.spec as any;
    expect(spec.securityContext.sysctls).toEqual([
      { name: "net.ipv4.ip_local_port_range", value: "40000 49999" },
      { name: "net.ipv4.ip_unprivileged_port_start", value: "80" },
    ]);
  });

  it("runs nginx unprivileged with its generated config, and a config change rolls the pod", async () => {
    const a = await objectsFor({});
    const spec = serverDeployment(a).spec.template.spec;
    const gateway = container(spec, "gateway");
    expect(gateway.image).toBe("docker.io/nginxinc/nginx-unprivileged:1.29.8-alpine");
    expect(gateway.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(mountsOf(gateway)).toEqual({ "gateway-config": "/etc/nginx/nginx.conf", "gateway-tmp": "/tmp" });
    expect(volume(spec, "gateway-config").configMap.name).toBe("openhands-gateway");
    const b = await objectsFor({ sandbox: hostRouting });
    const checksum = (o: K8sObject[]) => serverDeployment(o).spec.template.metadata.annotations!["checksum/gateway"];
    expect(checksum(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(b)).not.toBe(checksum(a));
  });

  it("on a stop, nginx closes open websockets after 5 s instead of holding the pod for its whole grace period", async () => {
    expect(gatewayConfig(await objectsFor({}))).toMatch(/^worker_shutdown_timeout 5s;$/m);
  });

  it("the Service's port targets the gateway, and oauth2-proxy when sign-in is on", async () => {
    expect((getObject(await objectsFor({}), "Service") as any).spec.ports[0].targetPort).toBe("gateway");
    const objects = await objectsFor({ auth: oauth2Proxy });
    expect((getObject(objects, "Service") as any).spec.ports[0].targetPort).toBe("oauth2-proxy");
    expect(container(serverDeployment(objects).spec.template.spec, "oauth2-proxy").args).toContain("--upstream=http://127.0.0.1:3000/");
    expect(gatewayConfig(objects)).toMatch(/listen 3000 default_server;\s+server_name _;\s+return 404;/);
  });

  it.each([
    ["OpenHands 0.x", { openhands: { image: { tag: "0.62" } }, sandbox: { image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } } }],
    ["sandbox.gateway.enabled false", { sandbox: { gateway: { enabled: false } } }],
  ])("is left out with %s: the app keeps port 3000 and the Service targets it", async (_what, values) => {
    const objects = await objectsFor(values);
    const spec = serverDeployment(objects).spec.template.spec;
    expect(spec.containers.map((c) => c.name)).not.toContain("gateway");
    expect(objects.some((o) => o.metadata.name === "openhands-gateway")).toBe(false);
    expect(container(spec, "openhands").ports![0]).toMatchObject({ name: "http", containerPort: 3000 });
    expect(appEnv(objects)).not.toHaveProperty("SANDBOX_CONTAINER_URL_PATTERN");
    expect((getObject(objects, "Service") as any).spec.ports[0].targetPort).toBe("http");
  });
});

describe("host routing exposure", () => {
  it("adds the wildcard sandbox host to the Ingress, to the gateway's own Service port, with its certificate", async () => {
    const objects = await objectsFor({ auth: oauth2Proxy, sandbox: hostRouting, ingress: { enabled: true, tls: [{ hosts: ["openhands.example.com"], secretName: "openhands-tls" }] } });
    const ingress = getObject(objects, "Ingress") as any;
    expect(ingress.spec.rules[1]).toEqual({
      host: "*.sandbox.example.com",
      http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "openhands", port: { name: "sandbox-gateway" } } } }] },
    });
    expect(ingress.spec.tls).toEqual([
      { hosts: ["openhands.example.com"], secretName: "openhands-tls" },
      { hosts: ["*.sandbox.example.com"], secretName: "sandbox-wildcard-tls" },
    ]);
    const svc = getObject(objects, "Service") as any;
    expect(svc.spec.ports[1]).toEqual({ name: "sandbox-gateway", port: 8080, targetPort: "gateway", protocol: "TCP" });
  });

  it("renders a second HTTPRoute for the wildcard sandbox host, straight to the gateway", async () => {
    const objects = await objectsFor({ auth: oauth2Proxy, sandbox: hostRouting, httpRoute: { enabled: true, hostnames: ["openhands.example.com"] } });
    const route = getObject(objects, "HTTPRoute", "openhands-sandboxes") as any;
    expect(route.spec.hostnames).toEqual(["*.sandbox.example.com"]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: "openhands", port: 8080 }]);
    expect((getObject(objects, "HTTPRoute", "openhands") as any).spec.hostnames).toEqual(["openhands.example.com"]);
  });

  it("the sandbox host server matches only <digits>.<hostDomain>, dots escaped", async () => {
    expect(gatewayConfig(await objectsFor({ sandbox: hostRouting }))).toContain("server_name ~^(?<sandbox_port>[0-9]+)\\.sandbox\\.example\\.com$;");
  });
});

describe("refused gateway values", () => {
  it.each([
    ["host routing without sandbox.gateway.hostDomain", { sandbox: { gateway: { routing: "host" } } }, "sandbox.gateway.hostDomain: routing host serves sandboxes at <port>.<hostDomain>"],
    ["a NodePort without service.nodePort", { auth: external, service: { type: "NodePort" } }, "service.nodePort: with a NodePort Service the sandbox gateway must know the port"],
    ["a LoadBalancer on the app's inner port", { auth: external, service: { type: "LoadBalancer", port: 3001 } }, "service.port: 3001 is taken inside the pod"],
    ["sandbox.env with OpenHands 0.x", { openhands: { image: { tag: "0.62" } }, sandbox: { env: { A: "b" }, image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } } }, "sandbox.env: OpenHands 0.x has no way"],
  ])("%s", async (_what, values, message) => {
    expect(await renderError({ values, apiVersions })).toContain(message);
  });
});

// The generated config itself, checked by a real nginx (Debian's nginx-light, which .ci/run installs).
const nginx = findNginx();
const live = !!nginx && canUnshareNetwork();
if (process.env.CI && !live) throw new Error("CI needs nginx and unshare for the gateway checks: .ci/run installs nginx-light");

/** Writes the generated config to a file; `relocate` moves its /tmp paths into the file's directory. */
async function configFile(values: Record<string, unknown>, relocate: boolean): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "gateway-conf-"));
  const file = path.join(dir, "nginx.conf");
  const config = gatewayConfig(await objectsFor(values));
  writeFileSync(file, relocate ? config.replaceAll("/tmp/", `${dir}/`) : config);
  return file;
}

describe.runIf(live)("the gateway config in a real nginx", () => {
  it.each([
    ["the default", {}],
    ["oauth2-proxy", { auth: oauth2Proxy }],
    ["host routing behind oauth2-proxy on a LoadBalancer port", { auth: oauth2Proxy, sandbox: hostRouting, service: { type: "LoadBalancer", port: 8443 } }],
    ["remoteDocker with its callback listener", remoteWithCallback],
  ])("passes nginx -t for %s", async (_what, values) => {
    const file = await configFile(values, true);
    const result = await execa("unshare", ["--net", "--map-root-user", nginx!, "-t", "-c", file, "-p", path.dirname(file), "-g", "user root root;"], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("test is successful");
  });

  async function probe(values: Record<string, unknown>): Promise<Record<ProbeName, ProbeResult>> {
    const file = await configFile(values, false);
    const script = path.join(repoRoot, "ts/lib/gateway-probe.ts");
    const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
    const { stdout } = await execa("unshare", ["--net", "--map-root-user", tsx, script, file, nginx!]);
    return JSON.parse(stdout);
  }

  describe("routing requests, without sign-in", () => {
    let results: Record<ProbeName, ProbeResult>;
    beforeAll(async () => {
      results = await probe({ sandbox: hostRouting });
    });

    it("sends /sandbox/<port>/... to that sandbox port without the prefix, query kept", () => {
      expect(results.sandboxThroughEntry).toMatchObject({ status: 200, seen: { server: "sandbox-40123", path: "/api/conversations/1/events?x=1" } });
      expect(results.sandboxRootNoSlash.seen).toMatchObject({ server: "sandbox-40123", path: "/" });
    });

    it("passes websocket upgrades through to the sandbox", () => {
      expect(results.websocketThroughEntry).toMatchObject({ status: 101, seen: { server: "sandbox-40123", path: "/sockets/events/1", upgrade: "websocket", connection: "upgrade" } });
    });

    it("undoes the UI's doubled /sandbox/<port> prefix", () => {
      expect(results.doubledPrefix.seen).toMatchObject({ server: "sandbox-40123", path: "/api/conversations/1" });
    });

    it("refuses the app's own port, the Docker API port, the auth proxy's port and ports outside the sandbox range", () => {
      for (const name of ["appPortThroughSandboxPath", "dockerPortThroughSandboxPath", "proxyPortThroughSandboxPath", "outOfRangeSandboxPath", "sandboxHostDockerPort", "agentServerThroughEntry"] as const) {
        expect({ name, status: results[name].status, seen: results[name].seen }).toEqual({ name, status: 403, seen: undefined });
      }
    });

    it("serves the app's own sandbox calls on loopback ports 80 and 3000, and the app itself on loopback", () => {
      expect(results.appsOwnCallOnPort80.seen).toMatchObject({ server: "sandbox-40123", path: "/api/file" });
      expect(results.portForwardOnLoopback3000.seen).toMatchObject({ server: "sandbox-40123", path: "/alive" });
      expect(results.appOnLoopback3000.seen).toMatchObject({ server: "app", path: "/" });
    });

    it("sends everything else on the Service's entry to the app, Host kept", () => {
      expect(results.appThroughEntry.seen).toMatchObject({ server: "app", path: "/api/options/config", host: "openhands.example.com" });
    });

    it("serves <port>.<hostDomain> from that sandbox port", () => {
      expect(results.sandboxHost.seen).toMatchObject({ server: "sandbox-40123", path: "/api/conversations", host: "40123.sandbox.example.com" });
    });
  });

  describe("routing requests in sandbox mode process", () => {
    let results: Record<ProbeName, ProbeResult>;
    beforeAll(async () => {
      results = await probe({ sandbox: { mode: "process" } });
    });

    it("sends /sandbox/<port>/... to an agent-server port from 8000, without the prefix", () => {
      expect(results.agentServerThroughEntry).toMatchObject({ status: 200, seen: { server: "agent-server-8000", path: "/alive" } });
    });

    it("refuses ports past sandbox.process.ports, Docker's sandbox range, the app's, the Docker API's and the auth proxy's", () => {
      for (const name of ["agentServerPastPorts", "sandboxThroughEntry", "appPortThroughSandboxPath", "dockerPortThroughSandboxPath", "proxyPortThroughSandboxPath"] as const) {
        expect({ name, status: results[name].status, seen: results[name].seen }).toEqual({ name, status: 403, seen: undefined });
      }
    });

    it("sends everything else on the Service's entry to the app", () => {
      expect(results.appThroughEntry.seen).toMatchObject({ server: "app", path: "/api/options/config" });
    });
  });

  describe("routing requests, behind oauth2-proxy", () => {
    let results: Record<ProbeName, ProbeResult>;
    beforeAll(async () => {
      results = await probe({ auth: oauth2Proxy, sandbox: hostRouting });
    });

    it("the pod address serves nothing of the app: only oauth2-proxy reaches it, through loopback", () => {
      expect(results.appThroughEntry).toEqual({ status: 404 });
      expect(results.sandboxThroughEntry).toEqual({ status: 404 });
      expect(results.foreignHost).toEqual({ status: 404 });
      expect(results.appOnLoopback3000.seen).toMatchObject({ server: "app" });
    });

    it("sandbox hosts and the app's own loopback calls still reach sandboxes, past the sign-in", () => {
      expect(results.sandboxHost.seen).toMatchObject({ server: "sandbox-40123" });
      expect(results.appsOwnCallOnPort80.seen).toMatchObject({ server: "sandbox-40123" });
    });

    it("opens no callback listener outside remoteDocker", () => {
      expect(results.callbackConversations).toEqual({ status: 0 });
    });
  });

  describe("remoteDocker's callback listener (sandbox.remoteDocker.callback)", () => {
    let results: Record<ProbeName, ProbeResult>;
    beforeAll(async () => {
      results = await probe(remoteWithCallback);
    });

    it("passes POST /api/v1/webhooks/conversations and /events/<hex id> to the app, path and session key as sent", () => {
      expect(results.callbackConversations).toMatchObject({ status: 200, seen: { server: "app", method: "POST", path: "/api/v1/webhooks/conversations" } });
      expect(results.callbackEvents).toMatchObject({ status: 200, seen: { server: "app", method: "POST", path: `/api/v1/webhooks/events/${conversationHex}` } });
    });

    it("forwards no browser cookie and no query string", () => {
      expect(results.callbackConversations.seen?.cookie).toBeUndefined();
      expect(results.callbackEventsWithQuery.seen).toMatchObject({ server: "app", path: `/api/v1/webhooks/events/${conversationHex}` });
    });

    it("refuses other methods on the webhook routes", () => {
      expect(results.callbackEventsRead).toEqual({ status: 403 });
    });

    it("refuses /mcp, the secrets webhook, the rest of /api, the UI and sandbox paths", () => {
      for (const name of ["callbackMcp", "callbackSecrets", "callbackSettings", "callbackSettingsWritten", "callbackRoot", "callbackSandboxPath", "callbackEventsNotHex"] as const) {
        expect(results[name], name).toEqual({ status: 404 });
      }
    });

    it("judges the normalised path: dot segments and escapes never reach another route", () => {
      expect(results.callbackDotSegments).toEqual({ status: 404 });
      expect(results.callbackEncodedDotSegments.seen).toBeUndefined();
      expect(results.callbackEncodedDotSegments.status).toBeGreaterThanOrEqual(400);
      // An escaped spelling of a webhook route reaches it under its plain name.
      expect(results.callbackEncodedPath).toMatchObject({ status: 200, seen: { server: "app", path: "/api/v1/webhooks/conversations" } });
    });

    it("keeps the gateway's own routes on the Service's entry", () => {
      expect(results.appThroughEntry.seen).toMatchObject({ server: "app", path: "/api/options/config" });
    });
  });
});
