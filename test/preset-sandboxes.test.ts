// The sandbox-backend presets: the whole chain each one promises.
import { describe, expect, it } from "vitest";
import { getObject, objectsOfKind } from "../ts/lib/render.ts";
import { container, envOf, serverDeployment } from "../ts/lib/workload.ts";
import { renderPreset } from "../ts/lib/presets.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";


describe("v1-dind-gateway preset", () => {
  it("hands out https://<port>.sandbox.example.com, which the Ingress routes to the gateway under the wildcard certificate", async () => {
    const objects = await renderPreset("v1-dind-gateway");
    const env = envOf(container(serverDeployment(objects).spec.template.spec, "openhands"));
    expect(env).toMatchObject({
      SANDBOX_CONTAINER_URL_PATTERN: "https://{port}.sandbox.example.com",
      AGENT_SERVER_IMAGE_TAG: "1.34.0-python",
      PERMITTED_CORS_ORIGINS: "http://localhost:3000,https://openhands.example.com",
    });
    const ingress = getObject(objects, "Ingress") as any;
    expect(ingress.spec.rules.map((r: any) => [r.host, r.http.paths[0].backend.service.port.name])).toEqual([
      ["openhands.example.com", "http"],
      ["*.sandbox.example.com", "sandbox-gateway"],
    ]);
    expect(ingress.spec.tls).toContainEqual({ hosts: ["*.sandbox.example.com"], secretName: "sandbox-wildcard-tls" });
    const svc = getObject(objects, "Service") as any;
    expect(svc.spec.ports.map((p: any) => [p.name, p.targetPort])).toEqual([["http", "oauth2-proxy"], ["sandbox-gateway", "gateway"]]);
    const config = (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"];
    expect(config).toContain("server_name ~^(?<sandbox_port>[0-9]+)\\.sandbox\\.example\\.com$;");
    expect(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBe("3600");
  });

  it("keeps the Docker image cache on a claim and pre-pulls the sandbox image", async () => {
    const objects = await renderPreset("v1-dind-gateway");
    expect(objectsOfKind(objects, "PersistentVolumeClaim").map((c) => c.metadata.name)).toContain("openhands-docker");
    const dind = container(serverDeployment(objects).spec.template.spec, "dind");
    // files/dind-post-start.sh <wait seconds> <image to pre-pull>
    expect(dind.lifecycle!.postStart.exec.command).toEqual(["sh", "/opt/openhands-chart/dind-post-start.sh", "0", "ghcr.io/openhands/agent-server:1.34.0-python"]);
  });
});

describe("v1-process preset", () => {
  it("runs process sandboxes in a restricted pod, reached through the gateway on the Service's one port", async () => {
    const objects = await renderPreset("v1-process");
    const spec = serverDeployment(objects).spec.template.spec;
    expect(podSecurityLevel(spec)).toBe("restricted");
    expect(envOf(container(spec, "openhands")).RUNTIME).toBe("process");
    expect(envOf(container(spec, "openhands")).PROCESS_SANDBOX_URL_PATTERN).toBe("http://localhost:3000/sandbox/{port}");
    expect((getObject(objects, "Service") as any).spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual([[3000, "gateway"]]);
  });
});

describe("sysbox preset", () => {
  it("runs the daemon unprivileged under sysbox-runc, at Pod Security level baseline", async () => {
    const spec = serverDeployment(await renderPreset("sysbox")).spec.template.spec as any;
    expect(spec.runtimeClassName).toBe("sysbox-runc");
    expect(container(spec, "dind").securityContext?.privileged).toBeUndefined();
    expect(podSecurityLevel(spec)).toBe("baseline");
  });
});

describe("remote-docker preset", () => {
  it("drives the LAN daemon over TLS and forwards sandbox ports to it", async () => {
    const objects = await renderPreset("remote-docker");
    const spec = serverDeployment(objects).spec.template.spec;
    expect(envOf(container(spec, "openhands"))).toMatchObject({
      DOCKER_HOST: "tcp://192.168.10.20:2376",
      DOCKER_TLS_VERIFY: "1",
      OH_SANDBOX_MOUNTS_0_HOST_PATH: "/srv/openhands/workspace",
      OH_SANDBOX_CONTAINER_URL_PATTERN: "http://localhost:3000/sandbox/{port}",
    });
    expect((getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"]).toContain("proxy_pass http://192.168.10.20:$sandbox_port;");
    expect(podSecurityLevel(spec)).toBe("restricted");
  });

  it("sends sandboxes' webhooks to node port 30302 of 192.168.10.5, the callback listener, and gives them no app URL", async () => {
    const objects = await renderPreset("remote-docker");
    expect(envOf(container(serverDeployment(objects).spec.template.spec, "openhands"))).toMatchObject({
      OH_SANDBOX_KIND: "DockerSandboxServiceInjector",
      OH_SANDBOX_HOST_PORT: "30302",
      OH_SANDBOX_EXTRA_HOSTS: '{"host.docker.internal":"192.168.10.5"}',
      OH_WEB_URL: "",
    });
    expect((getObject(objects, "Service", "openhands-callback") as any).spec).toMatchObject({ type: "NodePort", ports: [{ port: 3002, targetPort: "callback", nodePort: 30302 }] });
  });
});

describe("v0-kubernetes-runtime preset", () => {
  it("runs 0.62 with the kubernetes runtime in openhands-runtimes, through the runtime Role", async () => {
    const objects = await renderPreset("v0-kubernetes-runtime");
    const spec = serverDeployment(objects).spec.template.spec;
    expect(container(spec, "openhands").image).toBe("docker.openhands.dev/openhands/openhands:0.62");
    expect(envOf(container(spec, "openhands"))).toMatchObject({ RUNTIME: "kubernetes", FILE_STORE_PATH: "/.openhands" });
    expect(getObject(objects, "Role").metadata.namespace).toBe("openhands-runtimes");
    expect((getObject(objects, "ConfigMap", "openhands-config") as any).data["config.toml"]).toContain('ingress_domain = "runtime.example.com"');
    expect(podSecurityLevel(spec)).toBe("restricted");
  });
});
