// A small OpenID Connect issuer for sign-in tests: discovery, JWKS with an RSA key made at
// start, an HTML login form at /authorize, the authorization code grant at /token (client
// secret by POST body or HTTP Basic, PKCE when the client sends a challenge) and /userinfo.
// ID tokens carry email, email_verified and groups, as oauth2-proxy's `oidc` provider reads them.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./net.ts";

export interface OidcUser {
  username: string;
  password: string;
  email: string;
  emailVerified?: boolean;
  groups?: string[];
  name?: string;
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs the client may use. */
  redirectUris: string[];
}

export interface OidcIssuerOptions {
  host?: string;
  port?: number;
  users: OidcUser[];
  clients: OidcClient[];
}

/** One request to the token endpoint, for asserting how the client authenticated. */
export interface TokenRequest {
  clientId?: string;
  authMethod: "client_secret_basic" | "client_secret_post" | "none";
  grantType?: string;
  usedPkce: boolean;
  status: number;
}

export interface OidcIssuer {
  /** The issuer URL (no trailing slash), as `iss` and discovery say it. */
  issuer: string;
  port: number;
  /** Usernames that signed in, in order. */
  signIns: string[];
  tokenRequests: TokenRequest[];
  close(): Promise<void>;
}

/** Selectors of the login form, for a browser to fill. */
export const loginForm = {
  username: "#username",
  password: "#password",
  submit: "button[type=submit]",
  error: "#error",
} as const;

interface PendingCode {
  user: OidcUser;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  scope: string;
}

export async function startOidcIssuer(options: OidcIssuerOptions): Promise<OidcIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("base64url").slice(0, 16);
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, OidcUser>();
  const signIns: string[] = [];
  const tokenRequests: TokenRequest[] = [];
  let issuer = "";

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    try {
      if (url.pathname === "/.well-known/openid-configuration") return sendJson(res, 200, discovery(issuer));
      if (url.pathname === "/jwks") return sendJson(res, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" }] });
      if (url.pathname === "/authorize" && req.method === "GET") return authorizeForm(res, url.searchParams, options.clients);
      if (url.pathname === "/authorize" && req.method === "POST") {
        const form = new URLSearchParams(await readBody(req));
        return authorizeSubmit(res, form, options, (code, pending) => {
          codes.set(code, pending);
          signIns.push(pending.user.username);
        });
      }
      if (url.pathname === "/token" && req.method === "POST") {
        const form = new URLSearchParams(await readBody(req));
        return token(req, res, form);
      }
      if (url.pathname === "/userinfo") {
        const bearer = req.headers.authorization?.replace(/^Bearer /i, "");
        const user = bearer ? accessTokens.get(bearer) : undefined;
        if (!user) return sendJson(res, 401, { error: "invalid_token" });
        return sendJson(res, 200, userClaims(user));
      }
      sendJson(res, 404, { error: "not_found" });
    } catch (error) {
      sendJson(res, 500, { error: "server_error", error_description: String(error) });
    }
  });

  function token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    const auth = clientAuth(req, form);
    const entry: TokenRequest = { clientId: auth.clientId, authMethod: auth.method, grantType: form.get("grant_type") ?? undefined, usedPkce: form.has("code_verifier"), status: 400 };
    tokenRequests.push(entry);
    const fail = (status: number, error: string, description: string) => {
      entry.status = status;
      sendJson(res, status, { error, error_description: description });
    };
    const client = options.clients.find((c) => c.clientId === auth.clientId);
    if (!client || client.clientSecret !== auth.clientSecret) return fail(401, "invalid_client", "unknown client or wrong secret");
    if (form.get("grant_type") !== "authorization_code") return fail(400, "unsupported_grant_type", "only authorization_code");
    const code = form.get("code") ?? "";
    const pending = codes.get(code);
    codes.delete(code); // single use
    if (!pending || pending.clientId !== client.clientId) return fail(400, "invalid_grant", "unknown or used code");
    if (form.get("redirect_uri") !== pending.redirectUri) return fail(400, "invalid_grant", "redirect_uri differs from the authorization request");
    if (pending.codeChallenge && !pkceMatches(pending, form.get("code_verifier") ?? "")) return fail(400, "invalid_grant", "PKCE verification failed");
    const accessToken = randomBytes(24).toString("base64url");
    accessTokens.set(accessToken, pending.user);
    const now = Math.floor(Date.now() / 1000);
    const idToken = signJwt(privateKey, kid, {
      iss: issuer,
      aud: client.clientId,
      azp: client.clientId,
      iat: now,
      exp: now + 3600,
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
      ...userClaims(pending.user),
    });
    entry.status = 200;
    sendJson(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 3600, id_token: idToken, scope: pending.scope });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    issuer,
    port,
    signIns,
    tokenRequests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function discovery(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "email", "profile", "groups"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    claims_supported: ["sub", "email", "email_verified", "groups", "name", "preferred_username"],
    code_challenge_methods_supported: ["S256", "plain"],
  };
}

function userClaims(user: OidcUser) {
  return {
    sub: `user-${user.username}`,
    email: user.email,
    email_verified: user.emailVerified ?? true,
    groups: user.groups ?? [],
    name: user.name ?? user.username,
    preferred_username: user.username,
  };
}

// The authorization request's parameters travel through the form as hidden fields.
const carried = ["client_id", "redirect_uri", "state", "nonce", "scope", "code_challenge", "code_challenge_method", "response_type"];

function authorizeForm(res: ServerResponse, params: URLSearchParams, clients: OidcClient[], error?: string): void {
  const client = clients.find((c) => c.clientId === params.get("client_id"));
  if (!client) return sendHtml(res, 400, page("Unknown client", `<p id="error">Unknown client_id.</p>`));
  if (!client.redirectUris.includes(params.get("redirect_uri") ?? "")) {
    return sendHtml(res, 400, page("Bad redirect", `<p id="error">redirect_uri ${escapeHtml(params.get("redirect_uri") ?? "")} is not registered.</p>`));
  }
  if (params.get("response_type") !== "code") return sendHtml(res, 400, page("Unsupported", `<p id="error">Only response_type=code.</p>`));
  const hidden = carried
    .filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? "")}">`)
    .join("\n");
  const body = `
<h1>Sign in</h1>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/authorize">
${hidden}
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`;
  sendHtml(res, error ? 401 : 200, page("Sign in", body));
}

function authorizeSubmit(res: ServerResponse, form: URLSearchParams, options: OidcIssuerOptions, issue: (code: string, pending: PendingCode) => void): void {
  const user = options.users.find((u) => u.username === form.get("username") && u.password === form.get("password"));
  if (!user) return authorizeForm(res, form, options.clients, "Wrong username or password.");
  const client = options.clients.find((c) => c.clientId === form.get("client_id"));
  const redirectUri = form.get("redirect_uri") ?? "";
  if (!client || !client.redirectUris.includes(redirectUri)) return authorizeForm(res, form, options.clients);
  const code = randomBytes(18).toString("base64url");
  issue(code, {
    user,
    clientId: client.clientId,
    redirectUri,
    nonce: form.get("nonce") ?? undefined,
    codeChallenge: form.get("code_challenge") ?? undefined,
    codeChallengeMethod: form.get("code_challenge_method") ?? undefined,
    scope: form.get("scope") ?? "openid",
  });
  const target = new URL(redirectUri);
  target.searchParams.set("code", code);
  if (form.has("state")) target.searchParams.set("state", form.get("state") ?? "");
  res.writeHead(302, { location: target.toString() });
  res.end();
}

function clientAuth(req: IncomingMessage, form: URLSearchParams): { method: TokenRequest["authMethod"]; clientId?: string; clientSecret?: string } {
  const basic = req.headers.authorization?.match(/^Basic (.+)$/i);
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    // RFC 6749 2.3.1: both parts are form-urlencoded inside the Basic credentials.
    return { method: "client_secret_basic", clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")), clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")) };
  }
  if (form.has("client_secret")) return { method: "client_secret_post", clientId: form.get("client_id") ?? undefined, clientSecret: form.get("client_secret") ?? undefined };
  return { method: "none", clientId: form.get("client_id") ?? undefined };
}

function pkceMatches(pending: PendingCode, verifier: string): boolean {
  if ((pending.codeChallengeMethod ?? "plain") === "plain") return verifier === pending.codeChallenge;
  return createHash("sha256").update(verifier).digest("base64url") === pending.codeChallenge;
}

/** An RS256 JSON Web Token. */
export function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "RS256", typ: "JWT", kid })}.${encode(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.3rem 0}#error{color:#b00}</style>
</head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(html);
}

