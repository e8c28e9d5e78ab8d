// ci/lolice-values.yaml reproduces System B of the seed, with its mistakes corrected.
import { beforeAll, describe, expect, it } from "vitest";
import { getObject, objectsOfKind, render, type K8sObject } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment, type Deployment } from "../ts/lib/workload.ts";
import { clusterApiVersions, helms } from "../ts/lib/presets.ts";

describe.each(helms)("lolice preset, rendered by %s", (helm) => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = (await render({ helm, valuesFiles: ["ci/lolice-values.yaml"], apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects;
  });
  const server = () => serverDeployment(objects);
  const app = () => container(server().spec.template.spec, "openhands");

  it("runs OpenHands 0.27 with the 0.27-nikolaik runtime on the node's Docker socket", () => {
    expect(app().image).toBe("docker.all-hands.dev/all-hands-ai/openhands:0.27");
    expect(envOf(app())).toMatchObject({ SANDBOX_RUNTIME_CONTAINER_IMAGE: "docker.all-hands.dev/all-hands-ai/runtime:0.27-nikolaik", DOCKER_HOST: "unix:///var/run/docker.sock" });
    expect((server().spec.template.spec.volumes as any[]).find((v) => v.name === "docker-socket")).toEqual({ name: "docker-socket", hostPath: { path: "/var/run/docker.sock", type: "Socket" } });
  });

  it("is pinned to golyat-1 with host networking, ClusterFirstWithHostNet and Recreate, and reaches its runtime on loopback", () => {
    const spec = server().spec.template.spec as any;
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: "kubernetes.io/hostname", operator: "In", values: ["golyat-1"] });
    expect(spec).toMatchObject({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" });
    expect(server().spec.strategy.type).toBe("Recreate");
    expect(envOf(app()).SANDBOX_LOCAL_RUNTIME_URL).toBe("http://127.0.0.1");
  });

  it("requests 500m/1Gi and is limited to 1000m/1Gi", () => {
    expect(app().resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1000m", memory: "1Gi" } });
  });

  it("keeps state on a 5Gi ReadWriteOnce longhorn claim at /.openhands, and hands sandboxes the node's /opt/workspace_base", () => {
    const pvc = getObject(objects, "PersistentVolumeClaim", "openhands-state") as any;
    expect(pvc.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "longhorn", resources: { requests: { storage: "5Gi" } } });
    expect(mountsOf(app())).toMatchObject({ state: "/.openhands", workspace: "/opt/workspace_base" });
    expect(envOf(app())).toMatchObject({ FILE_STORE_PATH: "/.openhands", WORKSPACE_BASE: "/opt/workspace_base", WORKSPACE_MOUNT_PATH: "/opt/workspace_base" });
  });

  it("uses Bedrock in ap-northeast-1 with the bedrock/ model and credentials from parameter-reader-credentials", () => {
    expect(envOf(app())).toMatchObject({
      LLM_MODEL: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      AWS_REGION_NAME: "ap-northeast-1",
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "parameter-reader-credentials", key: "AWS_ACCESS_KEY_ID" } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "parameter-reader-credentials", key: "AWS_SECRET_ACCESS_KEY" } },
    });
  });

  it("fills tunnel-credentials and parameter-reader-credentials from the ClusterSecretStore parameterstore every hour", () => {
    const externalSecrets = objectsOfKind(objects, "ExternalSecret") as any[];
    expect(externalSecrets.map((e) => [e.spec.target.name, e.spec.data.map((d: any) => `${d.secretKey}<-${d.remoteRef.key}`)])).toEqual([
      ["tunnel-credentials", ["tunnel-token<-openhands-tunnel-token"]],
      ["parameter-reader-credentials", ["AWS_ACCESS_KEY_ID<-parameter-reader-access-key-id", "AWS_SECRET_ACCESS_KEY<-parameter-reader-secret-access-key"]],
    ]);
    for (const e of externalSecrets) expect(e.spec).toMatchObject({ refreshInterval: "1h", secretStoreRef: { name: "parameterstore", kind: "ClusterSecretStore" } });
  });

  it("runs one cloudflared off golyat-1 with http2, its token from tunnel-credentials, 100m/128Mi to 200m/256Mi", () => {
    const tunnel = getObject<Deployment>(objects, "Deployment", "openhands-tunnel");
    const spec = tunnel.spec.template.spec as any;
    expect(tunnel.spec.replicas).toBe(1);
    const c = container(spec, "cloudflared") as any;
    expect(c.args).toEqual(["tunnel", "--metrics", "0.0.0.0:2000", "run", "--protocol", "http2"]);
    expect(envOf(c).TUNNEL_TOKEN).toEqual({ secretKeyRef: { name: "tunnel-credentials", key: "tunnel-token" } });
    expect(c.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } });
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: "kubernetes.io/hostname", operator: "NotIn", values: ["golyat-1"] });
  });

  it("serves port 80 to the app, and cleans the node's Docker nightly on golyat-1 without touching sandboxes", () => {
    expect((getObject(objects, "Service") as any).spec.ports[0]).toMatchObject({ port: 80, targetPort: "http" });
    const job = getObject(objects, "CronJob") as any;
    const pod = job.spec.jobTemplate.spec.template.spec;
    expect(job.spec.schedule).toBe("0 0 * * *");
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(["golyat-1"]);
    expect(pod.containers[0].command).toEqual(["sh", "/opt/openhands-chart/docker-cleanup.sh"]);
    expect(pod.containers[0].env).toEqual([{ name: "CLEANUP_POLICY", value: "safe" }]);
    expect((getObject(objects, "ConfigMap", "openhands-scripts") as any).data["docker-cleanup.sh"]).toContain("oh-agent-server-*|openhands-runtime-*");
  });
});
