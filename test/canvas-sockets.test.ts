// Canvas' websockets (/sockets/..., long-lived) through every exposure: the HTTPRoute's own
// rule without timeouts, the nginx Ingress' idle timeouts, the token-run tunnel.
import { describe, expect, it } from "vitest";
import { getObject, render, type K8sObject } from "../ts/lib/render.ts";
import { clusterApiVersions, helms } from "../ts/lib/presets.ts";

const route = { httpRoute: { enabled: true, hostnames: ["canvas.example.com"] } };

async function objectsOf(valuesFiles: string[], values: Record<string, unknown> = {}, helm?: (typeof helms)[number]): Promise<K8sObject[]> {
  return (await render({ valuesFiles, values, helm, apiVersions: clusterApiVersions })).objects;
}
const rulesOf = (objects: K8sObject[]) => (getObject(objects, "HTTPRoute", "openhands") as any).spec.rules;

describe("Canvas websockets", () => {
  // Behind oauth2-proxy (the preset), and on the key-free entry behind a Gateway's own sign-in.
  const keyFree = { app: "canvas", canvas: { sessionKey: { existingSecret: "canvas-keys" } }, auth: { mode: "external", external: { description: "forward auth on the Gateway" } } };
  for (const [name, files, values] of [
    ["ci/canvas-values.yaml", ["ci/canvas-values.yaml"], route],
    ["the key-free entry", [], { ...keyFree, ...route }],
  ] as const) {
    it(`${name} with an HTTPRoute: /sockets has a rule of its own with both timeouts disabled (0s), the rest keeps 3600s`, async () => {
      for (const helm of helms) {
        const objects = await objectsOf([...files], values, helm);
        const port = (getObject(objects, "Service", "openhands") as any).spec.ports[0].port;
        expect(rulesOf(objects)).toEqual([
          {
            matches: [{ path: { type: "PathPrefix", value: "/sockets" } }],
            backendRefs: [{ name: "openhands", port }],
            timeouts: { request: "0s", backendRequest: "0s" },
          },
          {
            matches: [{ path: { type: "PathPrefix", value: "/" } }],
            backendRefs: [{ name: "openhands", port }],
            timeouts: { request: "3600s", backendRequest: "3600s" },
          },
        ]);
      }
    });
  }

  it("httpRoute.canvasSocketTimeouts sets the /sockets rule's timeouts, httpRoute.timeouts the rest", async () => {
    const values = { httpRoute: { ...route.httpRoute, canvasSocketTimeouts: { request: "24h", backendRequest: "24h" }, timeouts: { request: "10m", backendRequest: "5m" } } };
    const [sockets, rest] = rulesOf(await objectsOf(["ci/canvas-values.yaml"], values));
    expect(sockets.timeouts).toEqual({ request: "24h", backendRequest: "24h" });
    expect(rest.timeouts).toEqual({ request: "10m", backendRequest: "5m" });
  });

  it("the GUI server's route has no /sockets rule: the setting is Canvas'", async () => {
    const values = { ...route, auth: { mode: "external", external: { description: "forward auth on the Gateway" } } };
    const rules = rulesOf(await objectsOf([], values));
    expect(rules.map((r: any) => r.matches[0].path.value)).toEqual(["/"]);
  });

  it("the nginx Ingress of ci/canvas-values.yaml keeps sockets open while they carry traffic (3600 s read and send timeouts, every path)", async () => {
    const ingress = getObject(await objectsOf(["ci/canvas-values.yaml"]), "Ingress", "openhands") as any;
    expect(ingress.metadata.annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
    });
    expect(ingress.spec.rules[0].http.paths.map((p: any) => [p.path, p.pathType])).toEqual([["/", "Prefix"]]);
  });

  it("ci/canvas-tunnel-values.yaml runs cloudflared from its token only, so the origin settings of Cloudflare's route apply (no local file overrides them)", async () => {
    const tunnel = getObject(await objectsOf(["ci/canvas-tunnel-values.yaml"]), "Deployment", "openhands-tunnel") as any;
    const [cloudflared] = tunnel.spec.template.spec.containers;
    expect(cloudflared.args).toEqual(["tunnel", "--metrics", "0.0.0.0:2000", "run", "--protocol", "auto"]);
    expect(cloudflared.volumeMounts ?? []).toEqual([]);
    expect(cloudflared.env.map((e: any) => e.name)).toEqual(["TUNNEL_TOKEN"]);
  });
});
