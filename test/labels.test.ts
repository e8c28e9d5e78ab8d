// Labels and annotations: one helper per object kind of metadata, the component on every
// object, user labels merged so no key renders twice, selectors that never change.
import { describe, expect, it } from "vitest";
import { getObject, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { serverDeployment } from "../ts/lib/workload.ts";

const everything = {
  llm: { model: "openai/gpt-4o", apiKey: { insecurePlaintextValue: "k" } },
  auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "sso", oidcIssuerUrl: "https://sso.example.com", allowedEmails: ["a@example.com"] } },
  tunnel: { enabled: true, hostname: "oh.example.com", token: { existingSecret: "tunnel" } },
  ingress: { enabled: true },
  networkPolicy: { enabled: true },
  namespace: { create: true },
};

/** Every metadata block of a render: objects and pod templates. */
function metadataBlocks(objects: K8sObject[]): { where: string; labels: Record<string, string>; annotations?: Record<string, string>; pod: boolean }[] {
  const blocks = [];
  for (const o of objects) {
    blocks.push({ where: `${o.kind}/${o.metadata.name}`, labels: o.metadata.labels ?? {}, annotations: o.metadata.annotations, pod: false });
    const spec = o.spec as any;
    const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
    if (template?.metadata) blocks.push({ where: `${o.kind}/${o.metadata.name} pod`, labels: template.metadata.labels ?? {}, annotations: template.metadata.annotations, pod: true });
  }
  return blocks;
}

describe("labels", () => {
  it("every object and pod template names its component (app.kubernetes.io/component)", async () => {
    const { objects } = await render({ values: everything });
    const components: Record<string, string> = {};
    // The release namespace holds every component.
    for (const block of metadataBlocks(objects.filter((o) => o.kind !== "Namespace"))) {
      expect(block.labels, block.where).toHaveProperty(["app.kubernetes.io/component"]);
      components[block.where] = block.labels["app.kubernetes.io/component"];
    }
    expect(components).toMatchObject({
      "Deployment/openhands": "server",
      "Deployment/openhands pod": "server",
      "Deployment/openhands-tunnel": "tunnel",
      "Deployment/openhands-tunnel pod": "tunnel",
      "Service/openhands": "server",
      "PersistentVolumeClaim/openhands-state": "state",
      "PersistentVolumeClaim/openhands-workspace": "workspace",
      "ConfigMap/openhands-gateway": "gateway",
      "ConfigMap/openhands-oauth2-proxy": "auth",
      "Pod/openhands-test": "test",
    });
  });

  it("commonLabels reach every object and pod template; podLabels only the server pod", async () => {
    const { objects } = await render({ values: { ...everything, commonLabels: { team: "ai" }, podLabels: { tier: "web" } } });
    for (const block of metadataBlocks(objects)) {
      expect(block.labels.team, block.where).toBe("ai");
      expect(block.labels.tier, block.where).toBe(block.where === "Deployment/openhands pod" ? "web" : undefined);
    }
  });

  it("a key in commonLabels and podLabels (or service.labels, serviceAccount.labels) renders once, the object's own value winning", async () => {
    const values = { commonLabels: { team: "ai", cost: "shared" }, podLabels: { team: "pod-team" }, service: { labels: { team: "svc-team" } }, serviceAccount: { labels: { team: "sa-team" } } };
    // render() parses with unique keys: a label rendered twice fails here.
    const { objects } = await render({ values });
    expect(serverDeployment(objects).spec.template.metadata.labels).toMatchObject({ team: "pod-team", cost: "shared" });
    expect(serverDeployment(objects).metadata.labels).toMatchObject({ team: "ai", cost: "shared" });
    expect(getObject(objects, "Service").metadata.labels).toMatchObject({ team: "svc-team", cost: "shared" });
    expect(getObject(objects, "ServiceAccount").metadata.labels).toMatchObject({ team: "sa-team", cost: "shared" });
  });

  it.each([
    ["commonLabels", { commonLabels: { "app.kubernetes.io/component": "web" } }, "app.kubernetes.io/component"],
    ["podLabels", { podLabels: { "app.kubernetes.io/name": "other" } }, "app.kubernetes.io/name"],
    ["service.labels", { service: { labels: { "app.kubernetes.io/instance": "x" } } }, "app.kubernetes.io/instance"],
    ["serviceAccount.labels", { serviceAccount: { labels: { "helm.sh/chart": "x" } } }, "helm.sh/chart"],
    ["namespace.labels", { namespace: { create: true, labels: { "app.kubernetes.io/managed-by": "me" } } }, "app.kubernetes.io/managed-by"],
  ])("%s may not set a label the chart sets (the error names the key)", async (key, values, label) => {
    const error = await renderError({ values });
    expect(error).toContain(`${key}: the label ${label} is set by the chart`);
  });

  it("selector labels never change, whatever the labels, chart version or image", async () => {
    const plain = await render({ values: everything });
    const decorated = await render({ values: { ...everything, commonLabels: { team: "ai" }, podLabels: { tier: "web" }, service: { labels: { svc: "x" } }, openhands: { image: { tag: "1.8.0" } } } });
    const selectors = (objects: K8sObject[]) => ({
      server: serverDeployment(objects).spec.selector.matchLabels,
      tunnel: (getObject(objects, "Deployment", "openhands-tunnel") as any).spec.selector.matchLabels,
      service: (getObject(objects, "Service") as any).spec.selector,
      policy: (getObject(objects, "NetworkPolicy") as any).spec.podSelector.matchLabels,
    });
    const expected = { "app.kubernetes.io/name": "openhands", "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "server" };
    expect(selectors(plain.objects)).toEqual({ server: expected, tunnel: { ...expected, "app.kubernetes.io/component": "tunnel" }, service: expected, policy: expected });
    expect(selectors(decorated.objects)).toEqual(selectors(plain.objects));
  });

  it("namespace.labels may set the Pod Security labels, which the chart otherwise derives from the sandbox mode", async () => {
    const derived = getObject(await render({ values: { namespace: { create: true } } }).then((r) => r.objects), "Namespace");
    expect(derived.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged" });
    const set = getObject(await render({ values: { namespace: { create: true, labels: { "pod-security.kubernetes.io/audit": "restricted", zone: "a" } } } }).then((r) => r.objects), "Namespace");
    expect(set.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "restricted", zone: "a" });
  });
});

describe("commonAnnotations", () => {
  it("commonAnnotations reach the metadata of every object, not pod templates", async () => {
    const { objects } = await render({ values: { ...everything, commonAnnotations: { "example.com/owner": "ops" } } });
    for (const block of metadataBlocks(objects)) {
      if (block.pod) expect(block.annotations?.["example.com/owner"], block.where).toBeUndefined();
      else expect(block.annotations?.["example.com/owner"], block.where).toBe("ops");
    }
  });

  it("an object's own annotations win over commonAnnotations, and the chart's own win over both", async () => {
    const { objects } = await render({
      values: { commonAnnotations: { "example.com/owner": "ops", "helm.sh/resource-policy": "delete" }, service: { annotations: { "example.com/owner": "net" } } },
    });
    expect(getObject(objects, "Service").metadata.annotations).toEqual({ "example.com/owner": "net", "helm.sh/resource-policy": "delete" });
    expect(getObject(objects, "PersistentVolumeClaim", "openhands-state").metadata.annotations!["helm.sh/resource-policy"]).toBe("keep");
    expect(getObject(objects, "Pod", "openhands-test").metadata.annotations).toMatchObject({ "helm.sh/hook": "test", "example.com/owner": "ops" });
  });
});
