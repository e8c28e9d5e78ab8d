// How users reach the app: the Service, the Ingress and the NOTES printed after install.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { getObject, render } from "../ts/lib/render.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";

async function objectsFor(values: Record<string, unknown>) {
  return (await render({ values })).objects;
}

// These suites look at the objects, so they accept running without authentication.
const open = { auth: { acknowledgeUnauthenticated: true } };
const ingressOn = (extra: Record<string, unknown> = {}) => ({ ...open, ingress: { enabled: true, ...extra } });

describe("Service", () => {
  it("is a ClusterIP Service on port 3000 that targets the sandbox gateway (which routes to the app) and selects only the server", async () => {
    const svc = getObject(await objectsFor({}), "Service", "openhands") as any;
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.ports).toEqual([{ name: "http", port: 3000, targetPort: "gateway", protocol: "TCP" }]);
    expect(svc.spec.selector["app.kubernetes.io/component"]).toBe("server");
  });

  it("service.type, port, nodePort and annotations are applied", async () => {
    const svc = getObject(
      await objectsFor({ ...open, service: { type: "NodePort", port: 80, nodePort: 30080, annotations: { "metallb.universe.tf/address-pool": "lan" } } }),
      "Service",
    ) as any;
    expect(svc.spec.type).toBe("NodePort");
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, nodePort: 30080, targetPort: "gateway" });
    expect(svc.metadata.annotations).toEqual({ "metallb.universe.tf/address-pool": "lan" });
  });

  it("a nodePort is not rendered for ClusterIP", async () => {
    const svc = getObject(await objectsFor({ service: { nodePort: 30080 } }), "Service") as any;
    expect(svc.spec.ports[0]).not.toHaveProperty("nodePort");
  });
});

describe("Ingress", () => {
  it("is not rendered unless ingress.enabled", async () => {
    expect((await objectsFor({})).some((o) => o.kind === "Ingress")).toBe(false);
  });

  it("routes each host and path to the Service's http port, with spec.ingressClassName", async () => {
    const ing = getObject(
      await objectsFor(ingressOn({ className: "traefik", hosts: [{ host: "oh.example.org", paths: [{ path: "/", pathType: "Prefix" }] }] })),
      "Ingress",
    ) as any;
    expect(ing.spec.ingressClassName).toBe("traefik");
    expect(ing.spec.rules).toEqual([
      { host: "oh.example.org", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "openhands", port: { name: "http" } } } }] } },
    ]);
    expect(ing.metadata.annotations ?? {}).not.toHaveProperty(["kubernetes.io/ingress.class"]);
  });

  it("an empty className leaves the class to the cluster default", async () => {
    const ing = getObject(await objectsFor(ingressOn()), "Ingress") as any;
    expect(ing.spec).not.toHaveProperty("ingressClassName");
    expect(ing.metadata.annotations).toBeUndefined();
  });

  it("with an nginx class, adds the websocket stream timeouts and body size OpenHands needs", async () => {
    const ing = getObject(await objectsFor(ingressOn({ className: "nginx" })), "Ingress") as any;
    expect(ing.metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-body-size": "50m",
    });
  });

  it("ingress.annotations override the chart's nginx annotations and add others", async () => {
    const ing = getObject(
      await objectsFor(ingressOn({ className: "nginx", annotations: { "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200", "cert-manager.io/cluster-issuer": "le" } })),
      "Ingress",
    ) as any;
    expect(ing.metadata.annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
      "cert-manager.io/cluster-issuer": "le",
    });
  });

  it("ingress.nginxStreamingAnnotations false leaves nginx defaults alone", async () => {
    const ing = getObject(await objectsFor(ingressOn({ className: "nginx", nginxStreamingAnnotations: false })), "Ingress") as any;
    expect(ing.metadata.annotations).toBeUndefined();
  });

  it("ingress.tls lists hosts and their certificate Secrets", async () => {
    const ing = getObject(await objectsFor(ingressOn({ tls: [{ hosts: ["openhands.example.com"], secretName: "openhands-tls" }] })), "Ingress") as any;
    expect(ing.spec.tls).toEqual([{ hosts: ["openhands.example.com"], secretName: "openhands-tls" }]);
  });
});

describe("NOTES.txt", () => {
  async function notes(values: string[], valuesFiles: string[] = []) {
    const args = ["install", "openhands", repoRoot, "--dry-run=client", "--namespace", "ai", ...valuesFiles.flatMap((f) => ["-f", f]), ...values.flatMap((v) => ["--set", v])];
    const { stdout } = await execa(helmBinary("helm4"), args);
    return stdout.slice(stdout.indexOf("NOTES:"));
  }

  it("tells a ClusterIP user to port-forward the Service", async () => {
    const text = await notes([]);
    expect(text).toContain("kubectl --namespace ai port-forward service/openhands 3000:3000");
    expect(text).toContain("State is kept on the claim openhands-state (mounted at /.openhands)");
  });

  it("gives the https URL of each Ingress host with TLS", async () => {
    const text = await notes(["auth.acknowledgeUnauthenticated=true", "ingress.enabled=true", "ingress.tls[0].hosts[0]=openhands.example.com", "ingress.tls[0].secretName=tls"]);
    expect(text).toContain("https://openhands.example.com/");
    expect(text).not.toContain("port-forward");
  });

  it("warns loudly when an exposure runs without authentication", async () => {
    const text = await notes(["auth.acknowledgeUnauthenticated=true", "service.type=LoadBalancer"]);
    expect(text).toContain("WARNING: OpenHands is exposed WITHOUT authentication");
  });

  it("names the sign-in in use", async () => {
    const text = await notes(["auth.mode=external", "auth.external.description=Tailscale only"]);
    expect(text).toContain("Sign-in: Tailscale only (outside this chart).");
  });

  const webhookWarning = "WARNING: sandboxes send their webhooks to host.docker.internal, which is the Docker daemon's machine";
  const hostDocker1x = ["sandbox.mode=hostDocker", "nodeSelector.kubernetes\\.io/hostname=node-1", "sandbox.hostDocker.nodeAddress=192.168.1.5", "auth.mode=external", "auth.external.description=LAN firewall"];

  const remoteDocker1x = ["sandbox.mode=remoteDocker", "sandbox.remoteDocker.host=tcp://192.168.10.20:2376", "sandbox.remoteDocker.tlsSecretName=docker-tls", "auth.mode=external", "auth.external.description=LAN firewall"];

  it("warns that remoteDocker sandboxes' webhooks never reach the app without the callback listener, and how to open it", async () => {
    const text = await notes(remoteDocker1x);
    expect(text).toContain(webhookWarning);
    expect(text).toContain("Set sandbox.remoteDocker.callback.address (with service.nodePort) to open the callback listener.");
    expect(text).not.toContain("Sandbox callbacks:");
  });

  it("with the callback listener (ci/remote-docker-values.yaml), says where sandboxes call and what passes, and does not warn", async () => {
    const text = await notes([], ["ci/remote-docker-values.yaml"]);
    expect(text).not.toContain(webhookWarning);
    expect(text).toContain(
      "Sandbox callbacks: sandboxes send their webhooks to http://host.docker.internal:30302, with host.docker.internal mapped to 192.168.10.5: the NodePort Service openhands-callback must answer there. It passes only POST /api/v1/webhooks/conversations and /api/v1/webhooks/events/<id>",
    );
    // The listener is not a way in to the app: the exposure guard does not list it.
    expect(text.split("\n").filter((line) => line.startsWith("  - ")).join("\n")).not.toMatch(/callback/i);
  });

  it("says what remoteDocker sandboxes lose without an app URL, with or without the listener", async () => {
    const lost = "Sandboxes on the remote daemon get no OpenHands MCP server (OH_WEB_URL is empty";
    expect(await notes(remoteDocker1x)).toContain(lost);
    expect(await notes([], ["ci/remote-docker-values.yaml"])).toContain(lost);
    expect(await notes([])).not.toContain(lost);
  });

  it("does not warn for 1.x hostDocker: with host networking the app is on the node, without it on the node's Docker bridge", async () => {
    expect(await notes(hostDocker1x)).not.toContain(webhookWarning);
    expect(await notes([...hostDocker1x, "sandbox.hostDocker.hostNetwork=true"])).not.toContain(webhookWarning);
  });

  it("with 1.x hostDocker, says where sandboxes reach the app, and warns when a NetworkPolicy may drop it", async () => {
    const published = "Sandboxes on the node call the app at host.docker.internal:3000: the app's port is published on the node's Docker bridge address 172.17.0.1 only";
    const dropped = "WARNING: the NetworkPolicy admits only the Service's port, so sandboxes' calls to port 3000 are dropped";
    expect(await notes(hostDocker1x)).toContain(published);
    expect(await notes(hostDocker1x)).not.toContain(dropped);
    expect(await notes([...hostDocker1x, "networkPolicy.enabled=true"])).toContain(dropped);
    expect(await notes([...hostDocker1x, "sandbox.hostDocker.hostNetwork=true"])).not.toContain(published);
  });

  it("does not warn where the webhooks land in the pod: dind and process sandboxes", async () => {
    expect(await notes([])).not.toContain(webhookWarning);
    expect(await notes([], ["ci/v1-process-values.yaml"])).not.toContain(webhookWarning);
  });

  it("warns that state is lost without a state volume", async () => {
    expect(await notes(["persistence.state.enabled=false"])).toContain("WARNING: persistence.state.enabled is false");
  });
});
