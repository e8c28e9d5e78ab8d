import type { ContainerSecurityContext, Image, Resources } from "./common.ts";

/**
 * Who may reach OpenHands. It has no login of its own, so every exposure (Ingress,
 * HTTPRoute, LoadBalancer or NodePort Service) needs a lock in front of it.
 */
export interface Auth {
  /**
   * The lock in use. `oauth2Proxy`: the chart runs oauth2-proxy in the OpenHands pod and
   * sends the Service (so every exposure) through it. `ingressNginx`: ingress-nginx external
   * auth annotations on the chart's Ingress (covers the Ingress only). `cloudflareAccess`:
   * Cloudflare Access in front of a Cloudflare Tunnel (covers the tunnel only). `external`:
   * another layer you run in front of every exposure (say which in `external.description`).
   * `none`: no lock, and exposures are refused unless `acknowledgeUnauthenticated` is true.
   */
  mode: "none" | "oauth2Proxy" | "ingressNginx" | "cloudflareAccess" | "external";
  /**
   * Accept exposing OpenHands with `mode: none`: anyone who reaches it can spend your LLM
   * budget and run code in its sandboxes. Only for networks where every client is trusted.
   */
  acknowledgeUnauthenticated: boolean;
  /** The built-in oauth2-proxy (`mode: oauth2Proxy`). */
  oauth2Proxy: OAuth2Proxy;
  /** ingress-nginx external authentication (`mode: ingressNginx`), written as annotations on the Ingress. */
  ingressNginx: IngressNginxAuth;
  /** The authenticating layer outside the chart (`mode: external`). */
  external: ExternalAuth;
}

/**
 * oauth2-proxy as a sidecar of the OpenHands pod. A sidecar rather than a Deployment of its
 * own: the Service points at the proxy, so nothing routed through the Service reaches the app
 * unauthenticated, websockets pass through one hop, and no second Service can be aimed at
 * the app by mistake. The app's own port stays reachable from other pods by pod IP unless
 * `networkPolicy.enabled` is true.
 */
export interface OAuth2Proxy {
  /** The oauth2-proxy image. */
  image: Image;
  /**
   * Identity provider (oauth2-proxy `--provider`), for example `oidc`, `github`, `google`, `gitlab`, `keycloak-oidc`, `entra-id`.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  provider: string;
  /**
   * OIDC issuer URL, for OIDC providers (`--oidc-issuer-url`).
   * @pattern ^$|^https?://[!-~]+$
   * @maxLength 2048
   */
  oidcIssuerUrl: string;
  /**
   * Existing Secret with the OAuth client ID, client secret and cookie secret (a random
   * 32-byte value). The chart never holds them in values. Empty uses the target of
   * `externalSecrets.secrets.oauth2Proxy` when that is on.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  existingSecret: string;
  /** Keys of `existingSecret`. */
  secretKeys: OAuth2ProxySecretKeys;
  /**
   * Email domains allowed to sign in (`--email-domain`); `*` allows every address the provider vouches for.
   * @items.pattern ^(\*|\.?[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?)$
   * @items.maxLength 253
   */
  emailDomains: string[];
  /**
   * Individual email addresses allowed to sign in, in addition to `emailDomains`.
   * @items.pattern ^[-!#$%&'*+/=?^_`{|}~.a-zA-Z0-9]+@[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?$
   * @items.maxLength 320
   */
  allowedEmails: string[];
  /**
   * Provider groups allowed to sign in (`--allowed-group`).
   * @items.pattern ^[^\x00-\x1f\x7f]*$
   * @items.maxLength 256
   */
  allowedGroups: string[];
  /**
   * Cookie domains (`--cookie-domain`), for example a parent domain (`.example.com`) shared
   * with other signed-in apps. The sandbox gateway strips the session cookie before a request
   * reaches a sandbox.
   * @items.pattern ^\.?[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?$
   * @items.maxLength 253
   */
  cookieDomains: string[];
  /**
   * Domains oauth2-proxy may redirect to after sign-in (`--whitelist-domain`).
   * @items.pattern ^(\*\.|\.)?[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?(:[0-9*]{1,5})?$
   * @items.maxLength 260
   */
  whitelistDomains: string[];
  /**
   * Callback URL registered with the provider. Empty derives `https://<first host>/oauth2/callback`
   * from the Ingress or HTTPRoute.
   * @pattern ^$|^https?://[!-~]+$
   * @maxLength 2048
   */
  redirectUrl: string;
  /**
   * More oauth2-proxy flags, for example `--github-org=my-org`.
   * @items.pattern ^[^\x00-\x1f\x7f]*$
   * @items.maxLength 4096
   */
  extraArgs: string[];
  /** CPU and memory of the proxy container. */
  resources?: Resources;
  /** Security settings of the proxy container; the defaults meet the `restricted` Pod Security profile. */
  securityContext?: ContainerSecurityContext;
}

/** Key names inside `auth.oauth2Proxy.existingSecret`. */
export interface OAuth2ProxySecretKeys {
  /**
   * Key holding the OAuth client ID.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  clientId: string;
  /**
   * Key holding the OAuth client secret.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  clientSecret: string;
  /**
   * Key holding the cookie secret (16, 24 or 32 bytes).
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  cookieSecret: string;
}

/** ingress-nginx external authentication (`auth-url` / `auth-signin`). */
export interface IngressNginxAuth {
  /**
   * URL nginx asks for each request, for example `https://auth.example.com/oauth2/auth`.
   * @pattern ^$|^https?://[!-~]+$
   * @maxLength 2048
   */
  authUrl: string;
  /**
   * Where nginx sends users who are not signed in, for example
   * `https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri`.
   * @pattern ^$|^https?://[!-~]+$
   * @maxLength 2048
   */
  authSignin: string;
  /**
   * Headers copied from the auth response to the request (`auth-response-headers`).
   * @items.pattern ^[-!#$%&'*+.^_`|~0-9A-Za-z]+$
   * @items.maxLength 256
   */
  responseHeaders: string[];
}

/** An authenticating layer the chart does not manage. */
export interface ExternalAuth {
  /**
   * What protects every exposure (for example "Tailscale ACLs" or "Authelia forward auth on the Gateway"); shown in NOTES.
   * @pattern ^[^\x00-\x1f\x7f]*$
   * @maxLength 1024
   */
  description: string;
}
