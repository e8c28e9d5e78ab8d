// Attacks on the lock: each case renders what an attacker (or a careless value) would use,
// with both pinned Helms, and asserts the refusal naming the key, or that the attack finds
// nothing. The gateway cases run the generated config in a real nginx with stand-in app and
// sandbox servers and assert what each Host reaches and which headers a sandbox receives.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { getObject, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { clusterApiVersions, helms } from "../ts/lib/presets.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { canUnshareNetwork, findNginx } from "../ts/lib/nginx.ts";
import type { ProbeName, ProbeResult } from "../ts/lib/gateway-probe.ts";

type Values = Record<string, unknown>;

const oidc = { existingSecret: "oauth", oidcIssuerUrl: "https://sso.example.com", emailDomains: ["example.com"] };
const authModes: Record<string, Values> = {
  none: { auth: { mode: "none" } },
  oauth2Proxy: { auth: { mode: "oauth2Proxy", oauth2Proxy: oidc }, ingress: { enabled: true, className: "nginx" } },
  ingressNginx: {
    auth: { mode: "ingressNginx", ingressNginx: { authUrl: "https://auth.example.com/oauth2/auth", authSignin: "https://auth.example.com/oauth2/start" } },
    ingress: { enabled: true, className: "nginx" },
  },
  cloudflareAccess: { auth: { mode: "cloudflareAccess" }, tunnel: { enabled: true, hostname: "openhands.example.com", token: { existingSecret: "tunnel" } } },
  external: { auth: { mode: "external", external: { description: "forward auth on the Gateway" } }, httpRoute: { enabled: true, hostnames: ["openhands.example.com"] } },
};
const hostRouting = { gateway: { routing: "host", hostDomain: "sandbox.example.com" } };

/** Renders the attack with every pinned Helm; each must refuse it with the message. */
async function refusedByEveryHelm(values: Values, message: string | RegExp): Promise<void> {
  for (const helm of helms) {
    const error = await renderError({ values, helm, apiVersions: clusterApiVersions });
    if (typeof message === "string") expect(error, helm).toContain(message);
    else expect(error, helm).toMatch(message);
  }
}

async function renderedByEveryHelm(values: Values): Promise<K8sObject[]> {
  const renders = await Promise.all(helms.map((helm) => render({ values, helm, apiVersions: clusterApiVersions })));
  expect(renders[1].manifest).toBe(renders[0].manifest);
  return renders[0].objects;
}

describe("sandbox hosts never serve the app", () => {
  it("an app host under the sandbox domain is refused: sandbox names stay outside the sign-in", async () => {
    await refusedByEveryHelm(
      { ...authModes.external, sandbox: { gateway: { routing: "host", hostDomain: "example.com" } } },
      "sandbox.gateway.hostDomain: the app's host openhands.example.com lies under the sandbox domain example.com",
    );
    await refusedByEveryHelm(
      { ...authModes.cloudflareAccess, sandbox: { gateway: { routing: "host", hostDomain: "openhands.example.com" } } },
      "sandbox.gateway.hostDomain: the app's host openhands.example.com lies under the sandbox domain openhands.example.com",
    );
  });
});

describe("the gateway's nginx config takes no injected directives", () => {
  it("a sandbox domain carrying nginx syntax is refused even when the schema is skipped", async () => {
    for (const helm of helms) {
      const error = await renderError({
        helm,
        values: { sandbox: { gateway: { routing: "host", hostDomain: "sandbox.example.com; } server { listen 3000; location / { proxy_pass http://127.0.0.1:3001" } } },
        extraArgs: ["--skip-schema-validation"],
      });
      expect(error, helm).toContain('sandbox.gateway.hostDomain: "sandbox.example.com; } server');
      expect(error, helm).toContain("is not a DNS name.");
    }
  });
});

describe("sign-in that admits anyone counts as no sign-in", () => {
  const exposed = { ingress: { enabled: true, className: "nginx" } };
  it.each([
    ["github", { provider: "github" }, "GitHub"],
    ["google", { provider: "google" }, "Google"],
    ["gitlab.com", { provider: "gitlab" }, "GitLab"],
    ["oidc at accounts.google.com", { provider: "oidc", oidcIssuerUrl: "https://accounts.google.com" }, "https://accounts.google.com"],
    ["entra-id, every tenant", { provider: "entra-id", oidcIssuerUrl: "https://login.microsoftonline.com/common/v2.0" }, "Microsoft"],
  ])("provider %s with emailDomains [\"*\"] is refused without the acknowledgement", async (_what, provider, who) => {
    const values = { ...exposed, auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "oauth", emailDomains: ["*"], ...provider } } };
    await refusedByEveryHelm(values, `auth.oauth2Proxy.emailDomains: ["*"] with provider ${provider.provider} and no allowedEmails, allowedGroups or organisation restriction lets in anyone with a ${who} account, so the Ingress would be open to everyone`);
    await renderedByEveryHelm({ ...values, auth: { ...values.auth, acknowledgeUnauthenticated: true } });
  });

  it.each([
    ["an organisation in extraArgs", { extraArgs: ["--github-org=my-org"] }],
    ["a team in extraArgs", { extraArgs: ["--github-team=core"] }],
    ["allowedEmails", { allowedEmails: ["me@example.com"] }],
    ["allowedGroups", { allowedGroups: ["admins"] }],
    ["an email domain of one's own", { emailDomains: ["example.com"] }],
  ])("github is accepted when restricted by %s", async (_what, restriction) => {
    await renderedByEveryHelm({ ...exposed, auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "oauth", provider: "github", emailDomains: ["*"], ...restriction } } });
  });

  it("a self-hosted GitLab or a private OIDC issuer is not a public provider", async () => {
    await renderedByEveryHelm({ ...exposed, auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "oauth", provider: "gitlab", oidcIssuerUrl: "https://gitlab.internal.example.com", emailDomains: ["*"] } } });
    await renderedByEveryHelm({ ...exposed, auth: { mode: "oauth2Proxy", oauth2Proxy: oidc } });
  });
});

describe("ways in that pass every proxy in the pod", () => {
  const signIn = { mode: "oauth2Proxy", oauth2Proxy: oidc };

  it("process sandboxes on a LoadBalancer: agent servers are reached through the sign-in, with no port of their own", async () => {
    const values = { auth: signIn, service: { type: "LoadBalancer" }, sandbox: { mode: "process", process: { ports: 5 } } };
    const objects = await renderedByEveryHelm(values);
    const service = getObject(objects, "Service") as any;
    expect(service.spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual([[3000, "oauth2-proxy"]]);
  });

  it("process sandboxes behind a ClusterIP Service are no exposure", async () => {
    await renderedByEveryHelm({ sandbox: { mode: "process" } });
  });

  it("remote Docker publishes sandbox ports on its machine: refused without auth.mode external or the acknowledgement", async () => {
    const sandbox = { mode: "remoteDocker", remoteDocker: { host: "tcp://192.168.1.20:2376", tlsSecretName: "docker-tls" } };
    await refusedByEveryHelm({ sandbox }, "sandbox.mode: sandbox ports published by the remote Docker daemon on every address of its machine would expose OpenHands without authentication");
    await refusedByEveryHelm({ auth: signIn, sandbox }, "sandbox.mode: auth.mode oauth2Proxy does not protect sandbox ports published by the remote Docker daemon");
    await renderedByEveryHelm({ auth: { acknowledgeUnauthenticated: true }, sandbox });
  });

  it("0.x kubernetes runtime: the VS Code Ingress per conversation on ingressDomain counts as an exposure", async () => {
    const sandbox = {
      mode: "kubernetes",
      image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" },
      kubernetes: { namespace: "openhands-runtimes", createNamespace: true, ingressDomain: "rt.example.com" },
    };
    const values = { openhands: { image: { tag: "0.62" } }, sandbox };
    await refusedByEveryHelm(values, "sandbox.kubernetes.ingressDomain: the VS Code Ingress OpenHands creates for each conversation at <id>.<ingressDomain> (guarded only by the token in its URL) would expose OpenHands without authentication");
    await refusedByEveryHelm({ ...values, auth: signIn }, "sandbox.kubernetes.ingressDomain: auth.mode oauth2Proxy does not protect the VS Code Ingress");
  });
});

describe("Services published by an operator", () => {
  it.each([["tailscale.com/expose"], ["tailscale.com/hostname"], ["tailscale.com/funnel"]])("a ClusterIP Service with the %s annotation counts as an exposure", async (annotation) => {
    const values = { service: { annotations: { [annotation]: "true" } } };
    await refusedByEveryHelm(values, `service.annotations.${annotation}: the Service, which`);
    await renderedByEveryHelm({ ...values, auth: { mode: "oauth2Proxy", oauth2Proxy: oidc } });
  });
});

describe("NOTES.txt and the guard agree on what is exposed", () => {
  async function notes(values: Values): Promise<string> {
    const dir = mkdtempSync(path.join(tmpdir(), "notes-"));
    const file = path.join(dir, "values.yaml");
    writeFileSync(file, JSON.stringify(values));
    const { stdout } = await execa(helmBinary("helm4"), ["install", "openhands", repoRoot, "--dry-run=client", "--namespace", "ai", "--values", file]);
    return stdout.slice(stdout.indexOf("NOTES:"));
  }
  const cases: [string, Values, string[]][] = [
    ["the tunnel", { ...authModes.cloudflareAccess }, ["tunnel.enabled"]],
    ["host networking and the node's sandbox ports", { auth: { mode: "cloudflareAccess", acknowledgeUnauthenticated: true }, tunnel: authModes.cloudflareAccess.tunnel, nodeSelector: { a: "b" }, openhands: { image: { tag: "0.62" } }, sandbox: { mode: "hostDocker", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" }, hostDocker: { hostNetwork: true } } }, ["tunnel.enabled", "sandbox.hostDocker.hostNetwork", "sandbox.mode"]],
    ["an Ingress and an operator's Service annotation", { auth: authModes.external.auth, ingress: { enabled: true }, service: { annotations: { "tailscale.com/expose": "true" } } }, ["ingress.enabled", "service.annotations.tailscale.com/expose"]],
    ["nothing", {}, []],
  ];
  it.each(cases)("with %s, NOTES lists exactly the ways in the guard judges", async (_what, values, keys) => {
    const text = await notes(values);
    const listed = [...text.matchAll(/^ {2}- ([\w./-]+): /gm)].map((m) => m[1]);
    expect(listed).toEqual(keys);
    if (keys.length === 0) expect(text).toContain("Nothing is exposed outside the cluster");
  });

  it("names every unprotected way in its warning, and the lock of each protected one", async () => {
    const text = await notes(cases[1][1]);
    expect(text).toContain("  - tunnel.enabled: the Cloudflare Tunnel; behind auth.mode cloudflareAccess");
    expect(text).toContain("  - sandbox.mode: sandbox ports published by the node's Docker daemon on every node address (0.x sandboxes check no key); NOT PROTECTED");
    expect(text).toContain("WARNING: OpenHands is exposed WITHOUT authentication (sandbox.hostDocker.hostNetwork, sandbox.mode; accepted with auth.acknowledgeUnauthenticated).");
  });

  it("warns when oauth2-proxy admits anyone with a public account", async () => {
    const text = await notes({ ingress: { enabled: true }, auth: { mode: "oauth2Proxy", acknowledgeUnauthenticated: true, oauth2Proxy: { existingSecret: "s", provider: "github", emailDomains: ["*"] } } });
    expect(text).toContain("WARNING: oauth2-proxy admits anyone with a GitHub account");
    expect(text).toContain("  - ingress.enabled: the Ingress; NOT PROTECTED");
  });
});

// The gateway's generated config in a real nginx (Debian's nginx-light, installed by .ci/run).
const nginx = findNginx();
const live = !!nginx && canUnshareNetwork();
if (process.env.CI && !live) throw new Error("CI needs nginx and unshare for the gateway attacks: .ci/run installs nginx-light");

async function probe(values: Values): Promise<Record<ProbeName, ProbeResult>> {
  const objects = (await render({ values, apiVersions: clusterApiVersions })).objects;
  const config = (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"] as string;
  const dir = mkdtempSync(path.join(tmpdir(), "gateway-attack-"));
  writeFileSync(path.join(dir, "nginx.conf"), config);
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  const { stdout } = await execa("unshare", ["--net", "--map-root-user", tsx, path.join(repoRoot, "ts/lib/gateway-probe.ts"), path.join(dir, "nginx.conf"), nginx!]);
  return JSON.parse(stdout);
}

const underSandboxDomain = ["sandboxDomainItself", "sandboxDomainWord", "sandboxDomainNested", "sandboxDomainUpperCase", "sandboxDomainTrailingDot", "sandboxDomainWithPort"] as const;
const withSignInCookies = ["sandboxHostWithCookies", "sandboxPathWithCookies", "sandboxPathOnLoopbackWithCookies"] as const;

describe.runIf(live).each(Object.keys(authModes))("the gateway in a real nginx, with host routing and auth.mode %s", (mode) => {
  let results: Record<ProbeName, ProbeResult>;
  beforeAll(async () => {
    results = await probe({ ...authModes[mode], sandbox: hostRouting });
  });

  it("a Host under the sandbox domain that is not <port>.<domain> gets 404, never the app", () => {
    for (const name of underSandboxDomain) expect({ name, ...results[name] }).toEqual({ name, status: 404 });
  });

  it("<port>.<domain> reaches that sandbox port, whatever the case of the name", () => {
    expect(results.sandboxHost.seen).toMatchObject({ server: "sandbox-40123", host: "40123.sandbox.example.com" });
    expect(results.sandboxHostUpperCase.seen).toMatchObject({ server: "sandbox-40123" });
    expect(results.sandboxHostDockerPort).toEqual({ status: 403 });
  });

  it("a sandbox receives no sign-in cookie (oauth2-proxy's or Cloudflare Access's), by host or by path, and keeps its own", () => {
    // Behind oauth2-proxy the pod address serves no sandbox path at all (404); the signed-in
    // path goes through the proxy to the loopback router.
    const reached = mode === "oauth2Proxy" ? withSignInCookies.filter((n) => n !== "sandboxPathWithCookies") : withSignInCookies;
    if (mode === "oauth2Proxy") expect(results.sandboxPathWithCookies).toEqual({ status: 404 });
    for (const name of reached) {
      expect({ name, cookie: results[name].seen?.cookie, server: results[name].seen?.server }).toEqual({ name, cookie: "theme=dark; app_session=keep", server: "sandbox-40123" });
    }
    expect(results.sandboxHostWithManyCookies.seen).toMatchObject({ server: "sandbox-40123" });
    expect(results.sandboxHostWithManyCookies.seen?.cookie).toBeUndefined();
    expect(results.sandboxHostWithOnlySignInCookie.seen?.cookie).toBeUndefined();
  });

  it("the app itself still receives the cookies", () => {
    expect(results.appWithCookies.seen).toMatchObject({ server: "app", cookie: expect.stringContaining("_oauth2_proxy=session-secret") });
  });
});

describe("sign-in cookie names", () => {
  it("the gateway also strips oauth2-proxy's --cookie-name from auth.oauth2Proxy.extraArgs", async () => {
    const values = { auth: { mode: "oauth2Proxy", oauth2Proxy: { ...oidc, extraArgs: ["--cookie-name=__Host-oh"] } } };
    const objects = (await render({ values })).objects;
    const config = (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"] as string;
    expect(config).toContain("(?:_oauth2_proxy|CF_Authorization|__Host-oh)[^=;]*=");
  });
});
