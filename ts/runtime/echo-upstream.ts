// A stand-in for the app behind an auth proxy: answers every path with a small HTML page and
// records the request headers, so a test sees what the proxy passed on.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface EchoUpstream {
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** The text the page shows; a browser test waits for it. */
export const echoMarker = "upstream reached";

export async function startEchoUpstream(host = "127.0.0.1"): Promise<EchoUpstream> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    const email = String(req.headers["x-forwarded-email"] ?? "");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>upstream</title><h1 id="marker">${echoMarker}</h1><p id="email">${email.replace(/[<>&]/g, "")}</p>`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
