// The keys users of popular charts expect: a mirror registry for every image, extra
// containers and objects, Service and claim fields for load balancers and static volumes,
// the pod's hosts and DNS. Each one rendered, and guarded where it opens a way in.
import { describe, expect, it } from "vitest";
import { getObject, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { container, serverDeployment } from "../ts/lib/workload.ts";
import { clusterApiVersions, presets } from "../ts/lib/presets.ts";

/** Every image of every container of every workload and pod in a render. */
function images(objects: K8sObject[]): string[] {
  const found: string[] = [];
  for (const o of objects) {
    const spec = o.spec as any;
    const pod = o.kind === "Pod" ? spec : (spec?.template ?? spec?.jobTemplate?.spec?.template)?.spec;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) found.push(c.image);
  }
  return found;
}

const mirror = "mirror.internal:5000";

describe("global.imageRegistry", () => {
  it.each(presets.map((p) => [p.name, p]))("global.imageRegistry replaces the registry of every image the chart runs or pulls (preset %s)", async (_name, preset) => {
    const { objects, manifest } = await render({ valuesFiles: preset.valuesFiles, values: { global: { imageRegistry: mirror } }, apiVersions: clusterApiVersions });
    const all = images(objects);
    expect(all.length).toBeGreaterThan(1);
    for (const image of all) expect(image.startsWith(`${mirror}/`), image).toBe(true);
    // The sandbox image, which the app or the daemon pulls, comes from the mirror too.
    const env = serverDeployment(objects).spec.template.spec.containers.flatMap((c) => c.env ?? []);
    for (const name of ["AGENT_SERVER_IMAGE_REPOSITORY", "SANDBOX_RUNTIME_CONTAINER_IMAGE"]) {
      const entry = env.find((e) => e.name === name);
      if (entry) expect(entry.value!.startsWith(`${mirror}/`), `${name}=${entry.value}`).toBe(true);
    }
    for (const registry of ["docker.io/", "ghcr.io/", "quay.io/", "docker.openhands.dev/"]) expect(manifest).not.toContain(registry);
  });

  it("global.imageRegistry covers the helm test image, the tunnel, the cleanup job and oauth2-proxy", async () => {
    const { objects } = await render({
      values: {
        global: { imageRegistry: mirror },
        tunnel: { enabled: true, hostname: "oh.example.com", token: { existingSecret: "t" } },
        auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com", allowedEmails: ["a@example.com"] } },
        dockerCleanup: { enabled: true },
      },
    });
    expect(images(objects)).toEqual(expect.arrayContaining([
      `${mirror}/curlimages/curl:8.17.0`,
      `${mirror}/cloudflare/cloudflared:2026.8.2`,
      `${mirror}/oauth2-proxy/oauth2-proxy:v7.15.6`,
      `${mirror}/library/docker:29.7.2-cli`,
      `${mirror}/library/docker:29.7.2-dind`,
      `${mirror}/openhands/openhands:1.11.0`,
    ]));
  });

  it("an empty global.imageRegistry keeps each image's own registry", async () => {
    const { objects } = await render({ values: { global: { imageRegistry: "" } } });
    expect(container(serverDeployment(objects).spec.template.spec, "openhands").image).toBe("docker.openhands.dev/openhands/openhands:1.11.0");
  });
});

describe("tests.image", () => {
  it("tests.image sets the helm test pod's image", async () => {
    const { objects } = await render({ values: { tests: { image: { registry: "registry.example.com", repository: "tools/curl", tag: "8.18.0", pullPolicy: "Always" } } } });
    const pod = getObject<any>(objects, "Pod", "openhands-test");
    expect(pod.spec.containers[0]).toMatchObject({ image: "registry.example.com/tools/curl:8.18.0", imagePullPolicy: "Always" });
  });
});

describe("extraContainers and initContainers", () => {
  it("extraContainers are added after the chart's containers, with templates rendered", async () => {
    const { objects } = await render({ values: { extraContainers: [{ name: "shipper", image: "example.com/shipper:1", args: ["--release={{ .Release.Name }}"] }] } });
    const spec = serverDeployment(objects).spec.template.spec;
    expect(spec.containers.at(-1)).toEqual({ name: "shipper", image: "example.com/shipper:1", args: ["--release=openhands"] });
  });

  it("initContainers run after the chart's own init containers (so the native Docker sidecar is up)", async () => {
    const { objects } = await render({ kubeVersion: "1.33.0", values: { initContainers: [{ name: "warm-cache", image: "example.com/warm:1" }] } });
    const names = serverDeployment(objects).spec.template.spec.initContainers!.map((c) => c.name);
    expect(names.at(-1)).toBe("warm-cache");
    expect(names.indexOf("dind")).toBeLessThan(names.indexOf("warm-cache"));
  });

  it.each([
    ["extraContainers", { extraContainers: [{ name: "gateway", image: "x" }] }, "extraContainers[0]: the name gateway is taken by a container of the chart"],
    ["initContainers", { initContainers: [{ name: "a", image: "x" }], extraContainers: [{ name: "a", image: "y" }] }, "extraContainers[0]: the name a is taken by another extra container"],
    ["initContainers", { initContainers: [{ name: "no-image" }] }, "initContainers[0]: each entry is a Kubernetes container with at least a name and an image"],
  ])("%s: a missing image or a taken name is refused with the key", async (_key, values, message) => {
    expect(await renderError({ values })).toContain(message);
  });

  it("extraContainers with a hostPort or a tunnel image are ways in only an external lock covers", async () => {
    const hostPort = { extraContainers: [{ name: "debug", image: "example.com/debug:1", ports: [{ containerPort: 9000, hostPort: 9000 }] }] };
    expect(await renderError({ values: hostPort })).toContain("extraContainers[0]");
    const tunnel = { extraContainers: [{ name: "ts", image: "tailscale/tailscale:v1.80" }] };
    expect(await renderError({ values: tunnel })).toContain("extraContainers[0]");
    const oauth2Proxy = { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com", allowedEmails: ["a@example.com"] } };
    // A sign-in proxy in the pod does not see a tunnel sidecar's traffic.
    expect(await renderError({ values: { ...tunnel, auth: oauth2Proxy } })).toContain("extraContainers[0]");
    await render({ values: { ...tunnel, auth: { mode: "external", external: { description: "tailnet ACLs" } } } });
    await render({ values: { ...hostPort, auth: { acknowledgeUnauthenticated: true } } });
    // A plain sidecar is no way in.
    await render({ values: { extraContainers: [{ name: "shipper", image: "example.com/shipper:1", ports: [{ containerPort: 9000 }] }] } });
  });
});

describe("extraObjects", () => {
  it("extraObjects render objects and templated strings", async () => {
    const { objects } = await render({
      values: {
        extraObjects: [
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "{{ .Release.Name }}-extra" }, data: { a: "1" } },
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"openhands.fullname\" . }}-two\ndata:\n  size: {{ .Values.persistence.state.size | quote }}\n",
        ],
      },
    });
    expect(getObject(objects, "ConfigMap", "openhands-extra")).toMatchObject({ data: { a: "1" } });
    expect(getObject(objects, "ConfigMap", "openhands-two")).toMatchObject({ data: { size: "5Gi" } });
  });

  it("an entry without kind or name is refused with its index", async () => {
    expect(await renderError({ values: { extraObjects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } }, { apiVersion: "v1", metadata: { name: "b" } }] } })).toContain("extraObjects[1]: each entry must render to one Kubernetes object");
  });

  const ingress = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "extra" }, spec: { rules: [{ host: "oh.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "openhands", port: { name: "http" } } } }] } }] } };
  const oauth2Proxy = { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com", allowedEmails: ["a@example.com"] } };

  it("an Ingress or route in extraObjects is a way in: refused without auth, covered by oauth2Proxy or external", async () => {
    expect(await renderError({ values: { extraObjects: [ingress] } })).toMatch(/extraObjects\[0\].*Ingress extra/s);
    await render({ values: { extraObjects: [ingress], auth: oauth2Proxy } });
    await render({ values: { extraObjects: [ingress], auth: { mode: "external", external: { description: "VPN only" } } } });
    const route = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "r" }, spec: {} };
    expect(await renderError({ values: { extraObjects: [route] } })).toContain("extraObjects[0]");
  });

  it("a published Service in extraObjects that selects the pod past the sign-in proxy needs an external lock", async () => {
    const service = (targetPort: string) => ({
      apiVersion: "v1", kind: "Service", metadata: { name: "lan" },
      spec: { type: "LoadBalancer", selector: { "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "server" }, ports: [{ port: 80, targetPort }] },
    });
    expect(await renderError({ values: { extraObjects: [service("http")], auth: oauth2Proxy } })).toMatch(/extraObjects\[0\].*other than oauth2-proxy/s);
    await render({ values: { extraObjects: [service("oauth2-proxy")], auth: oauth2Proxy } });
    // A Service that selects other pods is not a way into OpenHands.
    await render({ values: { extraObjects: [{ ...service("http"), spec: { ...service("http").spec, selector: { app: "other" } } }] } });
  });
});

describe("Service fields", () => {
  const lb = { type: "LoadBalancer" };
  const external = { mode: "external", external: { description: "firewall" } };

  it("service.loadBalancerIP renders on a LoadBalancer Service", async () => {
    const svc = getObject<any>((await render({ values: { service: { ...lb, loadBalancerIP: "192.0.2.10" }, auth: external } })).objects, "Service");
    expect(svc.spec.loadBalancerIP).toBe("192.0.2.10");
  });

  it("service.loadBalancerClass renders on a LoadBalancer Service", async () => {
    const svc = getObject<any>((await render({ values: { service: { ...lb, loadBalancerClass: "service.k8s.aws/nlb" }, auth: external } })).objects, "Service");
    expect(svc.spec.loadBalancerClass).toBe("service.k8s.aws/nlb");
  });

  it("service.loadBalancerSourceRanges renders, and does not stand in for sign-in", async () => {
    const values = { service: { ...lb, loadBalancerSourceRanges: ["203.0.113.0/24", "2001:db8::/32"] } };
    expect(await renderError({ values })).toContain("service.type");
    const svc = getObject<any>((await render({ values: { ...values, auth: external } })).objects, "Service");
    expect(svc.spec.loadBalancerSourceRanges).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
  });

  it("service.externalTrafficPolicy renders on NodePort and LoadBalancer Services", async () => {
    const svc = getObject<any>((await render({ values: { service: { type: "NodePort", nodePort: 30080, externalTrafficPolicy: "Local" }, auth: external } })).objects, "Service");
    expect(svc.spec.externalTrafficPolicy).toBe("Local");
    expect(await renderError({ values: { service: { externalTrafficPolicy: "Local" } } })).toContain("service.externalTrafficPolicy: applies to NodePort and LoadBalancer Services only");
  });

  it("service.loadBalancer* on a ClusterIP Service is refused with the key", async () => {
    expect(await renderError({ values: { service: { loadBalancerClass: "x" } } })).toContain("service.loadBalancerClass: applies to a LoadBalancer Service only");
  });

  it("service.labels label the Service", async () => {
    const svc = getObject<any>((await render({ values: { service: { labels: { "example.com/exposed": "lan" } } } })).objects, "Service");
    expect(svc.metadata.labels["example.com/exposed"]).toBe("lan");
  });
});

describe("claim fields", () => {
  it("persistence.*.volumeName binds the claim to a static volume, asking for no class unless one is set", async () => {
    const { objects } = await render({ values: { persistence: { state: { volumeName: "nfs-state" }, workspace: { volumeName: "nfs-ws", storageClass: "nfs" } } } });
    expect(getObject<any>(objects, "PersistentVolumeClaim", "openhands-state").spec).toMatchObject({ volumeName: "nfs-state", storageClassName: "" });
    expect(getObject<any>(objects, "PersistentVolumeClaim", "openhands-workspace").spec).toMatchObject({ volumeName: "nfs-ws", storageClassName: "nfs" });
  });

  it("persistence.*.selector picks among static volumes", async () => {
    const selector = { matchLabels: { "example.com/volume": "openhands-state" } };
    const { objects } = await render({ values: { persistence: { state: { selector } } } });
    expect(getObject<any>(objects, "PersistentVolumeClaim", "openhands-state").spec.selector).toEqual(selector);
  });

  it("persistence.*.dataSource restores a claim from a snapshot (dind.persistence too)", async () => {
    const dataSource = { kind: "VolumeSnapshot", apiGroup: "snapshot.storage.k8s.io", name: "state-0601" };
    const { objects } = await render({ values: { persistence: { state: { dataSource } }, dind: { persistence: { enabled: true, dataSource } } } });
    expect(getObject<any>(objects, "PersistentVolumeClaim", "openhands-state").spec.dataSource).toEqual(dataSource);
    expect(getObject<any>(objects, "PersistentVolumeClaim", "openhands-docker").spec.dataSource).toEqual(dataSource);
    expect(getObject<any>(objects, "PersistentVolumeClaim", "openhands-workspace").spec.dataSource).toBeUndefined();
  });
});

describe("the pod's hosts and DNS", () => {
  it("hostAliases merge with the chart's host.docker.internal entry: one entry per address", async () => {
    const { objects } = await render({
      values: { hostAliases: [{ ip: "127.0.0.1", hostnames: ["host.docker.internal", "local.test"] }, { ip: "10.0.0.5", hostnames: ["llm.internal"] }, { ip: "10.0.0.5", hostnames: ["git.internal", "llm.internal"] }] },
    });
    expect(serverDeployment(objects).spec.template.spec.hostAliases).toEqual([
      { ip: "10.0.0.5", hostnames: ["llm.internal", "git.internal"] },
      { ip: "127.0.0.1", hostnames: ["host.docker.internal", "local.test"] },
    ]);
  });

  it("hostAliases alone in a mode whose sandboxes are not on the pod's loopback (0.x kubernetes runtime)", async () => {
    const { objects } = await render({ valuesFiles: ["ci/v0-kubernetes-runtime-values.yaml"], values: { hostAliases: [{ ip: "10.0.0.5", hostnames: ["llm.internal"] }] } });
    expect(serverDeployment(objects).spec.template.spec.hostAliases).toEqual([{ ip: "10.0.0.5", hostnames: ["llm.internal"] }]);
  });

  it("hostAliases beside the chart's host.docker.internal in process mode (upstream calls agent servers there)", async () => {
    const { objects } = await render({ values: { sandbox: { mode: "process" }, hostAliases: [{ ip: "10.0.0.5", hostnames: ["llm.internal"] }] } });
    expect(serverDeployment(objects).spec.template.spec.hostAliases).toEqual([
      { ip: "10.0.0.5", hostnames: ["llm.internal"] },
      { ip: "127.0.0.1", hostnames: ["host.docker.internal"] },
    ]);
  });

  it("hostAliases may not move host.docker.internal in a mode whose sandboxes are on the pod's loopback", async () => {
    expect(await renderError({ values: { hostAliases: [{ ip: "10.0.0.9", hostnames: ["host.docker.internal"] }] } })).toContain("hostAliases[0]: host.docker.internal is 127.0.0.1");
  });

  it("dnsConfig reaches the pod", async () => {
    const dnsConfig = { nameservers: ["10.0.0.53"], searches: ["corp.example.com"], options: [{ name: "ndots", value: "2" }] };
    const { objects } = await render({ values: { dnsConfig } });
    expect(serverDeployment(objects).spec.template.spec.dnsConfig).toEqual(dnsConfig);
  });
});

describe("serviceAccount.labels", () => {
  it("serviceAccount.labels label the created ServiceAccount", async () => {
    const sa = getObject((await render({ values: { serviceAccount: { labels: { "azure.workload.identity/use": "true" } } } })).objects, "ServiceAccount");
    expect(sa.metadata.labels!["azure.workload.identity/use"]).toBe("true");
  });
});
