// tunnel: cloudflared in front of the chart's Service.
import { describe, expect, it } from "vitest";
import { getObject, render } from "../ts/lib/render.ts";
import { container, envOf, serverDeployment, type Deployment } from "../ts/lib/workload.ts";
import { restrictedViolations } from "../ts/lib/pod-security.ts";

const tunnel = { auth: { mode: "cloudflareAccess" }, tunnel: { enabled: true, hostname: "oh.example.com", token: { existingSecret: "cf", key: "token" } } };

async function cloudflared(values: Record<string, unknown> = {}) {
  const { objects } = await render({ values: { ...tunnel, ...values } });
  return { objects, deployment: getObject<Deployment>(objects, "Deployment", "openhands-tunnel") };
}

describe("Cloudflare Tunnel", () => {
  it("runs cloudflared with the token from the Secret, its metrics on 0.0.0.0:2000 and the protocol asked for", async () => {
    const { deployment } = await cloudflared({ tunnel: { ...tunnel.tunnel, protocol: "http2" } });
    const c = container(deployment.spec.template.spec, "cloudflared") as any;
    expect(c.image).toBe("docker.io/cloudflare/cloudflared:2026.8.2");
    expect(c.args).toEqual(["tunnel", "--metrics", "0.0.0.0:2000", "run", "--protocol", "http2"]);
    expect(envOf(c).TUNNEL_TOKEN).toEqual({ secretKeyRef: { name: "cf", key: "token" } });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/ready", port: "metrics" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/ready", port: "metrics" });
    expect(c.ports).toEqual([{ name: "metrics", containerPort: 2000, protocol: "TCP" }]);
  });

  it("runs as cloudflared's non-root user at the restricted level", async () => {
    const { deployment } = await cloudflared();
    expect(restrictedViolations(deployment.spec.template.spec)).toEqual([]);
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true });
  });

  it("stays off the OpenHands node by a required pod anti-affinity, merged with the user's affinity", async () => {
    const notOnNode = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "NotIn", values: ["golyat-1"] }] }] } } };
    const { deployment } = await cloudflared({ tunnel: { ...tunnel.tunnel, affinity: notOnNode, replicas: 3, tolerations: [{ key: "edge", operator: "Exists" }] } });
    const spec = deployment.spec.template.spec as any;
    expect(spec.affinity.nodeAffinity).toEqual(notOnNode.nodeAffinity);
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "openhands", "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "server" } } },
    ]);
    expect(deployment.spec.replicas).toBe(3);
    expect(spec.tolerations).toEqual([{ key: "edge", operator: "Exists" }]);
  });

  it("tunnel.avoidOpenHandsNode false drops the anti-affinity", async () => {
    const { deployment } = await cloudflared({ tunnel: { ...tunnel.tunnel, avoidOpenHandsNode: false } });
    expect((deployment.spec.template.spec as any).affinity).toBeUndefined();
  });

  it("its pods are not selected by the server's Service or the server's selector", async () => {
    const { objects, deployment } = await cloudflared();
    const svc = getObject(objects, "Service") as any;
    const labels = deployment.spec.template.metadata.labels;
    expect(Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v)).toBe(false);
    expect(deployment.spec.selector.matchLabels["app.kubernetes.io/component"]).toBe("tunnel");
  });

  it("counts as a routed exposure: sandbox paths, CORS origin and the NetworkPolicy follow it", async () => {
    const { objects } = await cloudflared({ networkPolicy: { enabled: true } });
    const env = envOf(container(serverDeployment(objects).spec.template.spec, "openhands"));
    expect(env.SANDBOX_CONTAINER_URL_PATTERN).toBe("http://localhost/sandbox/{port}");
    expect(String(env.PERMITTED_CORS_ORIGINS)).toContain("https://oh.example.com");
    const policy = getObject(objects, "NetworkPolicy") as any;
    expect(policy.spec.ingress[0].from).toContainEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "openhands", "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "tunnel" } },
    });
  });
});
