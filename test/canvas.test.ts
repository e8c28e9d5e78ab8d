// Agent Canvas (app: canvas): the rendered Canvas pod, its keys, claims and entry, and the
// chart's sign-in, exposure guard and NetworkPolicy around it.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getObject, objectsOfKind, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { clusterApiVersions, helms } from "../ts/lib/presets.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";
import { container, envOf, mountsOf, serverDeployment, volume } from "../ts/lib/workload.ts";

/** Canvas without a sign-in proxy: the key-free entry, so the session key comes from a Secret. */
const canvas = { app: "canvas", canvas: { sessionKey: { existingSecret: "canvas-keys" } } };
const preset = "ci/canvas-values.yaml";

async function objectsOf(values: Record<string, unknown>, valuesFiles: string[] = []): Promise<K8sObject[]> {
  return (await render({ values, valuesFiles, apiVersions: clusterApiVersions })).objects;
}
const podOf = (objects: K8sObject[]) => serverDeployment(objects).spec.template.spec;
const appOf = (objects: K8sObject[]) => container(podOf(objects), "canvas");
const secretRef = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe("app: canvas", () => {
  it("app: canvas runs the image in canvas.image, pinned to Agent Canvas 1.20.0, in place of the GUI server", async () => {
    for (const helm of helms) {
      const pod = serverDeployment((await render({ values: canvas, helm })).objects).spec.template.spec;
      expect(pod.containers.map((c) => [c.name, c.image])).toEqual([["canvas", "ghcr.io/openhands/agent-canvas:1.20.0"]]);
      expect(pod.initContainers ?? []).toEqual([]);
    }
  });

  it("canvas.image.digest pins the Canvas image by digest", async () => {
    const digest = `sha256:${"a".repeat(64)}`;
    expect(appOf(await objectsOf({ ...canvas, canvas: { ...canvas.canvas, image: { digest } } })).image).toBe(`ghcr.io/openhands/agent-canvas@${digest}`);
  });

  it("app: canvas serves on port 8000 and labels its objects with the Canvas version", async () => {
    const objects = await objectsOf(canvas);
    expect(appOf(objects).ports).toContainEqual({ name: "http", containerPort: 8000, protocol: "TCP" });
    expect(serverDeployment(objects).metadata.labels!["app.kubernetes.io/version"]).toBe("1.20.0");
  });

  it("canvas.probes probe /ready (startup) and /alive (liveness) on port 8000, with the timings in values", async () => {
    const app = appOf(await objectsOf({ ...canvas, canvas: { ...canvas.canvas, probes: { startup: { failureThreshold: 90 } } } }));
    expect(app.startupProbe).toMatchObject({ httpGet: { path: "/ready", port: "http" }, failureThreshold: 90 });
    expect(app.livenessProbe).toMatchObject({ httpGet: { path: "/alive", port: "http" }, periodSeconds: 20 });
  });

  it("readiness probes /ready on the port the Service sends browsers to: the key-free entry (8080), or 8000 behind oauth2-proxy", async () => {
    expect(appOf(await objectsOf(canvas)).readinessProbe).toMatchObject({ httpGet: { path: "/ready", port: "public" }, periodSeconds: 10 });
    expect(appOf(await objectsOf({}, [preset])).readinessProbe).toMatchObject({ httpGet: { path: "/ready", port: "http" } });
  });

  it("keeps state at /home/openhands/.openhands and projects at /projects, its working directory, with HOME set to match", async () => {
    const app = appOf(await objectsOf(canvas));
    expect(app.volumeMounts).toEqual([
      { name: "canvas-state", mountPath: "/home/openhands/.openhands" },
      { name: "canvas-projects", mountPath: "/projects" },
      { name: "canvas-projects", mountPath: "/home/openhands/workspace", subPath: "workspace" },
    ]);
    expect(app.workingDir).toBe("/projects");
    expect(envOf(app).HOME).toBe("/home/openhands");
  });

  it("points the agent server's config file at a path that cannot exist, so an agent cannot plant one in its working directory", async () => {
    expect(envOf(appOf(await objectsOf(canvas))).OPENHANDS_AGENT_SERVER_CONFIG_PATH).toBe("/dev/null/openhands_agent_server_config.json");
  });

  it("keeps LiteLLM's price list to the installed package, so no start reaches out for it", async () => {
    expect(envOf(appOf(await objectsOf(canvas))).LITELLM_LOCAL_MODEL_COST_MAP).toBe("True");
  });

  it("refuses canvas.persistence.mountPath: Canvas keeps its state in one place only", async () => {
    const message = await renderError({ values: { ...canvas, canvas: { ...canvas.canvas, persistence: { mountPath: "/data" } } } });
    expect(message).toContain("at '/canvas/persistence': additional properties 'mountPath' not allowed");
  });

  it("canvas.probes.liveness.enabled false leaves the liveness probe out", async () => {
    const app = appOf(await objectsOf({ ...canvas, canvas: { ...canvas.canvas, probes: { liveness: { enabled: false } } } }));
    expect(app.livenessProbe).toBeUndefined();
    expect(app.readinessProbe).toBeDefined();
  });

  it("app: canvas runs as uid and gid 10001 with fsGroup 10001, without privilege escalation or capabilities", async () => {
    const objects = await objectsOf(canvas);
    expect(podOf(objects).securityContext).toMatchObject({ fsGroup: 10001, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(appOf(objects).securityContext).toEqual({
      runAsUser: 10001,
      runAsGroup: 10001,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("canvas.securityContext.runAsUser moves the uid and the pod's fsGroup with it", async () => {
    const objects = await objectsOf({ ...canvas, canvas: { ...canvas.canvas, securityContext: { runAsUser: 20002 } } });
    expect(appOf(objects).securityContext).toMatchObject({ runAsUser: 20002, runAsGroup: 20002 });
    expect(podOf(objects).securityContext).toMatchObject({ fsGroup: 20002 });
  });

  it("app: canvas labels the created Namespace restricted, the level its pod meets", async () => {
    const objects = await objectsOf({ ...canvas, namespace: { create: true } });
    const namespace = objectsOfKind(objects, "Namespace")[0];
    expect(namespace.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });
});

describe("Canvas volumes", () => {
  it("canvas.persistence and canvas.projects create claims kept on uninstall, mounted at /home/openhands/.openhands and /projects", async () => {
    const objects = await objectsOf(canvas);
    const claims = objectsOfKind(objects, "PersistentVolumeClaim") as any[];
    expect(claims.map((c) => [c.metadata.name, c.spec.resources.requests.storage, c.metadata.annotations["helm.sh/resource-policy"]])).toEqual([
      ["openhands-canvas-state", "5Gi", "keep"],
      ["openhands-canvas-projects", "20Gi", "keep"],
    ]);
    const pod = podOf(objects);
    expect(volume(pod, "canvas-state").persistentVolumeClaim.claimName).toBe("openhands-canvas-state");
    expect(volume(pod, "canvas-projects").persistentVolumeClaim.claimName).toBe("openhands-canvas-projects");
    // $HOME/workspace, where conversations started without a folder keep their files, is on the projects claim too.
    expect(appOf(objects).volumeMounts).toEqual([
        { name: "canvas-state", mountPath: "/home/openhands/.openhands" },
        { name: "canvas-projects", mountPath: "/projects" },
        { name: "canvas-projects", mountPath: "/home/openhands/workspace", subPath: "workspace" },
      ]);
  });

  it("canvas.persistence.existingClaim mounts that claim and creates no state claim", async () => {
    const objects = await objectsOf({ ...canvas, canvas: { ...canvas.canvas, persistence: { existingClaim: "kept-canvas" } } });
    expect(objectsOfKind(objects, "PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual(["openhands-canvas-projects"]);
    expect(volume(podOf(objects), "canvas-state").persistentVolumeClaim.claimName).toBe("kept-canvas");
  });

  it("canvas.projects.enabled false keeps projects in an emptyDir", async () => {
    const objects = await objectsOf({ ...canvas, canvas: { ...canvas.canvas, projects: { enabled: false } } });
    expect(volume(podOf(objects), "canvas-projects")).toEqual({ name: "canvas-projects", emptyDir: {} });
  });

  it("switching app from openhands to canvas never mounts, renames or re-creates the GUI server's claims (persistence.*), which Helm keeps", async () => {
    const gui = await objectsOf({});
    const guiClaims = objectsOfKind(gui, "PersistentVolumeClaim");
    expect(guiClaims.map((c) => c.metadata.name)).toEqual(["openhands-state", "openhands-workspace", "openhands-docker"]);
    for (const c of guiClaims) expect(c.metadata.annotations!["helm.sh/resource-policy"]).toBe("keep");
    const switched = await objectsOf(canvas);
    const switchedClaims = objectsOfKind(switched, "PersistentVolumeClaim").map((c) => c.metadata.name);
    expect(switchedClaims.filter((name) => guiClaims.some((c) => c.metadata.name === name))).toEqual([]);
    const mounted = (podOf(switched).volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean);
    expect(mounted).toEqual(["openhands-canvas-state", "openhands-canvas-projects"]);
  });

  it("app: openhands (the default) renders no Canvas container or claim", async () => {
    const objects = await objectsOf({});
    expect(podOf(objects).containers.map((c) => c.name)).not.toContain("canvas");
    expect(objectsOfKind(objects, "PersistentVolumeClaim").map((c) => c.metadata.name).filter((n) => n.includes("canvas"))).toEqual([]);
  });
});

describe("Canvas keys and environment", () => {
  it("canvas.sessionKey and canvas.secretKey become OH_SESSION_API_KEYS_0 and OH_SECRET_KEY read from their Secrets, never plain text", async () => {
    const objects = await objectsOf({}, [preset]);
    const env = envOf(appOf(objects));
    expect(env.OH_SESSION_API_KEYS_0).toEqual(secretRef("canvas-keys", "session-api-key"));
    expect(env.OH_SECRET_KEY).toEqual(secretRef("canvas-keys", "secret-key"));
    expect(objectsOfKind(objects, "Secret")).toEqual([]);
  });

  it("without canvas.secretKey (and with persistence) OH_SECRET_KEY is left to the key Canvas keeps on its state claim", async () => {
    expect(envOf(appOf(await objectsOf(canvas)))).not.toHaveProperty("OH_SECRET_KEY");
  });

  it("externalSecrets.secrets.canvasSessionKey and canvasSecretKey render ExternalSecrets whose targets the Canvas env reads", async () => {
    const objects = await objectsOf({
      app: "canvas",
      externalSecrets: {
        enabled: true,
        storeRef: { name: "vault" },
        secrets: {
          canvasSessionKey: { enabled: true, remoteKey: "canvas/session" },
          canvasSecretKey: { enabled: true, remoteKey: "canvas/secret" },
        },
      },
    });
    const external = objectsOfKind(objects, "ExternalSecret") as any[];
    expect(external.map((e) => [e.spec.target.name, e.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])])).toEqual([
      ["canvas-session-key", [["session-api-key", "canvas/session"]]],
      ["canvas-secret-key", [["secret-key", "canvas/secret"]]],
    ]);
    const env = envOf(appOf(objects));
    expect(env.OH_SESSION_API_KEYS_0).toEqual(secretRef("canvas-session-key", "session-api-key"));
    expect(env.OH_SECRET_KEY).toEqual(secretRef("canvas-secret-key", "secret-key"));
  });

  it("canvas.automation.databaseUrl and kvSecret set AUTOMATION_DB_URL and AUTOMATION_KV_SECRET from the Secrets they name", async () => {
    const env = envOf(appOf(await objectsOf({ ...canvas, canvas: { ...canvas.canvas, automation: { databaseUrl: { existingSecret: "automation-db" }, kvSecret: { existingSecret: "automation-kv", key: "k" } } } })));
    expect(env.AUTOMATION_DB_URL).toEqual(secretRef("automation-db", "database-url"));
    expect(env.AUTOMATION_KV_SECRET).toEqual(secretRef("automation-kv", "k"));
  });

  it("without canvas.automation values the automation service keeps SQLite on the state claim and no key-value store", async () => {
    const env = envOf(appOf(await objectsOf(canvas)));
    expect(env).not.toHaveProperty("AUTOMATION_DB_URL");
    expect(env).not.toHaveProperty("AUTOMATION_KV_SECRET");
  });

  it("externalSecrets.secrets.canvasAutomationDatabaseUrl and canvasAutomationKvSecret render ExternalSecrets whose targets the Canvas env reads", async () => {
    const objects = await objectsOf({
      ...canvas,
      externalSecrets: {
        enabled: true,
        storeRef: { name: "vault" },
        secrets: {
          canvasAutomationDatabaseUrl: { enabled: true, remoteKey: "canvas/automation-db" },
          canvasAutomationKvSecret: { enabled: true, remoteKey: "canvas/automation-kv" },
        },
      },
    });
    const external = objectsOfKind(objects, "ExternalSecret") as any[];
    expect(external.map((e) => [e.spec.target.name, e.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])])).toEqual([
      ["canvas-automation-database-url", [["database-url", "canvas/automation-db"]]],
      ["canvas-automation-kv-secret", [["kv-secret", "canvas/automation-kv"]]],
    ]);
    const env = envOf(appOf(objects));
    expect(env.AUTOMATION_DB_URL).toEqual(secretRef("canvas-automation-database-url", "database-url"));
    expect(env.AUTOMATION_KV_SECRET).toEqual(secretRef("canvas-automation-kv-secret", "kv-secret"));
  });

  it("canvas.telemetry.enabled false (the default) sets AGENT_CANVAS_DISABLE_TELEMETRY, DO_NOT_TRACK and VITE_DO_NOT_TRACK to 1", async () => {
    expect(envOf(appOf(await objectsOf(canvas)))).toMatchObject({ AGENT_CANVAS_DISABLE_TELEMETRY: "1", DO_NOT_TRACK: "1", VITE_DO_NOT_TRACK: "1" });
  });

  it("canvas.telemetry.enabled true sets none of the telemetry switches", async () => {
    const env = envOf(appOf(await objectsOf({ ...canvas, canvas: { ...canvas.canvas, telemetry: { enabled: true } } })));
    for (const name of ["AGENT_CANVAS_DISABLE_TELEMETRY", "DO_NOT_TRACK", "VITE_DO_NOT_TRACK"]) expect(env).not.toHaveProperty(name);
  });
});

describe("Canvas behind the chart's sign-in and NetworkPolicy", () => {
  // The webhook route oauth2-proxy lets through (Go's RE2 and JavaScript agree on this syntax).
  const webhookRoute = "^/api/automation/v1/events/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$";

  it("auth.mode oauth2Proxy puts oauth2-proxy in front of port 8000: the Service and the NetworkPolicy reach only the proxy", async () => {
    const objects = await objectsOf({}, [preset]);
    const pod = podOf(objects);
    expect(pod.containers.map((c) => c.name)).toEqual(["canvas", "oauth2-proxy"]);
    expect(container(pod, "oauth2-proxy").args).toContain("--upstream=http://127.0.0.1:8000/");
    expect(envOf(appOf(objects))).not.toHaveProperty("PUBLIC_MODE_PORT");
    expect((getObject(objects, "Service", "openhands") as any).spec.ports.map((p: any) => p.targetPort)).toEqual(["oauth2-proxy"]);
    const policy = getObject(objects, "NetworkPolicy", "openhands") as any;
    expect(policy.spec.ingress.flatMap((rule: any) => rule.ports.map((p: any) => p.port))).toEqual(["oauth2-proxy"]);
  });

  it("auth.mode oauth2Proxy lets only the automation webhooks (own HMAC) past the sign-in, never a dot segment or another path", async () => {
    const args = container(podOf(await objectsOf({}, [preset])), "oauth2-proxy").args!;
    expect(args.filter((a) => a.startsWith("--skip-auth-route="))).toEqual([`--skip-auth-route=${webhookRoute}`]);
    const route = new RegExp(webhookRoute);
    expect(["/api/automation/v1/events/org-1/github", "/api/automation/v1/events/custom/requested-types"].every((p) => route.test(p))).toBe(true);
    for (const p of ["/", "/api/automation/v1/events/../../settings", "/api/automation/v1/events/a/b/c", "/api/automation/v1/automations", "/api/settings", "/canvas/"]) {
      expect({ p, passes: route.test(p) }).toEqual({ p, passes: false });
    }
  });

  it("auth.mode oauth2Proxy with app openhands lets nothing past the sign-in", async () => {
    const args = container(podOf(await objectsOf({ app: "openhands" }, [preset])), "oauth2-proxy").args!;
    expect(args.filter((a) => a.startsWith("--skip-auth-route="))).toEqual([]);
  });

  it("any auth.mode but oauth2Proxy sends the Service to Canvas' key-free entry (PUBLIC_MODE_PORT 8080), the only port the NetworkPolicy admits", async () => {
    const objects = await objectsOf({ ...canvas, networkPolicy: { enabled: true, ingressControllerNamespaces: ["ingress-nginx"] } });
    const app = appOf(objects);
    expect(envOf(app).PUBLIC_MODE_PORT).toBe("8080");
    expect(app.ports).toContainEqual({ name: "public", containerPort: 8080, protocol: "TCP" });
    expect((getObject(objects, "Service", "openhands") as any).spec.ports.map((p: any) => p.targetPort)).toEqual(["public"]);
    const policy = getObject(objects, "NetworkPolicy", "openhands") as any;
    expect(policy.spec.ingress.flatMap((rule: any) => rule.ports.map((p: any) => p.port))).toEqual(["public"]);
  });

  it("tunnel.enabled with auth.mode cloudflareAccess (ci/canvas-tunnel-values.yaml) reaches Canvas' key-free entry, both keys from External Secrets", async () => {
    const objects = await objectsOf({}, ["ci/canvas-tunnel-values.yaml"]);
    expect((getObject(objects, "Service", "openhands") as any).spec.ports.map((p: any) => p.targetPort)).toEqual(["public"]);
    const env = envOf(appOf(objects));
    expect(env.PUBLIC_MODE_PORT).toBe("8080");
    expect(env.OH_SESSION_API_KEYS_0).toEqual(secretRef("canvas-session-key", "session-api-key"));
    expect(env.OH_SECRET_KEY).toEqual(secretRef("canvas-secret-key", "secret-key"));
    expect(podOf(objects).containers.map((c) => c.name)).toEqual(["canvas"]);
  });

  it("ingress.enabled with app canvas and no sign-in is refused by the exposure guard", async () => {
    const error = await renderError({ values: { ...canvas, ingress: { enabled: true, hosts: [{ host: "canvas.example.com", paths: [{ path: "/", pathType: "Prefix" }] }] } } });
    expect(error).toContain("ingress.enabled");
  });

  it("NOTES.txt with canvas.sessionKey and no sign-in proxy prints how to read the key from its Secret", async () => {
    const args = ["install", "openhands", repoRoot, "--dry-run=client", "--namespace", "ai", "--set", "app=canvas", "--set", "canvas.sessionKey.existingSecret=canvas-keys"];
    const { stdout } = await execa(helmBinary("helm4"), args);
    expect(stdout).toContain("kubectl --namespace ai get secret canvas-keys -o jsonpath='{.data.session-api-key}' | base64 -d");
    expect(stdout).toContain("WARNING: networkPolicy.enabled is false");
  });
});

describe("helm test with app canvas", () => {
  /** Runs the test pod's script with a curl that answers /health with 200 and / with the given page. */
  async function runHelmTest(page: string) {
    const pod = getObject((await render({ values: canvas })).objects, "Pod", "openhands-test") as any;
    const script: string = pod.spec.containers[0].command[2];
    const bin = mkdtempSync(path.join(tmpdir(), "canvas-helm-test-"));
    const pageFile = path.join(bin, "page.html");
    writeFileSync(pageFile, page);
    // Fake curl: -o <file> gets the body, -w prints the status code.
    writeFileSync(
      path.join(bin, "curl"),
      `#!/bin/sh\nout=/dev/null; code=\nwhile [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift;; -w) code=200; shift;; --max-redirs) shift;; -s|-sL) ;; *) url="$1";; esac; shift; done\ncase "$url" in */health) echo '{"status":"ok"}' > "$out";; *) cat "${pageFile}" > "$out";; esac\n[ -n "$code" ] && printf 200\nexit 0\n`,
    );
    chmodSync(path.join(bin, "curl"), 0o755);
    const tmp = mkdtempSync(path.join(tmpdir(), "canvas-helm-test-tmp-"));
    return execa("sh", ["-c", script.replaceAll("/tmp/", `${tmp}/`)], { env: { PATH: `${bin}:${process.env.PATH}` }, reject: false });
  }

  it("app: canvas makes helm test fail when the Service's page carries the session key", async () => {
    const leaking = await runHelmTest('<html><head><script>window.__AGENT_CANVAS_SESSION_API_KEY__="k"</script></head></html>');
    expect(leaking.exitCode).toBe(1);
    expect(leaking.stdout).toContain("hands out the session key without a sign-in");
  });

  it("app: canvas makes helm test fail when the Service's page is not Canvas' key-free page", async () => {
    const other = await runHelmTest("<html><head></head><body>Moved</body></html>");
    expect({ code: other.exitCode, out: other.stdout }).toEqual({ code: 1, out: expect.stringContaining("is not Canvas' key-free page") });
  });

  it("app: canvas lets helm test pass when the page asks for the key instead", async () => {
    const asking = await runHelmTest("<html><head><script>window.__AGENT_CANVAS_AUTH_REQUIRED__=true</script></head></html>");
    expect({ code: asking.exitCode, out: asking.stdout }).toEqual({ code: 0, out: expect.stringContaining("carries no session key") });
  });
});

describe("Canvas refusals", () => {
  it("canvas.image.tag empty without canvas.image.digest is refused, naming canvas.image.tag", async () => {
    expect(await renderError({ values: { ...canvas, canvas: { ...canvas.canvas, image: { tag: "" } } } })).toContain("canvas.image.tag: empty");
  });

  it("app: canvas without canvas.sessionKey and without oauth2-proxy is refused, naming canvas.sessionKey.existingSecret", async () => {
    expect(await renderError({ values: { app: "canvas" } })).toContain("canvas.sessionKey.existingSecret: with auth.mode none the Service sends browsers to Canvas' key-free entry");
  });

  it("canvas.persistence.enabled false without canvas.secretKey is refused, naming canvas.secretKey.existingSecret", async () => {
    expect(await renderError({ values: { ...canvas, canvas: { ...canvas.canvas, persistence: { enabled: false } } } })).toContain("canvas.secretKey.existingSecret: canvas.persistence.enabled is false");
  });

  it("sandbox.mode other than the default with app canvas is refused, naming sandbox.mode", async () => {
    expect(await renderError({ values: { ...canvas, sandbox: { mode: "process" } } })).toContain("sandbox.mode: process applies to the OpenHands GUI server (app: openhands)");
  });

  const guiOnly: [string, Record<string, unknown>][] = [
    ["openhands.env", { openhands: { env: { FOO: "bar" } } }],
    ["openhands.extraEnv", { openhands: { extraEnv: [{ name: "FOO", value: "bar" }] } }],
    ["openhands.extraVolumeMounts", { openhands: { extraVolumeMounts: [{ name: "x", mountPath: "/x" }] } }],
    ["openhands.jwtSecret.existingSecret", { openhands: { jwtSecret: { existingSecret: "jwt" } } }],
    ["sandbox.env", { sandbox: { env: { FOO: "bar" } } }],
  ];
  it.each(guiOnly)("%s (a GUI server value) with app canvas is refused, naming the key", async (key, values) => {
    expect(await renderError({ values: { ...values, ...canvas } })).toContain(`${key}: app is canvas, and this value belongs to the OpenHands GUI server`);
  });

  it("llm.bedrock with a Secret gives Canvas the region and boto's environment credentials for bedrock/ profiles", async () => {
    const env = envOf(appOf(await objectsOf({ ...canvas, llm: { bedrock: { enabled: true, region: "eu-central-1", existingSecret: "aws" } } })));
    expect(env.AWS_REGION_NAME).toBe("eu-central-1");
    expect(env.AWS_ACCESS_KEY_ID).toEqual(secretRef("aws", "AWS_ACCESS_KEY_ID"));
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual(secretRef("aws", "AWS_SECRET_ACCESS_KEY"));
  });

  it("llm.bedrock without a Secret leaves the credentials to the pod's identity (IRSA): the region only, no model needed", async () => {
    const env = envOf(appOf(await objectsOf({ ...canvas, llm: { bedrock: { enabled: true, region: "us-east-1" } } })));
    expect(env.AWS_REGION_NAME).toBe("us-east-1");
    expect(env).not.toHaveProperty("AWS_ACCESS_KEY_ID");
  });

  it("llm.bedrock with a region that is not AWS's is refused with Canvas too", async () => {
    expect(await renderError({ values: { ...canvas, llm: { bedrock: { enabled: true, region: "asia-northeast-1" } } } })).toContain("/llm/bedrock/region");
  });
});

describe("llm.* as a Canvas LLM profile (the canvas-llm-profile sidecar)", () => {
  const withLlm = { ...canvas, llm: { model: "openai/gpt-4o", baseUrl: "http://llm.lan/v1", apiKey: { existingSecret: "llm-key" } } };
  const seedOf = (objects: K8sObject[]) => container(podOf(objects), "canvas-llm-profile");
  const scriptsOf = (objects: K8sObject[]) => getObject<K8sObject & { data: Record<string, string> }>(objects, "ConfigMap", "openhands-scripts").data;

  it("without llm.model there is no sidecar and no scripts ConfigMap", async () => {
    const objects = await objectsOf(canvas);
    expect(podOf(objects).containers.map((c) => c.name)).toEqual(["canvas"]);
    expect(objectsOfKind(objects, "ConfigMap").map((o) => o.metadata.name)).not.toContain("openhands-scripts");
  });

  it("llm.model adds a sidecar of the Canvas image that calls Canvas on the pod's loopback with the model, base URL and both keys from Secrets", async () => {
    for (const helm of helms) {
      const objects = (await render({ values: withLlm, helm, apiVersions: clusterApiVersions })).objects;
      const seed = seedOf(objects);
      expect(seed.image).toBe("ghcr.io/openhands/agent-canvas:1.20.0");
      expect(seed.command).toEqual(["node", "/opt/openhands-chart/canvas-llm-profile.mjs"]);
      expect(envOf(seed)).toEqual({
        CANVAS_URL: "http://127.0.0.1:8000",
        PROFILE_NAME: "chart",
        LLM_MODEL: "openai/gpt-4o",
        LLM_BASE_URL: "http://llm.lan/v1",
        LLM_API_KEY: secretRef("llm-key", "api-key"),
        SESSION_API_KEY: secretRef("canvas-keys", "session-api-key"),
      });
      // The session key is in the sidecar's env; the state claim is not mounted then.
      expect(mountsOf(seed)).toEqual({ "chart-scripts": "/opt/openhands-chart" });
      expect(scriptsOf(objects)).toEqual({ "canvas-llm-profile.mjs": readFileSync(path.join(repoRoot, "files/canvas-llm-profile.mjs"), "utf8").trimEnd() });
      expect(volume(podOf(objects), "chart-scripts").configMap.name).toBe("openhands-scripts");
    }
  });

  it("the Canvas container gets no LLM variable: Canvas reads none", async () => {
    const env = envOf(appOf(await objectsOf(withLlm)));
    expect(Object.keys(env).filter((name) => name.startsWith("LLM_"))).toEqual([]);
  });

  it("the pod stays Pod Security restricted with the sidecar", async () => {
    const objects = await objectsOf(withLlm);
    expect(seedOf(objects).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(podSecurityLevel(podOf(objects))).toBe("restricted");
  });

  it("canvas.llmProfile.name names the profile; a change of the script or values rolls the pod", async () => {
    const named = await objectsOf({ ...withLlm, canvas: { ...withLlm.canvas, llmProfile: { name: "team-llm" } } });
    expect(envOf(seedOf(named)).PROFILE_NAME).toBe("team-llm");
    const annotations = serverDeployment(await objectsOf(withLlm)).spec.template.metadata.annotations ?? {};
    expect(annotations["checksum/scripts"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("without a session key Secret the sidecar reads the key Canvas generated, from the state claim mounted read-only", async () => {
    const objects = await objectsOf({ ...withLlm, canvas: { sessionKey: { existingSecret: "" } } }, [preset]);
    const seed = seedOf(objects);
    expect(envOf(seed).SESSION_API_KEY_FILE).toBe("/home/openhands/.openhands/agent-canvas/api-key.txt");
    expect(envOf(seed)).not.toHaveProperty("SESSION_API_KEY");
    expect(seed.volumeMounts).toContainEqual({ name: "canvas-state", mountPath: "/home/openhands/.openhands", readOnly: true });
  });

  it("the key from llm.apiKey.insecurePlaintextValue comes through the chart's LLM Secret", async () => {
    const objects = await objectsOf({ ...canvas, llm: { model: "openai/gpt-4o", apiKey: { insecurePlaintextValue: "sk-throwaway" } } });
    expect(envOf(seedOf(objects)).LLM_API_KEY).toEqual(secretRef("openhands-llm", "api-key"));
    expect(envOf(seedOf(objects))).not.toHaveProperty("LLM_BASE_URL");
    expect(JSON.stringify(podOf(objects))).not.toContain("sk-throwaway");
  });

  it("the key from External Secrets (externalSecrets.secrets.llmApiKey) is read from its target Secret", async () => {
    const objects = await objectsOf({
      ...canvas,
      llm: { model: "openai/gpt-4o" },
      externalSecrets: { enabled: true, storeRef: { name: "vault" }, secrets: { llmApiKey: { enabled: true, remoteKey: "openhands/llm" } } },
    });
    expect(envOf(seedOf(objects)).LLM_API_KEY).toMatchObject({ secretKeyRef: { name: expect.any(String) } });
  });

  it("a Bedrock model seeds a profile without a key: the Canvas container has the AWS variables", async () => {
    const objects = await objectsOf({ ...canvas, llm: { model: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0", bedrock: { enabled: true, region: "us-east-1", existingSecret: "aws" } } });
    expect(envOf(seedOf(objects))).not.toHaveProperty("LLM_API_KEY");
    expect(envOf(seedOf(objects)).LLM_MODEL).toBe("bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0");
    expect(envOf(appOf(objects)).AWS_ACCESS_KEY_ID).toEqual(secretRef("aws", "AWS_ACCESS_KEY_ID"));
  });

  it("llm.baseUrl or llm.apiKey without llm.model is refused, naming llm.model", async () => {
    for (const llm of [{ baseUrl: "http://llm.lan/v1" }, { apiKey: { existingSecret: "llm" } }]) {
      expect(await renderError({ values: { ...canvas, llm } })).toContain("llm.model: with app canvas the chart adds an LLM profile from llm.* only together with a model");
    }
  });

  it("with the NetworkPolicy on, the sidecar needs no rule: it calls Canvas on the pod's own loopback", async () => {
    const objects = await objectsOf({ ...withLlm, networkPolicy: { enabled: true, ingressControllerNamespaces: ["ingress-nginx"] } });
    expect(envOf(seedOf(objects)).CANVAS_URL).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(objectsOfKind(objects, "NetworkPolicy").length).toBeGreaterThan(0);
  });
});
