// An ingress controller stand-in for the runtime suite's node: the rules of a release's
// rendered Ingress (exact and `*.` wildcard hosts), or the hostnames of its HTTPRoute (as a
// Gateway's HTTPS listener serves them), become a TLS reverse proxy that runs inside
// the node's network namespace and forwards to the Services' cluster addresses, as an ingress
// controller in the cluster would (not through kubectl port-forward, which lands on the pod's
// loopback and so would skip what the pod's own address serves).
//
//   tsx ts/runtime/ingress-stand-in.ts <config.json>   (run inside the node's namespace)
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inNodeArgv } from "./node/netns.ts";
import { startProcess, type StartedProcess } from "./process.ts";
import { startReverseProxy } from "./reverse-proxy.ts";
import type { TlsCert } from "./tls-cert.ts";

export interface IngressRoute {
  /** `name.example.com` or `*.domain` (one label, as Ingress wildcards match). */
  host: string;
  /** `clusterIP:port`. */
  backend: string;
}

interface IngressObject {
  spec: { rules?: { host?: string; http?: { paths: { backend: { service?: { name: string; port: { name?: string; number?: number } } } }[] } }[] };
}
interface ServiceObject {
  metadata: { name: string };
  spec: { clusterIP: string; ports: { name?: string; port: number }[] };
}

/** Each rule's host with the cluster address of its (first) backend Service port. */
export function ingressRoutes(ingress: IngressObject, services: ServiceObject[]): IngressRoute[] {
  return (ingress.spec.rules ?? []).map((rule) => {
    const backend = rule.http?.paths[0]?.backend.service;
    if (!rule.host || !backend) throw new Error(`ingress rule ${JSON.stringify(rule)} has no host or no Service backend`);
    const service = services.find((s) => s.metadata.name === backend.name);
    const port = service?.spec.ports.find((p) => (backend.port.name ? p.name === backend.port.name : p.port === backend.port.number));
    if (!service || !port) throw new Error(`ingress rule for ${rule.host} names Service ${backend.name} port ${backend.port.name ?? backend.port.number}, which does not exist`);
    return { host: rule.host, backend: `${service.spec.clusterIP}:${port.port}` };
  });
}

interface HttpRouteObject {
  spec: { hostnames?: string[]; rules?: { matches?: { path?: { type?: string; value?: string } }[]; backendRefs?: { name: string; port?: number }[] }[] };
}

/**
 * A Gateway's listener for an HTTPRoute, as the stand-in serves it: each hostname to the
 * cluster address of the backend of the route's `/` rule (the stand-in routes by host only, so
 * a route whose other rules send paths elsewhere is refused rather than served wrongly).
 */
export function httpRouteRoutes(route: HttpRouteObject, services: ServiceObject[]): IngressRoute[] {
  const rules = route.spec.rules ?? [];
  const backends = new Set(rules.flatMap((r) => (r.backendRefs ?? []).map((b) => `${b.name}:${b.port}`)));
  if (backends.size !== 1) throw new Error(`HTTPRoute sends requests to ${backends.size} backends (${[...backends].join(", ")}); the stand-in routes by host only`);
  const root = rules.find((r) => (r.matches ?? [{}]).some((m) => (m.path?.value ?? "/") === "/"));
  const backend = root?.backendRefs?.[0];
  if (!backend) throw new Error(`HTTPRoute has no rule for / with a backend: ${JSON.stringify(rules)}`);
  const service = services.find((s) => s.metadata.name === backend.name);
  const port = service?.spec.ports.find((p) => p.port === backend.port);
  if (!service || !port) throw new Error(`HTTPRoute names Service ${backend.name} port ${backend.port}, which does not exist`);
  return (route.spec.hostnames ?? []).map((host) => ({ host, backend: `${service.spec.clusterIP}:${port.port}` }));
}

/**
 * A Cloudflare Tunnel's public hostname as the edge serves it: to the Service's first port, the
 * route a token-run tunnel is given in Cloudflare (docs/tunnel.md).
 */
export function tunnelRoutes(hostname: string, serviceName: string, services: ServiceObject[]): IngressRoute[] {
  const service = services.find((s) => s.metadata.name === serviceName);
  if (!service) throw new Error(`the tunnel's route names Service ${serviceName}, which does not exist`);
  return [{ host: hostname, backend: `${service.spec.clusterIP}:${service.spec.ports[0].port}` }];
}

/** The backend for a request's host: an exact rule first, then a wildcard over exactly one label. */
export function routeFor(routes: IngressRoute[], host: string): string | undefined {
  const exact = routes.find((r) => r.host === host);
  if (exact) return exact.backend;
  const dot = host.indexOf(".");
  return dot > 0 ? routes.find((r) => r.host === `*${host.slice(dot)}`)?.backend : undefined;
}

interface StandInConfig {
  listen: { host: string; port: number };
  routes: IngressRoute[];
  tls: TlsCert;
}

export interface IngressStandIn {
  address: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the stand-in in the node's network namespace, listening on `listen` (the node's address). */
export async function startIngressStandIn(options: StandInConfig & { name: string }): Promise<IngressStandIn> {
  const dir = mkdtempSync(path.join(tmpdir(), "ingress-stand-in-"));
  const config = path.join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ listen: options.listen, routes: options.routes, tls: options.tls }));
  const tsx = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "node_modules", ".bin", "tsx");
  const [command, args] = inNodeArgv(tsx, [fileURLToPath(import.meta.url), config]);
  const child: StartedProcess = await startProcess({ name: options.name, command, args });
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(options.listen.host, options.listen.port))) {
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`ingress stand-in did not listen on ${options.listen.host}:${options.listen.port}:\n${child.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address: options.listen.host, port: options.listen.port, stop: () => child.stop() };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = JSON.parse(readFileSync(process.argv[2], "utf8")) as StandInConfig;
  await startReverseProxy({ backend: (host) => routeFor(config.routes, host), tls: config.tls, host: config.listen.host, port: config.listen.port });
  console.log(`ingress stand-in on ${config.listen.host}:${config.listen.port}: ${config.routes.map((r) => `${r.host} -> ${r.backend}`).join(", ")}`);
}
