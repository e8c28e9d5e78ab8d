// The OpenHands Deployment: image, replicas, probes, scheduling, security and extras.
import { describe, expect, it } from "vitest";
import { getObject, render } from "../ts/lib/render.ts";
import { clusterApiVersions } from "../ts/lib/presets.ts";
import { container, envOf, mountsOf, serverDeployment, volume } from "../ts/lib/workload.ts";

async function deployment(values: Record<string, unknown> = {}) {
  const { objects } = await render({ values });
  return { objects, deployment: serverDeployment(objects) };
}

describe("OpenHands workload", () => {
  it("runs one replica with the Recreate strategy (one writer for the state volume)", async () => {
    const { deployment: d } = await deployment();
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
  });

  it("updateStrategy.type RollingUpdate is passed through for ReadWriteMany setups", async () => {
    const { deployment: d } = await deployment({ updateStrategy: { type: "RollingUpdate" } });
    expect(d.spec.strategy.type).toBe("RollingUpdate");
  });

  it("an empty openhands.image.tag means the chart's appVersion", async () => {
    const app = container((await deployment()).deployment.spec.template.spec, "openhands");
    expect(app.image).toBe("docker.openhands.dev/openhands/openhands:1.11.0");
  });

  it("openhands.image.digest wins over the tag", async () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const app = container((await deployment({ openhands: { image: { tag: "1.8.0", digest } } })).deployment.spec.template.spec, "openhands");
    expect(app.image).toBe(`docker.openhands.dev/openhands/openhands@${digest}`);
  });

  it("an empty registry gives a Docker Hub reference", async () => {
    const app = container((await deployment({ openhands: { image: { registry: "", repository: "me/openhands", tag: "1.8.0" } } })).deployment.spec.template.spec, "openhands");
    expect(app.image).toBe("me/openhands:1.8.0");
  });

  it("selector labels stay the same whatever the image, labels or chart version", async () => {
    const a = (await deployment()).deployment.spec.selector.matchLabels;
    const b = (await deployment({ openhands: { image: { tag: "1.8.0" } }, commonLabels: { team: "a" }, podLabels: { x: "y" } })).deployment.spec.selector.matchLabels;
    expect(a).toEqual({ "app.kubernetes.io/name": "openhands", "app.kubernetes.io/instance": "openhands", "app.kubernetes.io/component": "server" });
    expect(b).toEqual(a);
  });

  it("the pod template carries the selector labels, commonLabels and podLabels", async () => {
    const { deployment: d } = await deployment({ commonLabels: { team: "a" }, podLabels: { tier: "ai" }, podAnnotations: { "example.com/x": "1" } });
    expect(d.spec.template.metadata.labels).toMatchObject({ ...d.spec.selector.matchLabels, team: "a", tier: "ai" });
    expect(d.spec.template.metadata.annotations).toMatchObject({ "example.com/x": "1" });
    expect(d.metadata.labels).toMatchObject({ team: "a" });
  });

  it("probes the app's /health endpoint on the http port, with the timings from openhands.probes", async () => {
    const app = container((await deployment({ openhands: { probes: { startup: { failureThreshold: 60 } } } })).deployment.spec.template.spec, "openhands");
    for (const probe of [app.startupProbe, app.livenessProbe, app.readinessProbe]) {
      expect(probe!.httpGet).toEqual({ path: "/health", port: "http" });
    }
    expect(app.startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 60 });
    expect(app.ports).toEqual([{ name: "http", containerPort: 3001, protocol: "TCP" }]);
  });

  it("a probe with enabled false is left out", async () => {
    const app = container((await deployment({ openhands: { probes: { readiness: { enabled: false } } } })).deployment.spec.template.spec, "openhands");
    expect(app.readinessProbe).toBeUndefined();
    expect(app.livenessProbe).toBeDefined();
  });

  it("openhands.resources reach the app container", async () => {
    const app = container((await deployment({ openhands: { resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1000m", memory: "1Gi" } } } })).deployment.spec.template.spec, "openhands");
    expect(app.resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1000m", memory: "1Gi" } });
  });

  it("nodeSelector, affinity, tolerations and priorityClassName reach the pod", async () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["golyat-1"] }] }] } } };
    const tolerations = [{ key: "dedicated", operator: "Equal", value: "ai", effect: "NoSchedule" }];
    const spec = (await deployment({ nodeSelector: { "kubernetes.io/arch": "amd64" }, affinity, tolerations, priorityClassName: "high" })).deployment.spec.template.spec;
    expect(spec).toMatchObject({ nodeSelector: { "kubernetes.io/arch": "amd64" }, affinity, tolerations, priorityClassName: "high" });
  });

  it("the pod runs with the RuntimeDefault seccomp profile, no service links and no API token by default", async () => {
    const spec = (await deployment()).deployment.spec.template.spec;
    expect(spec).toMatchObject({ securityContext: { seccompProfile: { type: "RuntimeDefault" } }, enableServiceLinks: false, automountServiceAccountToken: false });
    expect(container(spec, "openhands").securityContext).toEqual({ allowPrivilegeEscalation: false });
  });

  it("podSecurityContext and openhands.securityContext are passed through", async () => {
    const spec = (await deployment({ sandbox: { gateway: { enabled: false } }, podSecurityContext: { fsGroup: 1000 }, openhands: { securityContext: { readOnlyRootFilesystem: false, capabilities: { drop: ["NET_RAW"] } } } })).deployment.spec.template.spec;
    expect(spec.securityContext).toEqual({ fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(container(spec, "openhands").securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ["NET_RAW"] } });
  });

  it("openhands.extraEnv, extraEnvFrom, extraVolumes and extraVolumeMounts reach the app", async () => {
    const spec = (
      await deployment({
        openhands: {
          extraEnv: [{ name: "LLM_API_KEY", valueFrom: { secretKeyRef: { name: "llm", key: "api-key" } } }],
          extraEnvFrom: [{ configMapRef: { name: "openhands-settings" } }],
          extraVolumes: [{ name: "ca", configMap: { name: "corporate-ca" } }],
          extraVolumeMounts: [{ name: "ca", mountPath: "/etc/ssl/custom", readOnly: true }],
        },
      })
    ).deployment.spec.template.spec;
    const app = container(spec, "openhands") as any;
    expect(envOf(app).LLM_API_KEY).toEqual({ secretKeyRef: { name: "llm", key: "api-key" } });
    expect(app.envFrom).toEqual([{ configMapRef: { name: "openhands-settings" } }]);
    expect(mountsOf(app).ca).toBe("/etc/ssl/custom");
    expect(volume(spec, "ca")).toEqual({ name: "ca", configMap: { name: "corporate-ca" } });
  });

  it("imagePullSecrets and terminationGracePeriodSeconds reach the pod", async () => {
    const spec = (await deployment({ imagePullSecrets: [{ name: "regcred" }], terminationGracePeriodSeconds: 120 })).deployment.spec.template.spec;
    expect(spec).toMatchObject({ imagePullSecrets: [{ name: "regcred" }], terminationGracePeriodSeconds: 120 });
  });

  // Upstream's entrypoint (a bash PID 1) runs the server as its child and ignores SIGTERM; the
  // runtime suite's restart step times the stop on the node.
  it.each([
    ["default values (1.x)", [] as string[]],
    ["ci/lolice-values.yaml (0.27)", ["ci/lolice-values.yaml"]],
    ["ci/blog-dind-values.yaml (0.28)", ["ci/blog-dind-values.yaml"]],
  ])("%s: a preStop hook passes the stop signal on to the server the image's entrypoint runs", async (_name, valuesFiles) => {
    const { objects } = await render({ valuesFiles, apiVersions: clusterApiVersions });
    const app = container(serverDeployment(objects).spec.template.spec, "openhands");
    expect(app.command, "the image's entrypoint runs").toBeUndefined();
    expect(app.lifecycle).toEqual({ preStop: { exec: { command: ["/bin/sh", "-c", "kill -TERM -1"] } } });
  });

  it("ci/hardened-values.yaml: the server is the container's first process and gets the stop signal itself; no hook", async () => {
    const { objects } = await render({ valuesFiles: ["ci/hardened-values.yaml"] });
    const app = container(serverDeployment(objects).spec.template.spec, "openhands");
    expect(app.command?.[0]).toBe("uvicorn");
    expect(app).not.toHaveProperty("lifecycle");
  });

  it("creates a ServiceAccount named after the release, with serviceAccount.annotations", async () => {
    const { objects, deployment: d } = await deployment({ serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x" } } });
    const sa = getObject(objects, "ServiceAccount", "openhands") as any;
    expect(sa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x" });
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(d.spec.template.spec.serviceAccountName).toBe("openhands");
  });

  it("serviceAccount.create false uses the named (or default) account and renders none", async () => {
    const { objects, deployment: d } = await deployment({ serviceAccount: { create: false, name: "shared" } });
    expect(objects.some((o) => o.kind === "ServiceAccount")).toBe(false);
    expect(d.spec.template.spec.serviceAccountName).toBe("shared");
    const fallback = (await deployment({ serviceAccount: { create: false } })).deployment;
    expect(fallback.spec.template.spec.serviceAccountName).toBe("default");
  });

  it("object names are <release>-openhands, the release alone when it contains the chart name, or fullnameOverride", async () => {
    const named = await render({ releaseName: "team-a" });
    expect(named.objects.find((o) => o.kind === "Deployment")!.metadata.name).toBe("team-a-openhands");
    const contained = await render({ releaseName: "my-openhands" });
    expect(contained.objects.find((o) => o.kind === "Deployment")!.metadata.name).toBe("my-openhands");
    const { objects } = await render({ values: { fullnameOverride: "oh" } });
    expect(objects.map((o) => o.metadata.name)).toEqual(["oh", "oh-gateway", "oh-scripts", "oh-state", "oh-workspace", "oh-docker", "oh", "oh", "oh-test"]);
  });

  it("a release name of 63 characters still gives names within 63 characters", async () => {
    const { objects } = await render({ releaseName: "r".repeat(53) });
    for (const o of objects) expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    expect(objects.find((o) => o.kind === "PersistentVolumeClaim")!.metadata.name).toMatch(/-state$/);
  });
});
