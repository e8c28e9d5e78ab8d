// Runs the chart's generated gateway config in a real nginx and reports what it routes
// where. Meant to run inside a fresh network namespace as its root
// (`unshare --net --map-root-user`), so ports 80 and 3000 are free and nothing leaves
// the namespace's loopback. Usage: gateway-probe <nginx.conf> <nginx binary>; prints JSON.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Seen {
  /** Which stand-in server answered. */
  server: string;
  /** The method and path that server received. */
  method?: string;
  path: string;
  /** Upgrade and Connection headers as the server received them. */
  upgrade?: string;
  connection?: string;
  host?: string;
  cookie?: string;
}

export interface ProbeResult {
  /** The HTTP status; 0 when nothing listens on the port. */
  status: number;
  seen?: Seen;
}

/** A browser's cookies when signed in: the sign-in's own between a sandbox app's cookies. */
export const signedInCookies = "theme=dark; _oauth2_proxy=session-secret; _oauth2_proxy_csrf=csrf-secret; CF_Authorization=access-secret; app_session=keep";
/** More sign-in cookies than the gateway strips one by one (split sessions): the header goes whole. */
export const manySignInCookies = "a=1; _oauth2_proxy_0=s0; _oauth2_proxy_1=s1; _oauth2_proxy_2=s2; _oauth2_proxy_3=s3; _oauth2_proxy_4=s4; b=2";

/** A conversation id as agent servers write it into webhook paths (UUID hex). */
export const conversationHex = "0f3a5b7c9d1e4f60a1b2c3d4e5f60718";

/** Requests the probe makes, by name: [listen address, port, path, Host header, extra headers, method (GET)]. */
export const probeRequests = {
  appThroughEntry: ["127.0.0.2", 3000, "/api/options/config", "openhands.example.com"],
  sandboxThroughEntry: ["127.0.0.2", 3000, "/sandbox/40123/api/conversations/1/events?x=1", "openhands.example.com"],
  sandboxRootNoSlash: ["127.0.0.2", 3000, "/sandbox/40123", "openhands.example.com"],
  doubledPrefix: ["127.0.0.2", 3000, "/sandbox/40123/sandbox/40123/api/conversations/1", "openhands.example.com"],
  websocketThroughEntry: ["127.0.0.2", 3000, "/sandbox/40123/sockets/events/1", "openhands.example.com", { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" }],
  appPortThroughSandboxPath: ["127.0.0.2", 3000, "/sandbox/3001/health", "openhands.example.com"],
  dockerPortThroughSandboxPath: ["127.0.0.2", 3000, "/sandbox/2375/info", "openhands.example.com"],
  proxyPortThroughSandboxPath: ["127.0.0.2", 3000, "/sandbox/4180/ping", "openhands.example.com"],
  outOfRangeSandboxPath: ["127.0.0.2", 3000, "/sandbox/50000/", "openhands.example.com"],
  // Process mode: agent servers on 8000 up (sandbox.process.ports of them, 20 by default).
  agentServerThroughEntry: ["127.0.0.2", 3000, "/sandbox/8000/alive", "openhands.example.com"],
  agentServerPastPorts: ["127.0.0.2", 3000, "/sandbox/8020/alive", "openhands.example.com"],
  appsOwnCallOnPort80: ["127.0.0.1", 80, "/sandbox/40123/api/file", "localhost"],
  portForwardOnLoopback3000: ["127.0.0.1", 3000, "/sandbox/40123/alive", "localhost"],
  appOnLoopback3000: ["127.0.0.1", 3000, "/", "localhost"],
  sandboxHost: ["127.0.0.2", 3000, "/api/conversations", "40123.sandbox.example.com"],
  sandboxHostDockerPort: ["127.0.0.2", 3000, "/info", "2375.sandbox.example.com"],
  foreignHost: ["127.0.0.2", 3000, "/", "40123.evil.example.org"],
  // Names under the sandbox domain that are not <port>.<domain>: never the app.
  sandboxDomainItself: ["127.0.0.2", 3000, "/", "sandbox.example.com"],
  sandboxDomainWord: ["127.0.0.2", 3000, "/", "anything.sandbox.example.com"],
  sandboxDomainNested: ["127.0.0.2", 3000, "/", "x.40123.sandbox.example.com"],
  sandboxDomainUpperCase: ["127.0.0.2", 3000, "/", "ANYTHING.Sandbox.Example.COM"],
  sandboxDomainTrailingDot: ["127.0.0.2", 3000, "/", "anything.sandbox.example.com."],
  sandboxDomainWithPort: ["127.0.0.2", 3000, "/", "anything.sandbox.example.com:443"],
  sandboxHostUpperCase: ["127.0.0.2", 3000, "/api/conversations", "40123.SANDBOX.example.com"],
  // Sign-in cookies must not reach sandbox ports (they run what the agent started).
  sandboxHostWithCookies: ["127.0.0.2", 3000, "/", "40123.sandbox.example.com", { Cookie: signedInCookies }],
  sandboxPathWithCookies: ["127.0.0.2", 3000, "/sandbox/40123/", "openhands.example.com", { Cookie: signedInCookies }],
  sandboxPathOnLoopbackWithCookies: ["127.0.0.1", 3000, "/sandbox/40123/", "openhands.example.com", { Cookie: signedInCookies }],
  sandboxHostWithManyCookies: ["127.0.0.2", 3000, "/", "40123.sandbox.example.com", { Cookie: manySignInCookies }],
  sandboxHostWithOnlySignInCookie: ["127.0.0.2", 3000, "/", "40123.sandbox.example.com", { Cookie: "_oauth2_proxy=secret" }],
  appWithCookies: ["127.0.0.1", 3000, "/", "localhost", { Cookie: signedInCookies }],
  // remoteDocker's callback listener (port 3002 on the pod address): sandboxes' webhooks only.
  callbackConversations: ["127.0.0.2", 3002, "/api/v1/webhooks/conversations", "192.168.10.5:30302", { Cookie: signedInCookies, "X-Session-API-Key": "k" }, "POST"],
  callbackEvents: ["127.0.0.2", 3002, `/api/v1/webhooks/events/${conversationHex}`, "192.168.10.5:30302", { "X-Session-API-Key": "k" }, "POST"],
  callbackEventsWithQuery: ["127.0.0.2", 3002, `/api/v1/webhooks/events/${conversationHex}?x=1`, "192.168.10.5:30302", {}, "POST"],
  callbackEventsRead: ["127.0.0.2", 3002, `/api/v1/webhooks/events/${conversationHex}`, "192.168.10.5:30302", {}, "GET"],
  callbackEventsNotHex: ["127.0.0.2", 3002, "/api/v1/webhooks/events/settings", "192.168.10.5:30302", {}, "POST"],
  callbackMcp: ["127.0.0.2", 3002, "/mcp/mcp", "192.168.10.5:30302", {}, "POST"],
  callbackSecrets: ["127.0.0.2", 3002, "/api/v1/webhooks/secrets", "192.168.10.5:30302", {}, "GET"],
  callbackSettings: ["127.0.0.2", 3002, "/api/v1/settings", "192.168.10.5:30302", {}, "GET"],
  callbackSettingsWritten: ["127.0.0.2", 3002, "/api/v1/settings", "192.168.10.5:30302", {}, "POST"],
  callbackRoot: ["127.0.0.2", 3002, "/", "192.168.10.5:30302", {}, "GET"],
  callbackSandboxPath: ["127.0.0.2", 3002, "/sandbox/40123/alive", "192.168.10.5:30302", {}, "GET"],
  callbackDotSegments: ["127.0.0.2", 3002, "/api/v1/webhooks/conversations/../../settings", "192.168.10.5:30302", {}, "POST"],
  callbackEncodedDotSegments: ["127.0.0.2", 3002, "/api/v1/webhooks/conversations/..%2F..%2Fsettings", "192.168.10.5:30302", {}, "POST"],
  callbackEncodedPath: ["127.0.0.2", 3002, "/api/v1/webhooks/conversation%73", "192.168.10.5:30302", {}, "POST"],
} as const satisfies Record<string, readonly [string, number, string, string, Record<string, string>?, string?]>;

export type ProbeName = keyof typeof probeRequests;

async function main(): Promise<void> {
  const [configPath, nginxBinary] = process.argv.slice(2);
  // A pod-like namespace: 127.0.0.1 is the pod's loopback and 127.0.0.2 stands for the pod's
  // address, which the Service reaches (any address but 127.0.0.1 selects nginx's entry server).
  execFileSync("ip", ["link", "set", "lo", "up"]);

  // Stand-ins: the app on 3001, a Docker sandbox's agent server on 40123, a process sandbox's on
  // 8000, and listeners the gateway must never reach (a Docker API on 2375, the auth proxy's
  // port 4180, ports past the ranges).
  const servers = await Promise.all([
    standIn("app", 3001), standIn("sandbox-40123", 40123), standIn("docker-api", 2375), standIn("oauth2-proxy", 4180), standIn("sandbox-50000", 50000),
    standIn("agent-server-8000", 8000), standIn("agent-server-8020", 8020),
  ]);

  const dir = mkdtempSync(path.join(tmpdir(), "gateway-"));
  // Same config, with its /tmp paths moved into a private directory; as the namespace's root,
  // nginx keeps its worker as root too (the real container runs it unprivileged).
  writeFileSync(path.join(dir, "nginx.conf"), readFileSync(configPath, "utf8").replaceAll("/tmp/", `${dir}/`));
  const nginx = spawn(nginxBinary, ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-g", "daemon off; user root root;"], { stdio: ["ignore", "ignore", "pipe"] });
  let nginxErrors = "";
  nginx.stderr.on("data", (chunk) => (nginxErrors += chunk));
  try {
    await waitForPort("127.0.0.2", 3000).catch((error) => {
      throw new Error(`${(error as Error).message}: ${nginxErrors}`);
    });
    const results: Record<string, ProbeResult> = {};
    for (const [name, [address, port, urlPath, host, headers, method]] of Object.entries(probeRequests) as [string, readonly [string, number, string, string, Record<string, string>?, string?]][]) {
      results[name] = await request(address, port, urlPath, host, headers ?? {}, method ?? "GET");
    }
    process.stdout.write(JSON.stringify(results));
  } finally {
    nginx.kill("SIGTERM");
    for (const s of servers) s.close();
  }
}

function standIn(name: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const seen: Seen = { server: name, method: req.method, path: req.url ?? "", upgrade: req.headers.upgrade, connection: req.headers.connection, host: req.headers.host, cookie: req.headers.cookie };
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(seen));
  });
  // A websocket upgrade is answered with 101 and the same report, then closed.
  server.on("upgrade", (req, socket) => {
    const seen: Seen = { server: name, path: req.url ?? "", upgrade: req.headers.upgrade, connection: req.headers.connection, host: req.headers.host };
    const body = JSON.stringify(seen);
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Seen: ${Buffer.from(body).toString("base64")}\r\n\r\n`);
  });
  return new Promise((resolve) => server.listen(port, "0.0.0.0", () => resolve(server)));
}

function request(address: string, port: number, urlPath: string, host: string, headers: Record<string, string>, method: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: address, port, method, path: urlPath, headers: { Host: host, ...headers }, timeout: 5000 });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      const seen = res.headers["x-seen"] ? (JSON.parse(Buffer.from(String(res.headers["x-seen"]), "base64").toString()) as Seen) : undefined;
      resolve({ status: res.statusCode ?? 0, seen });
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => {
        let seen: Seen | undefined;
        try {
          seen = JSON.parse(body) as Seen;
        } catch {
          seen = undefined;
        }
        resolve({ status: res.statusCode ?? 0, seen: seen?.server ? seen : undefined });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`timeout on ${address}:${port}${urlPath}`)));
    // A port the config does not listen on (the callback listener is off in most configs).
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNREFUSED" ? resolve({ status: 0 }) : reject(error)));
    req.end(method === "POST" ? "{}" : undefined);
  });
}

async function waitForPort(host: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${host}:${port}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
