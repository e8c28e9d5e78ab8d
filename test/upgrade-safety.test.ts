// Upgrades that change nothing in the pod leave it alone, and changes the pod reads only at
// start replace it: stable pod template labels across chart versions, a checksum for every
// chart-rendered ConfigMap and Secret the pod reads, integers that stay integers, names and
// label values that stay valid whatever the release name or version.
import { appendFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getObject, render, type K8sObject, type RenderOptions } from "../ts/lib/render.ts";
import { serverDeployment } from "../ts/lib/workload.ts";
import { chartWithVersion } from "../ts/lib/chart-copy.ts";
import { clusterApiVersions, presets } from "../ts/lib/presets.ts";
import { validateAgainstOpenAPI } from "../ts/lib/openapi.ts";
import schema from "../values.schema.json" with { type: "json" };

const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Pod templates of the workloads in a render, by kind/name. */
function podTemplates(objects: K8sObject[]): Record<string, unknown> {
  const templates: Record<string, unknown> = {};
  for (const o of objects) {
    const spec = o.spec as any;
    const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
    if (template?.spec) templates[`${o.kind}/${o.metadata.name}`] = template;
  }
  return templates;
}

describe("a chart version bump that changes nothing in the pod", () => {
  let nextChart: string;
  beforeAll(() => {
    nextChart = chartWithVersion("0.2.0+build.7", "1.11.0");
  });
  afterAll(() => rmSync(path.dirname(nextChart), { recursive: true, force: true }));

  it.each(presets.map((p) => [p.name, p]))("renders identical pod templates in preset %s", async (_name, preset) => {
    const options: RenderOptions = { valuesFiles: preset.valuesFiles, apiVersions: clusterApiVersions };
    const current = await render(options);
    const next = await render({ ...options, chart: nextChart });
    const templates = podTemplates(current.objects);
    expect(Object.keys(templates).length).toBeGreaterThan(0);
    expect(podTemplates(next.objects)).toEqual(templates);
    // The workloads themselves do carry the new chart version.
    const deployment = serverDeployment(next.objects);
    expect(deployment.metadata.labels!["helm.sh/chart"]).toBe("openhands-0.2.0_build.7");
    expect(serverDeployment(current.objects).metadata.labels!["helm.sh/chart"]).toBe("openhands-0.1.0");
  });

  it("still replaces the pod when the app version changes (the image changes with it)", async () => {
    const bumped = chartWithVersion("0.2.0", "1.10.0");
    try {
      const current = serverDeployment((await render()).objects).spec.template;
      const next = serverDeployment((await render({ chart: bumped })).objects).spec.template;
      expect(next).not.toEqual(current);
      expect(next.spec.containers.find((c) => c.name === "openhands")!.image).toMatch(/:1\.10\.0$/);
    } finally {
      rmSync(path.dirname(bumped), { recursive: true, force: true });
    }
  });
});

describe("checksums of what the pod reads at start", () => {
  const checksums = (objects: K8sObject[]) => {
    const annotations = serverDeployment(objects).spec.template.metadata.annotations ?? {};
    return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith("checksum/")));
  };

  /** Chart-rendered ConfigMaps and Secrets the server pod mounts or reads variables from. */
  function readByPod(objects: K8sObject[]): string[] {
    const deployment = serverDeployment(objects);
    const spec = deployment.spec.template.spec as any;
    const names = new Set<string>();
    for (const v of spec.volumes ?? []) {
      if (v.configMap) names.add(`ConfigMap/${v.configMap.name}`);
      if (v.secret) names.add(`Secret/${v.secret.secretName}`);
    }
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) names.add(`Secret/${e.valueFrom.secretKeyRef.name}`);
        if (e.valueFrom?.configMapKeyRef) names.add(`ConfigMap/${e.valueFrom.configMapKeyRef.name}`);
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef) names.add(`Secret/${e.secretRef.name}`);
        if (e.configMapRef) names.add(`ConfigMap/${e.configMapRef.name}`);
      }
    }
    const rendered = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    return [...names].filter((n) => rendered.has(n)).sort();
  }

  const everyReadObject = {
    llm: { model: "openai/gpt-4o", apiKey: { insecurePlaintextValue: "sk-one" } },
    auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com", allowedEmails: ["a@example.com"] } },
  };

  it.each([
    ["the defaults", {}],
    ["plaintext LLM key, seeded settings and oauth2-proxy e-mail list", everyReadObject],
    ["sandbox mode kubernetes (0.x config.toml)", { openhands: { image: { tag: "0.62.0" } }, sandbox: { mode: "kubernetes", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" }, kubernetes: { ingressDomain: "sandboxes.example.com" } }, auth: { mode: "external", external: { description: "VPN" } } }],
  ])("every chart-rendered ConfigMap and Secret the pod reads has its checksum/<name> annotation (%s)", async (_label, values) => {
    const { objects } = await render({ values });
    const read = readByPod(objects);
    expect(read.length).toBeGreaterThan(0);
    const sums = checksums(objects);
    for (const name of read) {
      const suffix = name.split("/")[1].replace(/^openhands-/, "");
      expect(sums, `${name} has no checksum/${suffix}`).toHaveProperty([`checksum/${suffix}`]);
      expect(sums[`checksum/${suffix}`]).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("a new plaintext LLM key (llm.apiKey.insecurePlaintextValue) replaces the pod", async () => {
    const a = checksums((await render({ values: everyReadObject })).objects);
    const b = checksums((await render({ values: { ...everyReadObject, llm: { ...everyReadObject.llm, apiKey: { insecurePlaintextValue: "sk-two" } } } })).objects);
    expect(b["checksum/llm"]).not.toBe(a["checksum/llm"]);
    expect({ ...b, "checksum/llm": "" }).toEqual({ ...a, "checksum/llm": "" });
  });

  it("a changed 0.x config.toml (sandbox.kubernetes.*) replaces the pod", async () => {
    const base = { openhands: { image: { tag: "0.62.0" } }, sandbox: { mode: "kubernetes", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" }, kubernetes: { ingressDomain: "sandboxes.example.com" } }, auth: { mode: "external", external: { description: "VPN" } } };
    const a = checksums((await render({ values: base })).objects);
    const b = checksums((await render({ values: { ...base, sandbox: { ...base.sandbox, kubernetes: { ...base.sandbox.kubernetes, pvcStorageSize: "9Gi" } } } })).objects);
    expect(a["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
    expect(b["checksum/config"]).not.toBe(a["checksum/config"]);
  });

  it("a changed seed script in files/ replaces the pod", async () => {
    const changed = chartWithVersion("0.1.0");
    try {
      appendFileSync(path.join(changed, "files/seed-llm-settings.py"), "\n# changed\n");
      const a = checksums((await render({ values: everyReadObject })).objects);
      const b = checksums((await render({ values: everyReadObject, chart: changed })).objects);
      expect(b["checksum/scripts"]).not.toBe(a["checksum/scripts"]);
    } finally {
      rmSync(path.dirname(changed), { recursive: true, force: true });
    }
  });

  it("a changed label alone (commonLabels) does not change a checksum", async () => {
    const a = checksums((await render({ values: everyReadObject })).objects);
    const b = checksums((await render({ values: { ...everyReadObject, commonLabels: { team: "x" } } })).objects);
    expect(b).toEqual(a);
    expect(Object.keys(a).sort()).toEqual(["checksum/gateway", "checksum/llm", "checksum/oauth2-proxy", "checksum/scripts"]);
  });
});

/** Every integer or number value path of the schema (objects only; arrays and maps are the user's). */
function numericPaths(node: any = schema, prefix: string[] = []): { path: string[]; value: number }[] {
  const resolve = (n: any): any => (n?.$ref ? resolve((schema as any).definitions[n.$ref.replace("#/definitions/", "")]) : n);
  const found: { path: string[]; value: number }[] = [];
  const n = resolve(node);
  const types = [n?.type].flat();
  if (types.includes("integer") || types.includes("number")) {
    const value = Math.max(n.minimum ?? 0, Math.min(n.maximum ?? 1234567, 1234567));
    return [{ path: prefix, value }];
  }
  for (const [key, child] of Object.entries(n?.properties ?? {})) found.push(...numericPaths(child, [...prefix, key]));
  return found;
}

function setPath(target: Record<string, any>, keys: string[], value: unknown) {
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

describe("numbers", () => {
  const paths = numericPaths();

  it("finds the numeric values of the chart", () => {
    const names = paths.map((p) => p.path.join("."));
    for (const expected of ["terminationGracePeriodSeconds", "openhands.probes.startup.periodSeconds", "tunnel.replicas", "dockerCleanup.failedJobsHistoryLimit", "dind.startupTimeoutSeconds"]) {
      expect(names).toContain(expected);
    }
  });

  it.each(presets.map((p) => [p.name, p]))("render as integers however large they are (every numeric value path, preset %s)", async (_name, preset) => {
    // Ports keep their schema maximum; everything else is set to 1234567. A key the preset's
    // OpenHands release refuses (the preflight names it) is left out.
    const refused = new Set<string>(["sandbox.process.ports"]);
    const valuesFor = () => {
      const values: Record<string, any> = {};
      for (const { path: keys, value } of paths) if (!refused.has(keys.join("."))) setPath(values, keys, value);
      return values;
    };
    let rendered: Awaited<ReturnType<typeof render>> | undefined;
    for (let attempt = 0; !rendered && attempt < 5; attempt++) {
      try {
        rendered = await render({ valuesFiles: preset.valuesFiles, values: valuesFor(), apiVersions: clusterApiVersions });
      } catch (error) {
        const key = paths.map((p) => p.path.join(".")).find((k) => String(error).includes(`${k}: `));
        if (!key || refused.has(key)) throw error;
        refused.add(key);
      }
    }
    const { manifest, objects } = rendered!;
    expect(manifest).not.toMatch(/\d\.\d+e\+\d+/);
    expect(serverDeployment(objects).spec.template.spec.terminationGracePeriodSeconds).toBe(1234567);
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      // The app container: the GUI server's, or Canvas' (app: canvas).
      const app = serverDeployment(objects).spec.template.spec.containers.find((c) => c.name === "openhands" || c.name === "canvas") as any;
      if (app[probe]) expect(app[probe].periodSeconds).toBe(1234567);
    }
  });

  it("terminationGracePeriodSeconds 1234567 renders as 1234567", async () => {
    const { manifest } = await render({ values: { terminationGracePeriodSeconds: 1234567 } });
    expect(manifest).toContain("terminationGracePeriodSeconds: 1234567\n");
  });

  it("tunnel.replicas and tunnel.metricsPort render as integers", async () => {
    const { objects, manifest } = await render({ values: { tunnel: { enabled: true, hostname: "oh.example.com", token: { existingSecret: "t" }, replicas: 1000000, metricsPort: 20000 } }, set: { "auth.mode": "external", "auth.external.description": "Cloudflare Access" } });
    const tunnel = getObject<any>(objects, "Deployment", "openhands-tunnel");
    expect(tunnel.spec.replicas).toBe(1000000);
    expect(tunnel.spec.template.spec.containers[0].args).toContain("0.0.0.0:20000");
    expect(manifest).not.toMatch(/e\+0/);
  });
});

describe("oauth2-proxy arguments", () => {
  it("are each a quoted string, whatever the values hold", async () => {
    const tricky = "a: b #c";
    const { manifest, objects } = await render({
      values: {
        auth: {
          mode: "oauth2Proxy",
          oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com/x?y=1&z", emailDomains: ["*"], allowedGroups: [tricky, "yes"], cookieDomains: [".example.com"], whitelistDomains: ["*.example.com:8080"], extraArgs: ["--scope=openid email", "on"], redirectUrl: "https://oh.example.com/oauth2/callback" },
        },
      },
    });
    const proxy = serverDeployment(objects).spec.template.spec.containers.find((c) => c.name === "oauth2-proxy")!;
    expect(proxy.args).toEqual(expect.arrayContaining([`--allowed-group=${tricky}`, "--allowed-group=yes", "--cookie-domain=.example.com", "--whitelist-domain=*.example.com:8080", "--scope=openid email", "on", "--oidc-issuer-url=https://sso.example.com/x?y=1&z"]));
    for (const arg of proxy.args!) expect(typeof arg).toBe("string");
    // In the manifest text: every entry of the args list is a double-quoted scalar.
    const block = manifest.slice(manifest.indexOf("- name: oauth2-proxy"));
    const args = block.slice(block.indexOf("args:") + 5, block.indexOf("env:")).split("\n").map((l) => l.trim()).filter(Boolean);
    expect(args.length).toBe(proxy.args!.length);
    for (const line of args) expect(line).toMatch(/^- ".*"$/);
  });
});

describe("names and label values", () => {
  it("a release name containing -- keeps it in every object name", async () => {
    const { objects } = await render({ releaseName: "my--app", values: { llm: { model: "openai/gpt-4o", apiKey: { insecurePlaintextValue: "k" } } } });
    const names = objects.map((o) => o.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["my--app-openhands", "my--app-openhands-llm", "my--app-openhands-state", "my--app-openhands-gateway"]));
    for (const name of names) expect(name.startsWith("my--app-openhands")).toBe(true);
  });

  it("a name cut at 63 characters drops only the dashes left at the cut", async () => {
    // <release>-openhands is 63 characters; cut for the 12-character suffix it ends in "--".
    const release = `${"a".repeat(48)}--bbb`;
    const auth = { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com", allowedEmails: ["a@example.com"] } };
    const { objects } = await render({ releaseName: release, values: { auth } });
    expect(getObject(objects, "Deployment", `${release}-openhands`)).toBeDefined();
    expect(getObject(objects, "ConfigMap", `${release}-o-gateway`)).toBeDefined();
    expect(getObject(objects, "ConfigMap", `${"a".repeat(48)}-oauth2-proxy`)).toBeDefined();
    for (const o of objects) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      expect(o.metadata.name, o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(o.metadata.name, o.metadata.name).not.toMatch(/---/);
    }
  });

  it("a version with + or a long tag still makes valid version and chart labels", async () => {
    const chart = chartWithVersion("1.0.0+build.5", "1.11.0+local.build");
    try {
      const { objects } = await render({ chart, values: { openhands: { image: { tag: "" } } } });
      const labels = serverDeployment(objects).metadata.labels!;
      expect(labels["helm.sh/chart"]).toBe("openhands-1.0.0_build.5");
      expect(labels["app.kubernetes.io/version"]).toBe("1.11.0_local.build");
      const long = await render({ values: { openhands: { generation: "v1", image: { tag: `${"a".repeat(62)}.b${"c".repeat(20)}` } } } });
      for (const o of long.objects) for (const v of Object.values(o.metadata.labels ?? {})) expect(String(v), `${o.kind}/${o.metadata.name}`).toMatch(labelValue);
      expect(serverDeployment(long.objects).metadata.labels!["app.kubernetes.io/version"]).toBe("a".repeat(62));
      for (const o of objects) await validateAgainstOpenAPI(o);
    } finally {
      rmSync(path.dirname(chart), { recursive: true, force: true });
    }
  });
});
