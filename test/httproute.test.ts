// httpRoute: a Gateway API route to the Service, with timeouts long enough for streams.
import { describe, expect, it } from "vitest";
import { getObject, render, renderError } from "../ts/lib/render.ts";

const values = {
  auth: { mode: "external", external: { description: "forward auth on the Gateway" } },
  httpRoute: { enabled: true, parentRefs: [{ name: "public", namespace: "gw", sectionName: "https" }], hostnames: ["oh.example.com"] },
};

describe("HTTPRoute", () => {
  it("is refused on a cluster that does not serve gateway.networking.k8s.io/v1", async () => {
    const message = await renderError({ values });
    expect(message).toContain("httpRoute.enabled: the cluster does not serve gateway.networking.k8s.io/v1 HTTPRoute");
  });

  it("attaches to httpRoute.parentRefs and routes httpRoute.hostnames to the Service port", async () => {
    const { objects } = await render({ values, apiVersions: ["gateway.networking.k8s.io/v1/HTTPRoute"] });
    const route = getObject(objects, "HTTPRoute", "openhands") as any;
    expect(route.apiVersion).toBe("gateway.networking.k8s.io/v1");
    expect(route.spec.parentRefs).toEqual([{ name: "public", namespace: "gw", sectionName: "https" }]);
    expect(route.spec.hostnames).toEqual(["oh.example.com"]);
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [{ name: "openhands", port: 3000 }],
        timeouts: { request: "3600s", backendRequest: "3600s" },
      },
    ]);
  });

  it("httpRoute.timeouts and service.port are honoured", async () => {
    const { objects } = await render({
      values: { ...values, service: { port: 80 }, httpRoute: { ...values.httpRoute, timeouts: { request: "2h", backendRequest: "1h" } } },
      apiVersions: ["gateway.networking.k8s.io/v1/HTTPRoute"],
    });
    const rule = (getObject(objects, "HTTPRoute") as any).spec.rules[0];
    expect(rule.timeouts).toEqual({ request: "2h", backendRequest: "1h" });
    expect(rule.backendRefs).toEqual([{ name: "openhands", port: 80 }]);
  });
});
