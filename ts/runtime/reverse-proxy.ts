// A TLS-terminating reverse proxy standing in for an ingress controller: forwards every
// request and WebSocket upgrade to an HTTP backend (one, or chosen by the Host header) with
// the X-Forwarded-* headers an ingress sets; a host no rule names gets 404.
import { createServer as createHttpsServer } from "node:https";
import { request } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { IncomingMessage, Server } from "node:http";
import type { TlsCert } from "./tls-cert.ts";

export interface ReverseProxyOptions {
  /** Backend `host:port`, or a function of the request's host name (undefined: 404). */
  backend: string | ((host: string) => string | undefined);
  tls: TlsCert;
  host?: string;
  port?: number;
}

export interface ReverseProxy {
  port: number;
  close(): Promise<void>;
}

export async function startReverseProxy(options: ReverseProxyOptions): Promise<ReverseProxy> {
  const backendOf = (req: IncomingMessage): [string, number] | undefined => {
    const chosen = typeof options.backend === "string" ? options.backend : options.backend((req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase());
    return chosen === undefined ? undefined : splitHostPort(chosen);
  };
  const server: Server = createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const backend = backendOf(req);
    if (!backend) {
      res.writeHead(404, { "content-type": "text/plain" }).end("no ingress rule for this host\n");
      return;
    }
    const [backendHost, backendPort] = backend;
    const upstream = request(
      { host: backendHost, port: backendPort, method: req.method, path: req.url, headers: forwardedHeaders(req) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`backend error: ${error.message}`);
    });
    req.pipe(upstream);
  });
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const chosen = backendOf(req);
    if (!chosen) {
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const [backendHost, backendPort] = chosen;
    const backend = connect(backendPort, backendHost, () => {
      const headers = forwardedHeaders(req);
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`))];
      backend.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length > 0) backend.write(head);
      socket.pipe(backend).pipe(socket);
    });
    backend.on("error", () => socket.destroy());
    socket.on("error", () => backend.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function forwardedHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
  headers["x-forwarded-proto"] = "https";
  headers["x-forwarded-host"] = req.headers.host ?? "";
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  return headers;
}

function splitHostPort(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon).replace(/^\[|\]$/g, ""), Number(address.slice(colon + 1))];
}
