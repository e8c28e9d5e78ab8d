// networkPolicy: who may reach the pod, and what the agent may reach.
import { describe, expect, it } from "vitest";
import { getObject, render } from "../ts/lib/render.ts";

async function policy(values: Record<string, unknown>) {
  const { objects } = await render({ values: { networkPolicy: { enabled: true, ...values } } });
  return getObject(objects, "NetworkPolicy", "openhands") as any;
}

describe("NetworkPolicy", () => {
  it("is not rendered unless networkPolicy.enabled", async () => {
    const { objects } = await render({ values: {} });
    expect(objects.some((o) => o.kind === "NetworkPolicy")).toBe(false);
  });

  it("selects the server pod", async () => {
    expect((await policy({})).spec.podSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "openhands",
      "app.kubernetes.io/instance": "openhands",
      "app.kubernetes.io/component": "server",
    });
  });

  // helm test's pod (labelled with the release and component test) checks the Service.
  const helmTestPeer = { podSelector: { matchLabels: { "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "test" } } };

  it("lets only helm test's pod in when no peer is listed (port-forward still works)", async () => {
    const p = await policy({});
    expect(p.spec.policyTypes).toEqual(["Ingress"]);
    expect(p.spec.ingress).toEqual([{ from: [helmTestPeer], ports: [{ port: "gateway", protocol: "TCP" }] }]);
  });

  it("helm test's pod carries the labels the policy admits", async () => {
    const { objects } = await render({ values: { networkPolicy: { enabled: true } } });
    const testPod = objects.find((o) => o.kind === "Pod" && o.metadata.annotations?.["helm.sh/hook"] === "test")!;
    expect(testPod.metadata.labels).toMatchObject(helmTestPeer.podSelector.matchLabels);
  });

  it("lets the ingress controller's namespace and extra peers reach only the app's port", async () => {
    const p = await policy({ ingressControllerNamespaces: ["ingress-nginx"], extraIngressFrom: [{ podSelector: { matchLabels: { app: "monitor" } } }] });
    expect(p.spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
          { podSelector: { matchLabels: { app: "monitor" } } },
          helmTestPeer,
        ],
        ports: [{ port: "gateway", protocol: "TCP" }],
      },
    ]);
  });

  it("with host routing behind oauth2-proxy, admits the sandbox gateway's Service port as well as the proxy's", async () => {
    const { objects } = await render({
      values: {
        networkPolicy: { enabled: true, ingressControllerNamespaces: ["ingress-nginx"] },
        auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "s", oidcIssuerUrl: "https://sso", emailDomains: ["*"] } },
        sandbox: { gateway: { routing: "host", hostDomain: "sandbox.example.com" } },
      },
    });
    const service = getObject(objects, "Service", "openhands") as any;
    const admitted = (getObject(objects, "NetworkPolicy") as any).spec.ingress[0].ports.map((p: any) => p.port);
    expect(admitted).toEqual(["oauth2-proxy", "gateway"]);
    expect(admitted).toEqual(service.spec.ports.map((p: any) => p.targetPort));
  });

  it("with oauth2-proxy, only the proxy's port is reachable, not the app's", async () => {
    const { objects } = await render({
      values: {
        networkPolicy: { enabled: true, ingressControllerNamespaces: ["traefik"] },
        auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "s", oidcIssuerUrl: "https://sso", emailDomains: ["*"] } },
      },
    });
    expect((getObject(objects, "NetworkPolicy") as any).spec.ingress[0].ports).toEqual([{ port: "oauth2-proxy", protocol: "TCP" }]);
  });

  it("in process mode only the gateway is reachable: agent servers are behind it", async () => {
    const { objects } = await render({ values: { sandbox: { mode: "process", process: { ports: 2 } }, networkPolicy: { enabled: true, ingressControllerNamespaces: ["lan"] } } });
    expect((getObject(objects, "NetworkPolicy") as any).spec.ingress[0].ports).toEqual([{ port: "gateway", protocol: "TCP" }]);
  });

  it("leaves egress open by default: the agent needs the internet", async () => {
    const p = await policy({});
    expect(p.spec).not.toHaveProperty("egress");
    expect(p.spec.policyTypes).not.toContain("Egress");
  });

  it("egress.restrict allows DNS and the public internet, but no private, CGNAT or link-local range", async () => {
    const p = await policy({ egress: { restrict: true } });
    expect(p.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(p.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
      },
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"] } }] },
    ]);
  });

  it("egress.allowInternet false with extraTo allows only DNS and the listed destinations", async () => {
    const llm = { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "litellm" } } }], ports: [{ port: 4000 }] };
    const p = await policy({ egress: { restrict: true, allowInternet: false, extraTo: [llm] } });
    expect(p.spec.egress).toHaveLength(2);
    expect(p.spec.egress[1]).toEqual(llm);
  });
  it("admits remoteDocker's callback listener from sandbox.remoteDocker.callback.allowFrom only, beside the Service's port", async () => {
    const { objects } = await render({
      values: {
        networkPolicy: { enabled: true },
        auth: { mode: "external", external: { description: "LAN firewall" } },
        sandbox: {
          mode: "remoteDocker",
          remoteDocker: { host: "tcp://192.168.10.20:2376", tlsSecretName: "docker-tls", callback: { address: "192.168.10.5", service: { type: "NodePort", nodePort: 30302 }, allowFrom: ["192.168.10.20/32", "192.168.10.0/28"] } },
        },
      },
    });
    const ingress = (getObject(objects, "NetworkPolicy", "openhands") as any).spec.ingress;
    expect(ingress).toHaveLength(2);
    expect(ingress[0].ports).toEqual([{ port: "gateway", protocol: "TCP" }]);
    expect(ingress[1]).toEqual({ from: [{ ipBlock: { cidr: "192.168.10.20/32" } }, { ipBlock: { cidr: "192.168.10.0/28" } }], ports: [{ port: "callback", protocol: "TCP" }] });
  });
});
