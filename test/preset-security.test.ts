// The presets of the "locked by default" family: what each one promises.
import { describe, expect, it } from "vitest";
import { getObject } from "../ts/lib/render.ts";
import { container, envOf, serverDeployment } from "../ts/lib/workload.ts";
import { renderPreset } from "../ts/lib/presets.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";


describe("oauth2-proxy preset", () => {
  it("sends the Ingress through oauth2-proxy, with OIDC, allowed domain and email, and a cookie for the parent domain", async () => {
    const objects = await renderPreset("oauth2-proxy");
    expect((getObject(objects, "Service") as any).spec.ports[0].targetPort).toBe("oauth2-proxy");
    expect((getObject(objects, "Ingress") as any).spec.ingressClassName).toBe("traefik");
    const proxy = container(serverDeployment(objects).spec.template.spec, "oauth2-proxy");
    expect(proxy.args).toEqual(expect.arrayContaining([
      "--oidc-issuer-url=https://sso.example.com/realms/home",
      "--email-domain=example.com",
      "--cookie-domain=.example.com",
      "--redirect-url=https://openhands.example.com/oauth2/callback",
      "--authenticated-emails-file=/etc/oauth2-proxy/allowed-emails",
    ]));
    expect((getObject(objects, "ConfigMap", "openhands-oauth2-proxy") as any).data["allowed-emails"]).toBe("friend@example.org\n");
  });
});

describe("gateway-api preset", () => {
  it("routes openhands.example.com from the public Gateway through oauth2-proxy with GitHub sign-in", async () => {
    const objects = await renderPreset("gateway-api");
    const route = getObject(objects, "HTTPRoute") as any;
    expect(route.spec.parentRefs).toEqual([{ name: "public", namespace: "gateway-system", sectionName: "https" }]);
    expect(route.spec.hostnames).toEqual(["openhands.example.com"]);
    expect(route.spec.rules[0].timeouts).toEqual({ request: "3600s", backendRequest: "3600s" });
    expect((getObject(objects, "Service") as any).spec.ports[0].targetPort).toBe("oauth2-proxy");
    expect(container(serverDeployment(objects).spec.template.spec, "oauth2-proxy").args).toEqual(
      expect.arrayContaining(["--provider=github", "--github-org=example-org", "--redirect-url=https://openhands.example.com/oauth2/callback"]),
    );
    expect(objects.some((o) => o.kind === "Ingress")).toBe(false);
  });
});

describe("network-policy preset", () => {
  it("lets only the traefik namespace in and restricts egress to DNS and the public internet", async () => {
    const objects = await renderPreset("network-policy");
    const policy = getObject(objects, "NetworkPolicy") as any;
    expect(policy.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "test" } } },
    ]);
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec.egress[1].to[0].ipBlock.except).toContain("169.254.0.0/16");
  });
});

describe("hardened preset", () => {
  it("runs process sandboxes in a restricted pod, behind oauth2-proxy and a NetworkPolicy, in a namespace that enforces restricted", async () => {
    const objects = await renderPreset("hardened");
    const spec = serverDeployment(objects).spec.template.spec;
    expect(podSecurityLevel(spec)).toBe("restricted");
    expect(envOf(container(spec, "openhands")).RUNTIME).toBe("process");
    expect(spec.containers.map((c) => c.name)).toEqual(["openhands", "oauth2-proxy", "gateway"]);
    // The browser reaches agent servers on the Ingress host, through the sign-in and the gateway.
    expect(envOf(container(spec, "openhands")).PROCESS_SANDBOX_URL_PATTERN).toBe("http://localhost/sandbox/{port}");
    expect(envOf(container(spec, "openhands")).OH_ALLOW_CORS_ORIGINS_1).toBe("https://openhands.example.com");
    expect((getObject(objects, "NetworkPolicy") as any).spec.ingress[0].ports[0]).toEqual({ port: "oauth2-proxy", protocol: "TCP" });
    expect(getObject(objects, "Namespace", "openhands").metadata.labels!["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("takes JWT_SECRET from the Secret openhands-jwt, so sessions survive a lost volume", async () => {
    const spec = serverDeployment(await renderPreset("hardened")).spec.template.spec;
    expect(envOf(container(spec, "openhands")).JWT_SECRET).toEqual({ secretKeyRef: { name: "openhands-jwt", key: "jwt-secret" } });
  });
});
