// auth.mode oauth2Proxy with provider oidc, for real: the oauth2-proxy binary runs with the
// args and environment the chart renders for ci/oauth2-proxy-values.yaml (only addresses and
// secrets replaced), behind a TLS ingress stand-in and in front of a stand-in app, against a
// local OIDC issuer; Chromium signs in through the issuer's login form.
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getObject, render, type K8sObject } from "../../ts/lib/render.ts";
import { openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import { localCommand, containerOf } from "../../ts/runtime/container-command.ts";
import { echoMarker, startEchoUpstream, type EchoUpstream } from "../../ts/runtime/echo-upstream.ts";
import { oauth2ProxyBinary } from "../../ts/runtime/oauth2-proxy-binary.ts";
import { loginForm, startOidcIssuer, type OidcIssuer, type OidcUser } from "../../ts/runtime/oidc-issuer.ts";
import { freePort } from "../../ts/runtime/ports.ts";
import { startProcess, type StartedProcess } from "../../ts/runtime/process.ts";
import { startReverseProxy, type ReverseProxy } from "../../ts/runtime/reverse-proxy.ts";
import { selfSignedCert } from "../../ts/runtime/tls-cert.ts";

const users = {
  // In the preset's emailDomains (example.com).
  alice: { username: "alice", password: "alice-password", email: "alice@example.com", groups: ["admins", "developers"] },
  // Outside the domain, but listed in allowedEmails.
  friend: { username: "friend", password: "friend-password", email: "friend@example.org", groups: [] },
  // Neither in the domain nor in the list.
  mallory: { username: "mallory", password: "mallory-password", email: "mallory@elsewhere.org", groups: ["admins"] },
  // In the domain, but the issuer has not verified the address.
  unverified: { username: "unverified", password: "unverified-password", email: "unverified@example.com", emailVerified: false },
} satisfies Record<string, OidcUser>;

const secret = { "client-id": "openhands", "client-secret": "client-secret-for-tests", "cookie-secret": "0123456789abcdef0123456789abcdef" };

let objects: K8sObject[];
let host: string;
let issuer: OidcIssuer;
let upstream: EchoUpstream;
let proxy: StartedProcess;
let proxyPort: number;
let ingress: ReverseProxy;
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  ({ objects } = await render({ valuesFiles: ["ci/oauth2-proxy-values.yaml"] }));
  const deployment = getObject(objects, "Deployment", "openhands");
  const ingressObject = getObject<{ spec: { rules: { host: string }[] } }>(objects, "Ingress", "openhands");
  host = ingressObject.spec.rules[0].host;
  const container = containerOf(deployment, "oauth2-proxy");
  const redirectUrl = flagValue(container.args ?? [], "--redirect-url");
  const secretName = (container.env ?? []).find((e) => e.valueFrom?.secretKeyRef)?.valueFrom?.secretKeyRef?.name ?? "";

  upstream = await startEchoUpstream();
  issuer = await startOidcIssuer({
    users: Object.values(users),
    clients: [{ clientId: secret["client-id"], clientSecret: secret["client-secret"], redirectUris: [redirectUrl] }],
  });
  proxyPort = await freePort();
  const command = localCommand(objects, deployment, "oauth2-proxy", {
    replaceFlags: {
      "--http-address": `127.0.0.1:${proxyPort}`,
      // In the pod the app listens on 127.0.0.1:3000; here the stand-in app does.
      "--upstream": `http://127.0.0.1:${upstream.port}/`,
      "--oidc-issuer-url": issuer.issuer,
    },
    secrets: { [secretName]: secret },
    filesRoot: mkdtempSync(path.join(tmpdir(), "oauth2-proxy-files-")),
  });
  proxy = await startProcess({ name: "oauth2-proxy", command: await oauth2ProxyBinary(), args: command.args, env: command.env, readyUrl: `http://127.0.0.1:${proxyPort}/ping` });
  ingress = await startReverseProxy({ backend: `127.0.0.1:${proxyPort}`, tls: await selfSignedCert([host]) });
});

afterAll(async () => {
  for (const s of sessions) await s.close();
  await ingress?.close();
  await proxy?.stop();
  await issuer?.close();
  await upstream?.close();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function flagValue(args: string[], flag: string): string {
  const arg = args.find((a) => a.startsWith(`${flag}=`));
  if (!arg) throw new Error(`no ${flag} in ${args.join(" ")}`);
  return arg.slice(flag.length + 1);
}

/** A request to oauth2-proxy as the ingress would forward it. */
function throughIngress(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: proxyPort, path: pathname, headers: { host, "x-forwarded-proto": "https", "x-forwarded-host": host, ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A fresh browser that reaches the ingress under the Ingress host name. */
async function browser(name: string): Promise<BrowserSession> {
  const session = await openBrowser({ name: `sign-in/${name}`, hosts: { [host]: `127.0.0.1:${ingress.port}` }, ignoreHttpsErrors: true });
  sessions.push(session);
  return session;
}

async function signIn(session: BrowserSession, user: OidcUser, target: string): Promise<void> {
  const { page } = session;
  await page.goto(`https://${host}${target}`);
  await page.waitForURL((url) => url.href.startsWith(`${issuer.issuer}/authorize`));
  await page.locator(loginForm.username).waitFor();
  await session.shot("login-form");
  await page.fill(loginForm.username, user.username);
  await page.fill(loginForm.password, user.password);
  await session.shot("login-form-filled");
  await page.click(loginForm.submit);
  await page.waitForURL((url) => !url.href.startsWith(issuer.issuer));
  await page.waitForLoadState();
}

describe("oauth2-proxy (auth.mode oauth2Proxy, provider oidc) as rendered", () => {
  it("refuses a request without a session and never passes it to the app", async () => {
    const before = upstream.requests.length;
    const page = await throughIngress("/api/conversations", { "x-forwarded-email": "forged@example.com" });
    expect([302, 401, 403]).toContain(page.status);
    const api = await throughIngress("/api/conversations", { accept: "application/json" });
    expect([401, 403]).toContain(api.status);
    expect(upstream.requests.length).toBe(before);
  });

  it("sends a browser to the issuer and, after the login form, to the page it asked for with the user's identity", async () => {
    const session = await browser("alice");
    await signIn(session, users.alice, "/conversations?from=sign-in");
    const { page } = session;
    expect(page.url()).toBe(`https://${host}/conversations?from=sign-in`);
    await expect(page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    await session.shot("upstream-reached");

    // The browser also asks for /favicon.ico; the page request is the one to look at.
    const seen = upstream.requests.find((r) => r.path === "/conversations?from=sign-in")!;
    expect(seen).toBeDefined();
    expect(seen.headers["x-forwarded-email"]).toBe(users.alice.email);
    expect(seen.headers["x-forwarded-user"]).toBe("user-alice");
    expect(seen.headers["x-forwarded-preferred-username"]).toBe("alice");
    expect(String(seen.headers["x-forwarded-groups"]).split(",")).toEqual(users.alice.groups);
    expect(issuer.tokenRequests.at(-1)).toMatchObject({ clientId: secret["client-id"], grantType: "authorization_code", status: 200 });
    expect(["client_secret_basic", "client_secret_post"]).toContain(issuer.tokenRequests.at(-1)!.authMethod);

    // The session cookie is scoped by the rendered --cookie-domain and only sent over TLS.
    const cookie = (await session.context.cookies()).find((c) => c.name === "_oauth2_proxy");
    expect(cookie).toMatchObject({ domain: ".example.com", secure: true, httpOnly: true });

    // The signed-in browser reaches the app directly on the next visit, and an identity
    // header it sends itself is replaced by the session's.
    await session.context.setExtraHTTPHeaders({ "X-Forwarded-Email": "forged@example.com" });
    await page.goto(`https://${host}/settings`);
    await expect(page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    const next = upstream.requests.filter((r) => r.path === "/settings");
    expect(next.map((r) => r.headers["x-forwarded-email"])).toEqual([users.alice.email]);
  });

  it("logs each request with the user, method, path and status, but never its query (Canvas' editor URL carries the session key as tkn=)", async () => {
    const key = "session-key-0123456789abcdef";
    const anonymous = await throughIngress(`/vscode/?tkn=${key}&folder=/projects`);
    expect([302, 401, 403]).toContain(anonymous.status);

    const session = await browser("request-log");
    await signIn(session, users.alice, `/vscode/?tkn=${key}&folder=/projects`);
    await expect(session.page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    // The app got the whole URL: only the log line leaves the query out.
    expect(upstream.requests.some((r) => r.path === `/vscode/?tkn=${key}&folder=/projects`)).toBe(true);

    const lines = proxy.output().split("\n");
    expect(lines.filter((line) => line.includes(key))).toEqual([]);
    // The default line's fields, with the URI cut at its query: client - request ID - user
    // [time] host method upstream "URI" protocol "user agent" status size duration.
    const logLine = (user: string, uri: string, status: string) =>
      new RegExp(`^\\S+ - \\S+ - ${escape(user)} \\[[^\\]]+\\] \\S+ GET \\S+ "${escape(uri)}" HTTP/1\\.1 ".*" ${status} \\d+ \\d+\\.\\d{3}$`);
    expect(lines.filter((line) => logLine(users.alice.email, "/vscode/?[redacted]", "200").test(line))).not.toEqual([]);
    // The sign-in callback's code and state are left out too.
    expect(lines.filter((line) => line.includes('"/oauth2/callback?[redacted]"'))).not.toEqual([]);
    expect(lines.filter((line) => line.includes("/oauth2/callback?") && !line.includes('"/oauth2/callback?[redacted]"'))).toEqual([]);
    // A path without a query is logged whole.
    await session.page.goto(`https://${host}/settings`);
    await expect(session.page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    expect(proxy.output().split("\n").filter((line) => logLine(users.alice.email, "/settings", "200").test(line))).not.toEqual([]);
  });

  it("keeps a user with a wrong password on the login form", async () => {
    const session = await browser("wrong-password");
    const { page } = session;
    const before = upstream.requests.length;
    await page.goto(`https://${host}/`);
    await page.waitForURL((url) => url.href.startsWith(`${issuer.issuer}/authorize`));
    await page.fill(loginForm.username, users.alice.username);
    await page.fill(loginForm.password, "not-the-password");
    await page.click(loginForm.submit);
    await expect(page.locator(loginForm.error).textContent()).resolves.toContain("Wrong username or password");
    await session.shot("wrong-password");
    expect(upstream.requests.length).toBe(before);
  });

  it("lets in an address from allowedEmails outside emailDomains", async () => {
    const session = await browser("allowed-email");
    await signIn(session, users.friend, "/");
    await expect(session.page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    await session.shot("upstream-reached");
    expect(upstream.requests.filter((r) => r.path === "/").at(-1)!.headers["x-forwarded-email"]).toBe(users.friend.email);
  });

  it("refuses an address in neither emailDomains nor allowedEmails", async () => {
    const session = await browser("outsider");
    const before = upstream.requests.length;
    const responses: number[] = [];
    session.page.on("response", (r) => { if (r.url().startsWith(`https://${host}/oauth2/callback`)) responses.push(r.status()); });
    await signIn(session, users.mallory, "/");
    await session.shot("refused");
    expect(responses).toEqual([403]);
    expect(await session.page.locator("#marker").count()).toBe(0);
    expect(upstream.requests.length).toBe(before);
    expect(issuer.signIns).toContain("mallory");
  });

  it("refuses an address the issuer has not verified", async () => {
    const session = await browser("unverified");
    const before = upstream.requests.length;
    const responses: number[] = [];
    session.page.on("response", (r) => { if (r.url().startsWith(`https://${host}/oauth2/callback`)) responses.push(r.status()); });
    await signIn(session, users.unverified, "/");
    await session.shot("refused");
    expect(responses).toHaveLength(1);
    expect(responses[0]).toBeGreaterThanOrEqual(400);
    expect(upstream.requests.length).toBe(before);
  });
});
