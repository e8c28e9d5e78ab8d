// ci/blog-dind-values.yaml reproduces System A of the seed, with the unsafe parts made safe.
import { beforeAll, describe, expect, it } from "vitest";
import { getObject, objectsOfKind, render, type K8sObject } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment, volume } from "../ts/lib/workload.ts";
import { helms } from "../ts/lib/presets.ts";

describe.each(helms)("blog DinD preset, rendered by %s", (helm) => {
  let modern: K8sObject[];
  let legacy: K8sObject[];
  beforeAll(async () => {
    [modern, legacy] = await Promise.all(
      ["1.33.0", "1.28.0"].map(async (kubeVersion) => (await render({ helm, kubeVersion, valuesFiles: ["ci/blog-dind-values.yaml"] })).objects),
    );
  });

  it("runs OpenHands 0.28 with the 0.28 runtime image and LOG_ALL_EVENTS=true", () => {
    const app = container(serverDeployment(modern).spec.template.spec, "openhands");
    expect(app.image).toBe("docker.all-hands.dev/all-hands-ai/openhands:0.28");
    expect(envOf(app)).toMatchObject({
      SANDBOX_RUNTIME_CONTAINER_IMAGE: "docker.all-hands.dev/all-hands-ai/runtime:0.28-nikolaik",
      LOG_ALL_EVENTS: "true",
    });
  });

  it("keeps state on a 1Gi ReadWriteOnce longhorn claim named openhands-state at /.openhands-state", () => {
    const pvc = getObject(modern, "PersistentVolumeClaim", "openhands-state") as any;
    expect(pvc.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "longhorn", resources: { requests: { storage: "1Gi" } } });
    const spec = serverDeployment(modern).spec.template.spec;
    expect(volume(spec, "state").persistentVolumeClaim.claimName).toBe("openhands-state");
    expect(mountsOf(container(spec, "openhands")).state).toBe("/.openhands-state");
    expect(envOf(container(spec, "openhands")).FILE_STORE_PATH).toBe("/.openhands-state");
    expect(objectsOfKind(modern, "PersistentVolumeClaim")).toHaveLength(1);
  });

  it("runs the docker:28.0.1-dind daemon privileged, started before the app as a native sidecar", () => {
    const spec = serverDeployment(modern).spec.template.spec;
    expect(spec.initContainers?.map((c) => c.name)).toEqual(["dind"]);
    const dind = spec.initContainers![0];
    expect(dind).toMatchObject({ name: "dind", image: "docker.io/library/docker:28.0.1-dind", restartPolicy: "Always", securityContext: { privileged: true } });
    expect(dind.startupProbe!.exec.command).toEqual(["docker", "info"]);
  });

  it("falls back to the seed's postStart wait on Kubernetes 1.28, daemon first", () => {
    const spec = serverDeployment(legacy).spec.template.spec;
    expect(spec.containers.map((c) => c.name)).toEqual(["dind", "openhands"]);
    // files/dind-post-start.sh waits that many seconds for `docker info`.
    const [shell, script, waitSeconds] = spec.containers[0].lifecycle!.postStart.exec.command;
    expect([shell, script]).toEqual(["sh", "/opt/openhands-chart/dind-post-start.sh"]);
    expect(Number(waitSeconds)).toBeGreaterThan(0);
  });

  it("replaces the seed's DOCKER_HOST=tcp://localhost:2375 with a pod-local socket", () => {
    const spec = serverDeployment(modern).spec.template.spec;
    expect(envOf(container(spec, "openhands")).DOCKER_HOST).toBe("unix:///run/dind/docker.sock");
    expect(JSON.stringify(spec)).not.toContain("2375");
  });

  it("maps host.docker.internal to 127.0.0.1", () => {
    expect(serverDeployment(modern).spec.template.spec.hostAliases).toEqual([{ ip: "127.0.0.1", hostnames: ["host.docker.internal"] }]);
  });

  it("exposes openhands.example.com through an nginx Ingress with oauth2-proxy external auth, cert-manager and TLS secret openhands-tls", () => {
    const ing = getObject(modern, "Ingress", "openhands") as any;
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.spec.rules[0].host).toBe("openhands.example.com");
    expect(ing.spec.tls).toEqual([{ hosts: ["openhands.example.com"], secretName: "openhands-tls" }]);
    expect(ing.metadata.annotations).toMatchObject({
      "cert-manager.io/cluster-issuer": "letsencrypt-prod",
      "nginx.ingress.kubernetes.io/auth-url": "https://auth.example.com/oauth2/auth",
      "nginx.ingress.kubernetes.io/auth-signin": "https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
    });
  });

  it("gives sandboxes no workspace volume, as the blog did", () => {
    const app = container(serverDeployment(modern).spec.template.spec, "openhands");
    expect(envOf(app)).not.toHaveProperty("SANDBOX_VOLUMES");
    expect(envOf(app)).not.toHaveProperty("WORKSPACE_BASE");
  });
});
