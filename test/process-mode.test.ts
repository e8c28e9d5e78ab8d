// Sandbox mode process (1.x): agent-server processes inside the app container, no Docker,
// reached through the gateway; the chart's fixes for upstream 1.11.0 ship as sitecustomize.
// test/runtime/process-mode.runtime.test.ts runs the rendered pod with the real app and UI.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { canUnshareNetwork, findNginx } from "../ts/lib/nginx.ts";
import { getObject, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment } from "../ts/lib/workload.ts";

const external = { mode: "external", external: { description: "test" } };

async function processPod(values: Record<string, unknown> = {}) {
  const sandbox = { mode: "process", ...((values.sandbox as object) ?? {}) };
  const { objects } = await render({ values: { ...values, sandbox } });
  const spec = serverDeployment(objects).spec.template.spec;
  return { objects, spec, env: envOf(container(spec, "openhands")) };
}
const gatewayConfig = (objects: K8sObject[]) => (getObject(objects, "ConfigMap", "openhands-gateway") as any).data["nginx.conf"] as string;
const scripts = (objects: K8sObject[]) => (getObject(objects, "ConfigMap", "openhands-scripts") as any).data as Record<string, string>;

describe("sandbox mode process: the pod", () => {
  it("runs the app and the gateway, nothing Docker-related", async () => {
    const { spec, env } = await processPod();
    expect(env.RUNTIME).toBe("process");
    for (const name of ["DOCKER_HOST", "AGENT_SERVER_IMAGE_REPOSITORY", "AGENT_SERVER_IMAGE_TAG", "SANDBOX_VOLUMES", "SANDBOX_CONTAINER_URL_PATTERN", "SANDBOX_HOST_PORT"]) {
      expect(env).not.toHaveProperty(name);
    }
    expect(spec.containers.map((c) => c.name)).toEqual(["openhands", "gateway"]);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.volumes!.map((v) => v.name)).toEqual(["state", "workspace", "process-sandbox-patch", "gateway-config", "gateway-tmp"]);
  });

  it("maps host.docker.internal to the pod itself: upstream calls its agent servers there whenever it detects a container", async () => {
    const { spec } = await processPod();
    expect(spec.hostAliases).toEqual([{ ip: "127.0.0.1", hostnames: ["host.docker.internal"] }]);
  });

  it("runs the server directly as the image's non-root user 42420 on port 3001, behind the gateway on 3000", async () => {
    const { spec } = await processPod();
    const app = container(spec, "openhands") as any;
    expect(app.command).toEqual(["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "3001"]);
    expect(app.ports).toEqual([{ name: "http", containerPort: 3001, protocol: "TCP" }]);
    expect(app.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 42420,
      runAsGroup: 42420,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 42420, seccompProfile: { type: "RuntimeDefault" } });
  });

  it("openhands.securityContext.runAsUser, the one uid knob, changes the user, group and fsGroup together", async () => {
    const { spec } = await processPod({ openhands: { securityContext: { runAsUser: 1000 } } });
    expect(container(spec, "openhands").securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(spec.securityContext).toMatchObject({ fsGroup: 1000 });
  });

  it("keeps the sandboxes' directories on the workspace volume, where upstream creates them", async () => {
    const { spec } = await processPod();
    expect(mountsOf(container(spec, "openhands")).workspace).toBe("/tmp/openhands-sandboxes");
  });

  it("the Service has one port, to the gateway (or to oauth2-proxy in front of it): agent servers get none", async () => {
    const { objects } = await processPod({ sandbox: { process: { ports: 3 } } });
    expect((getObject(objects, "Service") as any).spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([["http", 3000, "gateway"]]);
    const signedIn = await processPod({ auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "s", oidcIssuerUrl: "https://sso.example.com", emailDomains: ["*"] } } });
    expect((getObject(signedIn.objects, "Service") as any).spec.ports.map((p: any) => p.targetPort)).toEqual(["oauth2-proxy"]);
    expect(container(signedIn.spec, "oauth2-proxy").args).toContain("--upstream=http://127.0.0.1:3000/");
  });
});

describe("sandbox mode process: the chart's sitecustomize", () => {
  const file = readFileSync(path.join(repoRoot, "files/process-sandbox-sitecustomize.py"), "utf8");

  it("ships files/process-sandbox-sitecustomize.py unchanged in the scripts ConfigMap", async () => {
    const { objects } = await processPod();
    expect(scripts(objects)["process-sandbox-sitecustomize.py"]).toBe(file.trimEnd());
  });

  it("mounts it read-only as sitecustomize.py in a directory on the app's PYTHONPATH, before the image's /app", async () => {
    const { spec, env } = await processPod();
    const volume = spec.volumes!.find((v) => v.name === "process-sandbox-patch") as any;
    expect(volume.configMap).toEqual({ name: "openhands-scripts", items: [{ key: "process-sandbox-sitecustomize.py", path: "sitecustomize.py" }] });
    const mount = (container(spec, "openhands") as any).volumeMounts.find((m: any) => m.name === "process-sandbox-patch");
    expect(mount).toEqual({ name: "process-sandbox-patch", mountPath: "/opt/openhands-chart/python", readOnly: true });
    expect(env.PYTHONPATH).toBe("/opt/openhands-chart/python:/app");
  });

  it("rolls the pod when the file changes (checksum of the scripts ConfigMap)", async () => {
    const { objects } = await processPod();
    expect(serverDeployment(objects).spec.template.metadata.annotations).toHaveProperty("checksum/scripts");
  });

  it("gives it the start wait from sandbox.process.startTimeoutSeconds", async () => {
    expect((await processPod()).env.PROCESS_SANDBOX_START_SECONDS).toBe("120");
    expect((await processPod({ sandbox: { process: { startTimeoutSeconds: 300 } } })).env.PROCESS_SANDBOX_START_SECONDS).toBe("300");
  });

  it("patches exactly the upstream modules it names, and reads the variables the chart sets", () => {
    expect(file).toContain('"openhands.app_server.sandbox.process_sandbox_service"');
    expect(file).toContain('"openhands.app_server.app_conversation.live_status_app_conversation_service"');
    for (const name of ["PROCESS_SANDBOX_START_SECONDS", "PROCESS_SANDBOX_URL_PATTERN"]) expect(file).toContain(`os.environ.get("${name}")`);
  });

  it("is not rendered in other modes", async () => {
    const { objects } = await render({ values: { llm: { model: "openai/gpt-4o", apiKey: { existingSecret: "llm" } } } });
    expect(scripts(objects)).not.toHaveProperty("process-sandbox-sitecustomize.py");
    expect(envOf(container(serverDeployment(objects).spec.template.spec, "openhands"))).not.toHaveProperty("PYTHONPATH");
  });
});

describe("sandbox mode process: what agent servers inherit", () => {
  it("the app's state directory as FILE_STORE_PATH, which only the app reads; no OH_PERSISTENCE_DIR, which agent servers would share", async () => {
    const { env } = await processPod();
    expect(env.FILE_STORE_PATH).toBe("/.openhands");
    expect(env).not.toHaveProperty("OH_PERSISTENCE_DIR");
    expect((await processPod({ persistence: { state: { mountPath: "/data/openhands" } } })).env.FILE_STORE_PATH).toBe("/data/openhands");
  });

  it("a webhook to the app's own port, so the app records events and titles", async () => {
    const { env } = await processPod();
    expect(env.OH_WEBHOOKS_0_BASE_URL).toBe("http://127.0.0.1:3001/api/v1/webhooks");
    expect(env.OH_WEB_URL).toBe("http://127.0.0.1:3001");
  });

  it("every origin the chart exposes the UI at, as agent-server CORS origins", async () => {
    const { env } = await processPod({
      auth: external,
      ingress: { enabled: true, hosts: [{ host: "oh.example.com", paths: [{ path: "/", pathType: "Prefix" }] }], tls: [{ hosts: ["oh.example.com"], secretName: "tls" }] },
    });
    expect(env.OH_ALLOW_CORS_ORIGINS_0).toBe("http://localhost:3000");
    expect(env.OH_ALLOW_CORS_ORIGINS_1).toBe("https://oh.example.com");
    expect(env).not.toHaveProperty("OH_ALLOW_CORS_ORIGINS_2");
    expect(env.PERMITTED_CORS_ORIGINS).toBe("http://localhost:3000,https://oh.example.com");
  });
});

describe("sandbox mode process: the gateway", () => {
  it.each([
    ["kubectl port-forward 3000", {}, "http://localhost:3000/sandbox/{port}"],
    ["an Ingress", { auth: external, ingress: { enabled: true } }, "http://localhost/sandbox/{port}"],
    ["a LoadBalancer on port 8443", { auth: external, service: { type: "LoadBalancer", port: 8443 } }, "http://localhost:8443/sandbox/{port}"],
    ["host routing", { sandbox: { gateway: { routing: "host", hostDomain: "sandbox.example.com" } } }, "https://{port}.sandbox.example.com"],
  ])("with %s, agent servers are handed out as %s", async (_what, values, pattern) => {
    expect((await processPod(values)).env.PROCESS_SANDBOX_URL_PATTERN).toBe(pattern);
  });

  it("forwards exactly the sandbox.process.ports agent-server ports from 8000", async () => {
    const { objects } = await processPod({ sandbox: { process: { ports: 3 } } });
    const allowed = gatewayConfig(objects).match(/map \$sandbox_port \$sandbox_port_allowed \{([^}]*)\}/)![1];
    expect(allowed.trim().split(/\s*\n\s*/)).toEqual(["default 0;", "8000 1;", "8001 1;", "8002 1;"]);
  });

  const nginx = findNginx();
  it.runIf(!!nginx && canUnshareNetwork())("passes nginx -t", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "process-gateway-"));
    const file = path.join(dir, "nginx.conf");
    writeFileSync(file, gatewayConfig((await processPod()).objects).replaceAll("/tmp/", `${dir}/`));
    const result = await execa("unshare", ["--net", "--map-root-user", nginx!, "-t", "-c", file, "-p", dir, "-g", "user root root;"], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it("is required: without it nothing serves the agent servers' ports to the browser", async () => {
    const message = await renderError({ values: { sandbox: { mode: "process", gateway: { enabled: false } } } });
    expect(message).toContain("sandbox.gateway.enabled: sandbox.mode process needs the gateway");
  });
});

describe("sandbox mode process: refused", () => {
  it("with a 0.x image", async () => {
    const message = await renderError({
      values: { sandbox: { mode: "process" }, openhands: { image: { tag: "0.62" } } },
    });
    expect(message).toContain("sandbox.mode: process runs agent-server processes, which only OpenHands 1.x has");
  });
});
