// Locked by default: every exposure needs authentication, and oauth2-proxy carries the traffic.
import { describe, expect, it } from "vitest";
import { getObject, render, renderError } from "../ts/lib/render.ts";
import { helms } from "../ts/lib/presets.ts";
import { container, envOf, serverDeployment, volume } from "../ts/lib/workload.ts";
import { clusterApiVersions } from "../ts/lib/presets.ts";

const exposures: Record<string, Record<string, unknown>> = {
  Ingress: { ingress: { enabled: true, className: "nginx" } },
  HTTPRoute: { httpRoute: { enabled: true, hostnames: ["oh.example.com"] } },
  "NodePort Service": { service: { type: "NodePort", nodePort: 30080 } },
  "LoadBalancer Service": { service: { type: "LoadBalancer" } },
};
const guardKey: Record<string, RegExp> = {
  Ingress: /^Error: .*ingress\.enabled: /m,
  HTTPRoute: /^Error: .*httpRoute\.enabled: /m,
  "NodePort Service": /^Error: .*service\.type: /m,
  "LoadBalancer Service": /^Error: .*service\.type: /m,
};

const oauth2Proxy = {
  mode: "oauth2Proxy",
  oauth2Proxy: { existingSecret: "oauth", oidcIssuerUrl: "https://sso.example.com", emailDomains: ["example.com"] },
};
const ingressNginx = {
  mode: "ingressNginx",
  ingressNginx: { authUrl: "https://auth.example.com/oauth2/auth", authSignin: "https://auth.example.com/oauth2/start" },
};
const declarations: Record<string, Record<string, unknown>> = {
  "auth.mode oauth2Proxy": oauth2Proxy,
  "auth.mode external": { mode: "external", external: { description: "VPN only" } },
  "auth.acknowledgeUnauthenticated": { acknowledgeUnauthenticated: true },
};

const withApis = (values: Record<string, unknown>) => ({ values, apiVersions: clusterApiVersions });

describe("exposure guard", () => {
  describe.each(Object.keys(exposures))("the %s", (exposure) => {
    it("is refused without authentication, with a message saying how to add it or accept the risk", async () => {
      const message = await renderError(withApis(exposures[exposure]));
      expect(message).toMatch(guardKey[exposure]);
      expect(message).toContain("without authentication");
      expect(message).toContain("auth.mode to oauth2Proxy");
      expect(message).toContain("auth.acknowledgeUnauthenticated: true");
    });

    it.each(Object.keys(declarations))("renders with %s", async (declaration) => {
      const { objects } = await render(withApis({ ...exposures[exposure], auth: declarations[declaration] }));
      expect(objects.some((o) => o.kind === "Deployment")).toBe(true);
    });
  });

  it("auth.mode ingressNginx covers an nginx Ingress", async () => {
    const { objects } = await render({ values: { ...exposures.Ingress, auth: ingressNginx } });
    expect(getObject(objects, "Ingress").metadata.annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/auth-url": "https://auth.example.com/oauth2/auth",
      "nginx.ingress.kubernetes.io/auth-signin": "https://auth.example.com/oauth2/start",
    });
  });

  it.each(["HTTPRoute", "LoadBalancer Service"])("auth.mode ingressNginx does not cover the %s", async (exposure) => {
    const message = await renderError(withApis({ ...exposures[exposure], auth: ingressNginx }));
    expect(message).toContain("auth.mode ingressNginx does not protect");
  });

  it("auth.mode cloudflareAccess does not cover an Ingress", async () => {
    const message = await renderError({ values: { ...exposures.Ingress, auth: { mode: "cloudflareAccess" } } });
    expect(message).toMatch(/ingress\.enabled: auth\.mode cloudflareAccess does not protect the Ingress/);
  });

  it("auth.mode ingressNginx is refused on an Ingress of another class", async () => {
    const message = await renderError({ values: { ingress: { enabled: true, className: "traefik" }, auth: ingressNginx } });
    expect(message).toContain("ingress.className: auth.mode ingressNginx works only on the ingress-nginx controller");
  });

  it("an auth-url typed into ingress.annotations is pointed at auth.mode ingressNginx", async () => {
    const message = await renderError({ values: { ingress: { enabled: true, annotations: { "nginx.ingress.kubernetes.io/auth-url": "https://x" } } } });
    expect(message).toContain("ingress.annotations: nginx.ingress.kubernetes.io/auth-url puts external authentication on the Ingress while auth.mode is none");
    expect(message).toContain("Declare it with auth.mode ingressNginx");
  });

  it("a ClusterIP Service alone needs no authentication", async () => {
    await expect(render({ values: {} })).resolves.toBeDefined();
  });
});

describe("oauth2-proxy sidecar", () => {
  async function pod(values: Record<string, unknown> = {}) {
    const { objects } = await render({ values: { auth: oauth2Proxy, ...values } });
    return { objects, spec: serverDeployment(objects).spec.template.spec };
  }

  it("the Service sends traffic to the proxy, never straight to the app", async () => {
    const { objects } = await pod();
    const svc = getObject(objects, "Service") as any;
    expect(svc.spec.ports[0].targetPort).toBe("oauth2-proxy");
  });

  it("proxies signed-in requests to the app on the pod's loopback", async () => {
    const { spec } = await pod();
    const proxy = container(spec, "oauth2-proxy");
    expect(proxy.args).toEqual(expect.arrayContaining([
      "--http-address=0.0.0.0:4180",
      "--upstream=http://127.0.0.1:3000/",
      "--provider=oidc",
      "--oidc-issuer-url=https://sso.example.com",
      "--email-domain=example.com",
      "--reverse-proxy=true",
      "--cookie-secure=true",
    ]));
    expect(proxy.ports).toEqual([{ name: "oauth2-proxy", containerPort: 4180, protocol: "TCP" }]);
    // With the sandbox gateway, 127.0.0.1:3000 is its router, which passes the app's paths on to 3001.
    expect(container(spec, "openhands").ports![0]).toMatchObject({ name: "http", containerPort: 3001 });
  });

  it("reads client ID, client secret and cookie secret from auth.oauth2Proxy.existingSecret", async () => {
    const { spec } = await pod({ auth: { ...oauth2Proxy, oauth2Proxy: { ...oauth2Proxy.oauth2Proxy, secretKeys: { clientId: "id", clientSecret: "secret", cookieSecret: "cookie" } } } });
    expect(envOf(container(spec, "oauth2-proxy"))).toEqual({
      OAUTH2_PROXY_CLIENT_ID: { secretKeyRef: { name: "oauth", key: "id" } },
      OAUTH2_PROXY_CLIENT_SECRET: { secretKeyRef: { name: "oauth", key: "secret" } },
      OAUTH2_PROXY_COOKIE_SECRET: { secretKeyRef: { name: "oauth", key: "cookie" } },
    });
  });

  it("allowedEmails become an authenticated-emails file from a ConfigMap, and its checksum rolls the pod", async () => {
    const values = (emails: string[]) => ({ auth: { ...oauth2Proxy, oauth2Proxy: { ...oauth2Proxy.oauth2Proxy, emailDomains: [], allowedEmails: emails } } });
    const a = await pod(values(["a@example.com", "b@example.com"]));
    const cm = getObject(a.objects, "ConfigMap", "openhands-oauth2-proxy") as any;
    expect(cm.data["allowed-emails"]).toBe("a@example.com\nb@example.com\n");
    const proxy = container(a.spec, "oauth2-proxy");
    expect(proxy.args).toContain("--authenticated-emails-file=/etc/oauth2-proxy/allowed-emails");
    expect(proxy.args!.some((arg) => arg.startsWith("--email-domain"))).toBe(false);
    expect(volume(a.spec, "oauth2-proxy-emails")).toEqual({ name: "oauth2-proxy-emails", configMap: { name: "openhands-oauth2-proxy" } });
    const b = await pod(values(["a@example.com"]));
    const checksum = (d: any) => serverDeployment(d).spec.template.metadata.annotations!["checksum/oauth2-proxy"];
    expect(checksum(a.objects)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(b.objects)).not.toBe(checksum(a.objects));
  });

  it("allowedGroups alone admit any email of those groups", async () => {
    const { spec } = await pod({ auth: { ...oauth2Proxy, oauth2Proxy: { ...oauth2Proxy.oauth2Proxy, emailDomains: [], allowedGroups: ["devs"] } } });
    expect(container(spec, "oauth2-proxy").args).toEqual(expect.arrayContaining(["--allowed-group=devs", "--email-domain=*"]));
  });

  it("derives the callback URL from the first Ingress host, and takes cookie domains as given", async () => {
    const { spec } = await pod({
      auth: { ...oauth2Proxy, oauth2Proxy: { ...oauth2Proxy.oauth2Proxy, cookieDomains: [".example.com"] } },
      ingress: { enabled: true, hosts: [{ host: "oh.example.com", paths: [{ path: "/", pathType: "Prefix" }] }] },
    });
    expect(container(spec, "oauth2-proxy").args).toEqual(expect.arrayContaining(["--redirect-url=https://oh.example.com/oauth2/callback", "--cookie-domain=.example.com"]));
  });

  it("auth.oauth2Proxy.redirectUrl wins over the derived one", async () => {
    const { spec } = await pod({ auth: { ...oauth2Proxy, oauth2Proxy: { ...oauth2Proxy.oauth2Proxy, redirectUrl: "https://x.example.com/oauth2/callback" } } });
    expect(container(spec, "oauth2-proxy").args).toContain("--redirect-url=https://x.example.com/oauth2/callback");
  });

  it("websockets pass: the proxy upgrades them itself and the Ingress keeps nginx stream timeouts", async () => {
    const { objects } = await render({ values: { auth: oauth2Proxy, ingress: { enabled: true, className: "nginx" } } });
    expect(getObject(objects, "Ingress").metadata.annotations).toMatchObject({ "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600" });
    expect(getObject(objects, "Ingress").spec).toMatchObject({ rules: [{ http: { paths: [{ backend: { service: { port: { name: "http" } } } }] } }] });
  });

  it("the proxy container meets the restricted profile by default", async () => {
    const { spec } = await pod();
    expect(container(spec, "oauth2-proxy").securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  // oauth2-proxy v7.15.6 logs every request with {{.RequestURI}}, query included; Canvas' editor URL
  // carries the session key there (tkn=), the sign-in callback its code and state.
  describe("request log", () => {
    const defaultFields = ["Client", "RequestID", "Username", "Timestamp", "Host", "RequestMethod", "Upstream", "RequestURI", "Protocol", "UserAgent", "StatusCode", "ResponseSize", "RequestDuration"];
    const formatOf = (args: string[]) => {
      const formats = args.filter((arg) => arg.startsWith("--request-logging-format="));
      return { formats, format: formats[0]?.slice("--request-logging-format=".length) ?? "" };
    };

    for (const app of ["openhands", "canvas"]) {
      it(`with app ${app}, keeps oauth2-proxy's fields but logs the URI without its query`, async () => {
        const canvas = app === "canvas" ? { app, canvas: { sessionKey: { existingSecret: "canvas-keys" } } } : {};
        for (const helm of helms) {
          const { objects } = await render({ values: { auth: oauth2Proxy, ...canvas }, helm });
          const args = container(serverDeployment(objects).spec.template.spec, "oauth2-proxy").args!;
          // Requests are still logged, not switched off.
          expect(args.filter((arg) => arg.startsWith("--request-logging="))).toEqual([]);
          const { formats, format } = formatOf(args);
          expect(formats).toHaveLength(1);
          // Every field of the default line, in the default order.
          const fields = [...format.matchAll(/\{\{(?:[^{}]*?)\.([A-Z][A-Za-z]+)\b/g)].map((m) => m[1]);
          expect([...new Set(fields)]).toEqual(defaultFields);
          expect(format).toMatch(/^\{\{\.Client\}\} - \{\{\.RequestID\}\} - \{\{\.Username\}\} \[\{\{\.Timestamp\}\}\] \{\{\.Host\}\} \{\{\.RequestMethod\}\} \{\{\.Upstream\}\} /);
          expect(format).toMatch(/ \{\{\.Protocol\}\} \{\{\.UserAgent\}\} \{\{\.StatusCode\}\} \{\{\.ResponseSize\}\} \{\{\.RequestDuration\}\}$/);
          // The URI is printed only up to its first "?", never whole.
          expect(format).not.toContain("{{.RequestURI}}");
          expect(format).toContain("{{slice .RequestURI 0 $end}}");
          expect(format).toContain(`{{if eq (index $.RequestURI $i) '?'}}{{$end = $i}}{{break}}{{end}}`);
          expect(format).toContain(`?[redacted]"`);
        }
      });
    }

    it("a --request-logging-format in auth.oauth2Proxy.extraArgs comes after the chart's, so it wins", async () => {
      const own = "--request-logging-format={{.Client}} {{.RequestMethod}} {{.StatusCode}}";
      const { spec } = await pod({ auth: { ...oauth2Proxy, oauth2Proxy: { ...oauth2Proxy.oauth2Proxy, extraArgs: [own] } } });
      const { formats } = formatOf(container(spec, "oauth2-proxy").args!);
      expect(formats).toHaveLength(2);
      expect(formats[1]).toBe(own);
    });
  });

  it("is probed on its own /ping and /ready endpoints", async () => {
    const proxy = container((await pod()).spec, "oauth2-proxy");
    expect(proxy.livenessProbe!.httpGet).toEqual({ path: "/ping", port: "oauth2-proxy" });
    expect(proxy.readinessProbe!.httpGet).toEqual({ path: "/ready", port: "oauth2-proxy" });
  });
});

describe("authentication annotations in ingress.annotations", () => {
  const nginxIngress = (annotations: Record<string, string>) => ({ ingress: { enabled: true, className: "nginx", annotations } });

  it.each([
    ["auth-url", "Remove it and set auth.ingressNginx.authUrl instead."],
    ["auth-signin", "Remove it and set auth.ingressNginx.authSignin instead."],
    ["auth-response-headers", "Remove it and set auth.ingressNginx.responseHeaders instead."],
    ["auth-snippet", "Remove it: a snippet in the auth request can turn the check off."],
  ])("with auth.mode ingressNginx, %s is refused: it would silently win over the chart's", async (name, hint) => {
    for (const helm of helms) {
      const message = await renderError({ helm, values: { ...nginxIngress({ [`nginx.ingress.kubernetes.io/${name}`]: "https://other.example.com" }), auth: ingressNginx } });
      expect(message).toContain(`ingress.annotations: nginx.ingress.kubernetes.io/${name} would override the external authentication that auth.mode ingressNginx writes on the Ingress. ${hint}`);
    }
  });

  it("with auth.mode none (risk accepted), an auth-url is refused: declare it as ingressNginx", async () => {
    for (const helm of helms) {
      const values = { ...nginxIngress({ "nginx.ingress.kubernetes.io/auth-url": "https://x" }), auth: { acknowledgeUnauthenticated: true } };
      expect(await renderError({ helm, values })).toContain(
        "ingress.annotations: nginx.ingress.kubernetes.io/auth-url puts external authentication on the Ingress while auth.mode is none, so the chart neither checks nor covers it.",
      );
    }
  });

  it.each([
    ["oauth2Proxy", oauth2Proxy],
    ["external", { mode: "external", external: { description: "SSO gate on the Ingress" } }],
  ])("with auth.mode %s, an auth-url is an extra layer in front and passes through unchanged", async (_mode, auth) => {
    const annotations = { "nginx.ingress.kubernetes.io/auth-url": "https://gate.example.com/auth" };
    const { objects } = await render({ values: { ...nginxIngress(annotations), auth } });
    expect(getObject(objects, "Ingress").metadata.annotations).toMatchObject(annotations);
  });

  it("with auth.mode ingressNginx, other nginx annotations (mTLS included) are kept", async () => {
    const annotations = { "nginx.ingress.kubernetes.io/auth-tls-secret": "openhands/ca", "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8" };
    const { objects } = await render({ values: { ...nginxIngress(annotations), auth: ingressNginx } });
    expect(getObject(objects, "Ingress").metadata.annotations).toMatchObject({ ...annotations, "nginx.ingress.kubernetes.io/auth-url": "https://auth.example.com/oauth2/auth" });
  });
});
