// The runtime images: built (or found in the cache) under exactly the references the chart
// renders by default, and each one really runs under a Docker daemon the way the pod runs it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { execa } from "execa";
import { render, type K8sObject } from "../../ts/lib/render.ts";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { packageStaticBinary, type BuiltImage, type ImageName } from "../../ts/runtime/images.ts";
import { privilegedRunFlags, startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { oauth2ProxyConfig } from "../../ts/runtime/image/specs.ts";
import { chartImageRefs } from "../../ts/runtime/image/refs.ts";
import { clusterApiVersions } from "../../ts/lib/presets.ts";

let images: Map<ImageName, BuiltImage>;
let daemon: DockerDaemon;
let defaultRender: K8sObject[];
const scratch = mkdtempSync(path.join(tmpdir(), "runtime-images-"));

function podSpec(objects: K8sObject[]): any {
  const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "openhands") as any;
  return deployment.spec.template.spec;
}

function container(objects: K8sObject[], name: string): any {
  const spec = podSpec(objects);
  return [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === name);
}

function image(name: ImageName): BuiltImage {
  const found = images.get(name);
  if (!found) throw new Error(`${name} was not built`);
  return found;
}

/** Polls until `check` returns a value, or fails with the last reason and the container's log. */
async function eventually<T>(what: string, seconds: number, check: () => T | undefined, containerId?: string): Promise<T> {
  let last = "";
  for (let i = 0; i < seconds; i++) {
    try {
      const value = check();
      if (value !== undefined) return value;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const logs = containerId ? daemon.docker(["logs", "--tail", "40", containerId], { allowFailure: true }) : undefined;
  throw new Error(`${what} within ${seconds}s failed. ${last}\n${logs ? logs.stdout + logs.stderr : ""}`);
}

function httpGet(url: string, headers: Record<string, string> = {}): { code: string; body: string } {
  const flags = Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const r = daemon.inNetns(["curl", "-s", "-m", "5", ...flags, "-w", "\n%{http_code}", url]);
  const lines = r.stdout.split("\n");
  return { code: lines.pop() ?? "", body: lines.join("\n") };
}

function containerIp(id: string): string {
  return daemon.docker(["inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", id]).stdout.trim();
}

beforeAll(async () => {
  // The build runs in its own process: its long synchronous steps would stall this worker.
  const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "agent-server,app,canvas,dind,gateway,helm-test"], { cwd: repoRoot, stderr: "inherit" });
  const built = JSON.parse(build.stdout) as BuiltImage[];
  images = new Map(built.map((i) => [i.name, i]));
  defaultRender = (await render({})).objects;
  daemon = await startDockerDaemon();
  for (const i of built) await daemon.load(i.tar, i.ref);
});

afterAll(async () => {
  await daemon?.stop();
});

describe("image references", () => {
  it("are exactly the ones the chart renders by default", () => {
    expect(container(defaultRender, "openhands").image).toBe(image("app").ref);
    expect(container(defaultRender, "workspace-owner").image).toBe(image("app").ref);
    expect(container(defaultRender, "dind").image).toBe(image("dind").ref);
    expect(container(defaultRender, "gateway").image).toBe(image("gateway").ref);
    const env = Object.fromEntries(container(defaultRender, "openhands").env.map((e: any) => [e.name, e.value]));
    expect(`${env.AGENT_SERVER_IMAGE_REPOSITORY}:${env.AGENT_SERVER_IMAGE_TAG}`).toBe(image("agent-server").ref);
    const testPod = defaultRender.find((o) => o.kind === "Pod") as any;
    expect(testPod.spec.containers[0].image).toBe(image("helm-test").ref);
  });

  it("are the tags the archives carry", () => {
    for (const built of images.values()) {
      const manifest = JSON.parse(execFileSync("tar", ["-xOf", built.tar, "--occurrence=1", "manifest.json"], { encoding: "utf8" }));
      expect(manifest[0].RepoTags).toEqual([built.ref]);
    }
  });

  it("the oauth2-proxy reference is the one rendered with auth.mode=oauth2Proxy", async () => {
    const { objects } = await render({ valuesFiles: ["ci/oauth2-proxy-values.yaml"] });
    const proxy = [...podSpec(objects).containers, ...(podSpec(objects).initContainers ?? [])].find((c: any) => c.name === "oauth2-proxy");
    expect(proxy?.image).toBe(chartImageRefs().oauth2Proxy);
  });
});

describe("the agent server", () => {
  it("answers /alive when started the way the app starts sandboxes", async () => {
    const ref = image("agent-server").ref;
    // docker_sandbox_service: command ["--port", "8000"], init, working dir /workspace/project.
    const id = daemon.docker(["run", "-d", "--init", "-w", "/workspace/project", "-e", "SESSION_API_KEY=check", "-p", "8000", ref, "--port", "8000"]).stdout.trim();
    const port = daemon.docker(["port", id, "8000/tcp"]).stdout.trim().split(":").pop();
    const alive = await eventually("GET /alive", 90, () => (httpGet(`http://127.0.0.1:${port}/alive`).code === "200" ? true : undefined), id);
    expect(alive).toBe(true);
    // boto3: upstream's Dockerfile syncs the SDK's boto3 extra, without which LiteLLM cannot sign a Bedrock call.
    const identity = daemon.docker(["exec", id, "sh", "-c", "id -u; id -g; for c in chromium tmux git bash; do command -v $c; done; /agent-server/.venv/bin/python --version; /agent-server/.venv/bin/python -c 'import boto3; print(\"boto3\", boto3.__version__)'"]).stdout;
    expect(identity).toMatch(/^10001\n10001\n/);
    expect(identity).toContain("/usr/bin/chromium");
    expect(identity).toContain("/usr/bin/tmux");
    expect(identity).toMatch(/Python 3\.1[23]\./);
    expect(identity).toMatch(/^boto3 \d+\./m);
  });
});

/** One request to a port in the daemon's network, with curl: the status code and the body. */
function httpRequest(method: string, url: string, headers: Record<string, string>, body?: unknown): { code: string; body: string } {
  const flags = Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const data = body === undefined ? [] : ["-H", "content-type: application/json", "-d", JSON.stringify(body)];
  const r = daemon.inNetns(["curl", "-s", "-m", "10", "-X", method, ...flags, ...data, "-w", "\n%{http_code}", url]);
  const lines = r.stdout.split("\n");
  return { code: lines.pop() ?? "", body: lines.join("\n") };
}

// A sandbox killed with its daemon (the pod replaced) and started again at once. Upstream's
// conversation lease (45 s, renewed every 15 s) names the process that holds it; the restarted
// container's server usually has the same process id, so it counts the lease as held by a live
// owner, skips its own conversation at start and answers 404 until it restarts again. The chart
// sets OH_LEASE_TTL_SECONDS 0 for Docker sandboxes (templates/_env.tpl).
describe("the agent server with the chart's OH_AGENT_SERVER_ENV, killed and started again at once", () => {
  async function conversationAfterKill(env: Record<string, string>): Promise<{ code: string; lease: string; pid: string }> {
    const key = randomBytes(12).toString("hex");
    const flags = Object.entries({ ...env, OH_SESSION_API_KEYS_0: key }).flatMap(([name, value]) => ["-e", `${name}=${value}`]);
    const id = daemon.docker(["run", "-d", "--init", "-w", "/workspace/project", ...flags, image("agent-server").ref, "--port", "8000"]).stdout.trim();
    try {
      const base = `http://${containerIp(id)}:8000`;
      const headers = { "X-Session-API-Key": key };
      await eventually("GET /alive", 90, () => (httpGet(`${base}/alive`).code === "200" ? true : undefined), id);
      // A conversation as the app starts one: an agent with an LLM and the sandbox's working directory (no message, so no LLM call).
      const created = httpRequest("POST", `${base}/api/conversations`, headers, {
        agent: { llm: { model: "openai/lease-check", api_key: "unused", base_url: "http://127.0.0.1:9" }, tools: [] },
        workspace: { kind: "LocalWorkspace", working_dir: "/workspace/project" },
      });
      expect(created.code, created.body).toBe("201");
      const conversation = JSON.parse(created.body).id as string;
      expect(httpRequest("GET", `${base}/api/conversations/${conversation}`, headers).code).toBe("200");
      const lease = daemon.docker(["exec", id, "sh", "-c", "cat \"$(find / -name owner_lease.json 2>/dev/null | head -1)\" 2>/dev/null; true"]).stdout.trim();
      daemon.docker(["kill", id]);
      daemon.docker(["start", id]);
      await eventually("GET /alive after the restart", 90, () => (httpGet(`${base}/alive`).code === "200" ? true : undefined), id);
      // The restarted server's process id, as uvicorn logs it (the lease names the old one's).
      const logs = daemon.docker(["logs", id]);
      const pid = [...`${logs.stdout}${logs.stderr}`.matchAll(/Started server process \[(\d+)\]/g)].at(-1)?.[1] ?? "";
      return { code: httpRequest("GET", `${base}/api/conversations/${conversation}`, headers).code, lease, pid };
    } finally {
      daemon.docker(["rm", "-f", id], { allowFailure: true });
    }
  }
  const chartEnv = (): Record<string, string> => JSON.parse(container(defaultRender, "openhands").env.find((e: any) => e.name === "OH_AGENT_SERVER_ENV").value);

  it("serves its conversation again: the chart's OH_LEASE_TTL_SECONDS 0 leaves no lease behind", async () => {
    expect(chartEnv().OH_LEASE_TTL_SECONDS).toBe("0");
    const { code, lease } = await conversationAfterKill(chartEnv());
    expect(lease).toBe("");
    expect(code).toBe("200");
  });

  it("the check can fail: with upstream's lease it is left behind, and a server under the same process id answers 404 for its own conversation", async () => {
    const { OH_LEASE_TTL_SECONDS: _, ...withLease } = chartEnv();
    const { code, lease, pid } = await conversationAfterKill(withLease);
    const owner = String(JSON.parse(lease).owner_pid);
    console.log(`upstream's lease: held by process ${owner}, the restarted server is process ${pid}, GET answered ${code}`);
    // Under another process id upstream sees the owner dead and takes the lease over.
    expect(code).toBe(pid === owner ? "404" : "200");
  });
});

describe("the app", () => {
  it("answers /health and serves the UI at / with the rendered command", async () => {
    const app = container(defaultRender, "openhands");
    const id = daemon.docker(["run", "-d", "-e", "OH_PERSISTENCE_DIR=/.openhands", image("app").ref, ...app.args]).stdout.trim();
    const port = app.ports[0].containerPort;
    const ip = containerIp(id);
    const health = await eventually("GET /health", 120, () => {
      const r = httpGet(`http://${ip}:${port}/health`);
      return r.code === "200" ? r.body : undefined;
    }, id);
    expect(health).toContain("OK");
    const index = httpGet(`http://${ip}:${port}/`);
    expect(index.code).toBe("200");
    expect(index.body).toMatch(/<!DOCTYPE html>/i);
    expect(index.body).toContain("<script");
    // The helm test image reaches it from another container as the test pod's user.
    const probe = daemon.docker(["run", "--rm", "--read-only", "--tmpfs", "/tmp", "--user", "100:101", image("helm-test").ref, "sh", "-c",
      `curl -s -o /tmp/body -w '%{http_code}' http://${ip}:${port}/health && seq 1 1 >/dev/null`]);
    expect(probe.stdout).toBe("200");
  });

  it("runs the workspace-owner init container's command", () => {
    const init = container(defaultRender, "workspace-owner");
    const r = daemon.docker(["run", "--rm", "--entrypoint", init.command[0], image("app").ref, "--version"]);
    expect(r.stdout).toContain("chown");
    const users = daemon.docker(["run", "--rm", "--entrypoint", "id", image("app").ref, "openhands"]).stdout;
    expect(users).toMatch(/uid=42420\(openhands\) gid=42420\(openhands\)/);
  });
});

describe("the Docker-in-Docker daemon", () => {
  it("starts with the rendered args and answers the startup probe", async () => {
    const dind = container(defaultRender, "dind");
    const env = dind.env.flatMap((e: any) => ["-e", `${e.name}=${e.value}`]);
    const id = daemon.docker(["run", "-d", ...privilegedRunFlags(), ...env, image("dind").ref, ...dind.args]).stdout.trim();
    const info = await eventually("docker info inside", 60, () => {
      const r = daemon.docker(["exec", id, ...dind.startupProbe.exec.command, "--format", "{{.ServerVersion}} {{.Driver}}"], { allowFailure: true });
      // The client may exit 0 with nothing on stdout while the daemon is still starting.
      return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
    }, id);
    expect(info).toMatch(/^\d+\.\d+/);
    // A sandbox-like container inside it, with --init as the app starts sandboxes.
    const nested = await execa("sh", ["-c", `docker save "$1" | docker exec -i "$2" docker load -q && docker exec "$2" docker run --rm --init "$1" sh -c 'echo nested; id -u'`, "sh", image("helm-test").ref, id], {
      env: { ...process.env, PATH: "/usr/bin:/bin", DOCKER_HOST: daemon.host },
      reject: false,
    });
    expect(nested.stderr).toBe("");
    expect(nested.stdout).toMatch(/nested\n100$/);
  });
});

describe("the sandbox gateway", () => {
  it("starts as uid 101 on a read-only root with the chart's nginx.conf and answers on the gateway port", async () => {
    const configMap = defaultRender.find((o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-gateway")) as any;
    const conf = path.join(scratch, "nginx.conf");
    writeFileSync(conf, configMap.data["nginx.conf"]);
    const gateway = container(defaultRender, "gateway");
    const id = daemon.docker(["run", "-d", "--read-only", "--tmpfs", "/tmp", "--user", "101:101", "--cap-drop", "ALL",
      "-v", `${conf}:/etc/nginx/nginx.conf:ro`, image("gateway").ref]).stdout.trim();
    const ip = containerIp(id);
    const port = gateway.ports[0].containerPort;
    // No app behind it here: nginx answering at all (a 5xx from the proxy) shows it runs the config.
    const code = await eventually("gateway answers", 30, () => {
      const r = httpGet(`http://${ip}:${port}/health`);
      return r.code !== "000" && r.code !== "" ? r.code : undefined;
    }, id);
    expect(code).toMatch(/^[2-5]\d\d$/);
    expect(daemon.docker(["inspect", "--format", "{{.State.Running}}", id]).stdout.trim()).toBe("true");
  });

  it("serves its own default config on 8080", async () => {
    const id = daemon.docker(["run", "-d", "--read-only", "--tmpfs", "/tmp", image("gateway").ref]).stdout.trim();
    const ip = containerIp(id);
    const code = await eventually("default nginx answers", 30, () => {
      const r = httpGet(`http://${ip}:8080/`);
      return r.code === "200" ? r.code : undefined;
    }, id);
    expect(code).toBe("200");
  });
});

describe("Agent Canvas (app: canvas)", () => {
  const keyHeader = "X-Session-API-Key";

  async function renderedCanvas(valuesFile: string) {
    const { objects } = await render({ valuesFiles: [valuesFile], apiVersions: clusterApiVersions });
    const service = objects.find((o) => o.kind === "Service" && o.metadata.name === "openhands") as any;
    return { pod: podSpec(objects), canvas: container(objects, "canvas"), service };
  }

  /** A named port of the container (as a Service's targetPort or a probe names it). */
  function portNumber(canvas: any, port: string | number): number {
    if (typeof port === "number") return port;
    const found = canvas.ports.find((p: any) => p.name === port);
    if (!found) throw new Error(`the canvas container has no port named ${port}`);
    return found.containerPort;
  }

  /**
   * `docker run` flags for the container as the pod runs it: the rendered environment (the
   * Secrets' values given here), user, group, fsGroup, capabilities, working directory, and
   * each mount as an empty volume owned by the fsGroup, as a fresh claim is.
   */
  function podRunFlags(pod: any, canvas: any, secretValues: Record<string, string>, volumePrefix: string): string[] {
    const env = canvas.env.flatMap((e: any) => {
      const value = e.valueFrom ? secretValues[e.name] : e.value;
      if (value === undefined) throw new Error(`no test value for the rendered ${e.name}`);
      return ["-e", `${e.name}=${value}`];
    });
    const security = canvas.securityContext;
    const fsGroup = pod.securityContext.fsGroup;
    const mounts = canvas.volumeMounts.flatMap((m: any) => {
      const volume = `${volumePrefix}-${m.name}`;
      daemon.docker(["volume", "create", volume]);
      daemon.docker(["run", "--rm", "--user", "0", "--entrypoint", "sh", "--mount", `type=volume,src=${volume},dst=/claim,volume-nocopy`,
        image("canvas").ref, "-c", `chgrp ${fsGroup} /claim && chmod 2775 /claim`]);
      return ["--mount", `type=volume,src=${volume},dst=${m.mountPath},volume-nocopy`];
    });
    return [
      "--user", `${security.runAsUser}:${security.runAsGroup}`, "--group-add", String(fsGroup),
      ...(security.capabilities?.drop?.includes("ALL") ? ["--cap-drop", "ALL"] : []),
      ...(security.allowPrivilegeEscalation === false ? ["--security-opt", "no-new-privileges"] : []),
      "-w", canvas.workingDir, ...mounts, ...env,
    ];
  }

  /** Starts the image with `flags` and waits for port 8000's /ready (the agent server's, proxied). */
  async function startCanvas(flags: string[]): Promise<{ id: string; ip: string }> {
    const id = daemon.docker(["run", "-d", ...flags, image("canvas").ref]).stdout.trim();
    const ip = containerIp(id);
    await eventually("GET :8000/ready", 240, () => (httpGet(`http://${ip}:8000/ready`).code === "200" ? true : undefined), id);
    return { id, ip };
  }

  function removeCanvas(id: string, volumePrefix?: string) {
    daemon.docker(["rm", "-f", id], { allowFailure: true });
    if (!volumePrefix) return;
    const volumes = daemon.docker(["volume", "ls", "-q", "--filter", `name=${volumePrefix}-`]).stdout.split("\n").filter(Boolean);
    if (volumes.length) daemon.docker(["volume", "rm", ...volumes], { allowFailure: true });
  }

  /** The page without the one script the static server injects before </head>; fails when there is none. */
  function withoutInjectedScript(page: string): string {
    const stripped = page.replace(/<script>(?:(?!<\/script>)[^])*<\/script>\n(?=<\/head>)/, "");
    expect(stripped).not.toBe(page);
    return stripped;
  }

  /** Every process in the container, as `uid command`. */
  function processes(id: string): string[] {
    return daemon.docker(["exec", id, "ps", "-eo", "uid=,args="]).stdout.split("\n").map((l) => l.trim()).filter((l) => l && !/\bps -eo\b/.test(l));
  }

  /** The agent server's and the automation service's API through port `port`: 401 without the key, 200 with it. */
  function expectApiGuardedBy(ip: string, port: number, key: string) {
    expect(httpGet(`http://${ip}:${port}/api/file/home`).code).toBe("401");
    expect(httpGet(`http://${ip}:${port}/api/file/home`, { [keyHeader]: "not-the-key" }).code).toBe("401");
    const home = httpGet(`http://${ip}:${port}/api/file/home`, { [keyHeader]: key });
    expect(home.code).toBe("200");
    expect(JSON.parse(home.body).home).toBe("/home/openhands");
    expect(httpGet(`http://${ip}:${port}/api/automation/v1`).code).toBe("401");
    expect(httpGet(`http://${ip}:${port}/api/automation/v1`, { [keyHeader]: "not-the-key" }).code).toBe("401");
    const automations = httpGet(`http://${ip}:${port}/api/automation/v1`, { [keyHeader]: key });
    expect(automations.code).toBe("200");
    expect(JSON.parse(automations.body)).toMatchObject({ automations: [], total: 0 });
  }

  it("the image carries the reference ci/canvas-values.yaml renders for the canvas container", async () => {
    const { canvas } = await renderedCanvas("ci/canvas-values.yaml");
    expect(canvas.image).toBe(image("canvas").ref);
    expect(chartImageRefs().canvas).toBe(image("canvas").ref);
  });

  it("started as the image alone: runs as 10001, keeps generated secret and session keys in /home/openhands/.openhands, and serves the UI on 8000 with the key both APIs require", async () => {
    const { id, ip } = await startCanvas([]);
    try {
      expect(httpGet(`http://${ip}:8000/alive`).code).toBe("200");
      const users = processes(id);
      expect(users.some((l) => l.includes("openhands.agent_server"))).toBe(true);
      expect(users.some((l) => l.includes("openhands.automation.app:app"))).toBe(true);
      expect(users.some((l) => l.includes("/opt/agent-canvas/static-server.mjs"))).toBe(true);
      expect(users.filter((l) => !l.startsWith("10001 "))).toEqual([]);
      const state = daemon.docker(["exec", id, "sh", "-c",
        "cd /home/openhands/.openhands/agent-canvas && stat -c '%n %u %a %s' secret-key.txt api-key.txt && echo && cat api-key.txt"]).stdout;
      const [files, key] = state.split("\n\n");
      expect(files.trim().split("\n")).toEqual(["secret-key.txt 10001 600 64", "api-key.txt 10001 600 64"]);
      expect(key).toMatch(/^[0-9a-f]{64}$/);

      const index = httpGet(`http://${ip}:8000/`);
      expect(index.code).toBe("200");
      expect(index.body).toContain(`window.__AGENT_CANVAS_SESSION_API_KEY__=${JSON.stringify(key)};`);
      const file = daemon.docker(["exec", id, "cat", "/opt/agent-canvas/frontend/index.html"]).stdout;
      expect(withoutInjectedScript(index.body)).toBe(file);
      expect(file).toContain("<title>OpenHands</title>");
      // A route of the single-page app gets the same page; its assets are served at the site root.
      expect(httpGet(`http://${ip}:8000/conversations/check`).body).toContain(key);
      const asset = /href="(\/assets\/manifest-[^"]+\.js)"/.exec(file)?.[1];
      expect(httpGet(`http://${ip}:8000${asset}`).code).toBe("200");

      expectApiGuardedBy(ip, 8000, key);
      expect(httpGet(`http://${ip}:8000/api/automation/health`).code).toBe("200");
    } finally {
      removeCanvas(id);
    }
  });

  it("started the way ci/canvas-values.yaml renders it (environment, user, working directory, empty claims): the probes answer and port 8000's page carries the Secret's session key", async () => {
    const { pod, canvas, service } = await renderedCanvas("ci/canvas-values.yaml");
    // oauth2-proxy stands in front: the Service does not reach Canvas' own ports.
    expect(service.spec.ports.map((p: any) => p.targetPort)).toEqual(["oauth2-proxy"]);
    expect(canvas.env.map((e: any) => e.name)).not.toContain("PUBLIC_MODE_PORT");
    const sessionKey = randomBytes(32).toString("hex");
    const secretKey = randomBytes(32).toString("hex");
    const volumes = `canvas-oauth2-${process.pid}`;
    const { id, ip } = await startCanvas(podRunFlags(pod, canvas, { OH_SESSION_API_KEYS_0: sessionKey, OH_SECRET_KEY: secretKey }, volumes));
    try {
      for (const probe of [canvas.startupProbe, canvas.livenessProbe, canvas.readinessProbe]) {
        expect(httpGet(`http://${ip}:${portNumber(canvas, probe.httpGet.port)}${probe.httpGet.path}`).code).toBe("200");
      }
      expect(processes(id).filter((l) => !l.startsWith("10001 "))).toEqual([]);
      const page = httpGet(`http://${ip}:8000/`);
      expect(page.code).toBe("200");
      expect(page.body).toContain(`window.__AGENT_CANVAS_SESSION_API_KEY__=${JSON.stringify(sessionKey)};`);
      expect(page.body).toContain("window.__AGENT_CANVAS_DO_NOT_TRACK__=true;");
      expectApiGuardedBy(ip, 8000, sessionKey);
      // Both keys came from the environment: nothing generated one; the claim holds the state.
      const state = daemon.docker(["exec", id, "sh", "-c", "cd /home/openhands/.openhands && ls -A agent-canvas; ls -d storage workspaces automation/automations.db; stat -c '%u %g' automation/automations.db"]).stdout;
      expect(state).not.toMatch(/secret-key\.txt|api-key\.txt/);
      expect(state).toContain("automation/automations.db");
      expect(state.trim().split("\n").pop()).toBe("10001 10001");
      expect(daemon.docker(["exec", id, "sh", "-c", "echo $HOME; pwd"]).stdout).toBe("/home/openhands\n/projects\n");
    } finally {
      removeCanvas(id, volumes);
    }
  });

  it("started the way ci/canvas-tunnel-values.yaml renders it: the Service's target port serves the key-free page that asks for the key, port 8000's page carries it", async () => {
    const { pod, canvas, service } = await renderedCanvas("ci/canvas-tunnel-values.yaml");
    const target = portNumber(canvas, service.spec.ports[0].targetPort);
    const publicPort = canvas.env.find((e: any) => e.name === "PUBLIC_MODE_PORT")?.value;
    expect(String(target)).toBe(publicPort);
    expect(target).not.toBe(8000);
    const sessionKey = randomBytes(32).toString("hex");
    const volumes = `canvas-tunnel-${process.pid}`;
    const { id, ip } = await startCanvas(podRunFlags(pod, canvas, { OH_SESSION_API_KEYS_0: sessionKey, OH_SECRET_KEY: randomBytes(32).toString("hex") }, volumes));
    try {
      // The readiness probe follows the target port; startup and liveness stay on 8000.
      await eventually(`GET :${target}/ready`, 60, () => (httpGet(`http://${ip}:${target}/ready`).code === "200" ? true : undefined), id);
      for (const probe of [canvas.startupProbe, canvas.livenessProbe, canvas.readinessProbe]) {
        expect(httpGet(`http://${ip}:${portNumber(canvas, probe.httpGet.port)}${probe.httpGet.path}`).code).toBe("200");
      }
      expect(portNumber(canvas, canvas.readinessProbe.httpGet.port)).toBe(target);

      const keyFree = httpGet(`http://${ip}:${target}/`);
      expect(keyFree.code).toBe("200");
      expect(keyFree.body).not.toContain(sessionKey);
      expect(keyFree.body).not.toContain("__AGENT_CANVAS_SESSION_API_KEY__");
      expect(keyFree.body).toContain("window.__AGENT_CANVAS_AUTH_REQUIRED__=true;");
      const file = daemon.docker(["exec", id, "cat", "/opt/agent-canvas/frontend/index.html"]).stdout;
      expect(withoutInjectedScript(keyFree.body)).toBe(file);
      expect(httpGet(`http://${ip}:${target}/conversations/check`).body).not.toContain(sessionKey);
      // The page asks for the key; the APIs behind the key-free port still require it.
      expectApiGuardedBy(ip, target, sessionKey);

      const withKey = httpGet(`http://${ip}:8000/`);
      expect(withKey.code).toBe("200");
      expect(withKey.body).toContain(`window.__AGENT_CANVAS_SESSION_API_KEY__=${JSON.stringify(sessionKey)};`);
      expect(processes(id).filter((l) => l.includes("static-server.mjs")).map((l) => / --port (\d+)/.exec(l)?.[1]).sort()).toEqual(["8000", String(target)].sort());
    } finally {
      removeCanvas(id, volumes);
    }
  });
});

describe("static binary images (oauth2-proxy)", () => {
  it("package a binary that runs as nonroot with CA certificates", async () => {
    const given = process.env.OAUTH2_PROXY_BINARY;
    let binary = given;
    if (!binary) {
      // A static program standing in for the binary someone else builds: the packaging is what is checked.
      const source = path.join(scratch, "probe.c");
      writeFileSync(source, '#include <stdio.h>\n#include <unistd.h>\nint main(int c,char**v){FILE*f=fopen("/etc/ssl/certs/ca-certificates.crt","r");printf("uid=%d ca=%s arg=%s\\n",getuid(),f?"yes":"no",c>1?v[1]:"");return 0;}\n');
      binary = path.join(scratch, "probe");
      execFileSync("gcc", ["-static", "-O2", "-o", binary, source]);
    }
    const ref = given ? chartImageRefs().oauth2Proxy : "localhost/openhands-chart/static-binary-check:test";
    const built = packageStaticBinary({ cacheName: given ? "oauth2-proxy" : "static-binary-check", ref, binary: binary!, path: "/bin/oauth2-proxy", config: oauth2ProxyConfig }, () => {});
    await daemon.load(built.tar, built.ref);
    const out = daemon.docker(["run", "--rm", "--read-only", built.ref, "--version"]).stdout;
    if (given) expect(out).toMatch(/oauth2-proxy v?7\.15\.5/);
    else expect(out.trim()).toBe("uid=65532 ca=yes arg=--version");
  });
});

describe("containerd import (how the node takes the images)", () => {
  it("imports the archives under the chart's references and runs one with its user", async () => {
    // A private containerd on its own socket and directories; the small images stand for all.
    const root = mkdtempSync(path.join(tmpdir(), "runtime-containerd-"));
    const socket = path.join(root, "containerd.sock");
    const containerd = spawn("containerd", ["--root", path.join(root, "root"), "--state", path.join(root, "state"), "--address", socket, "--config", "/dev/null"], { stdio: "ignore" });
    const ctr = (...args: string[]) => spawnSync("ctr", ["-a", socket, "-n", "k8s.io", ...args], { encoding: "utf8" });
    try {
      await eventually("containerd answers", 30, () => (ctr("version").status === 0 ? true : undefined));
      for (const name of ["helm-test", "gateway"] as const) {
        const imported = await execa("ctr", ["-a", socket, "-n", "k8s.io", "images", "import", image(name).tar], { reject: false });
        expect(imported.exitCode, imported.stderr).toBe(0);
      }
      const listed = ctr("images", "ls", "-q").stdout.split("\n");
      expect(listed).toContain(image("helm-test").ref);
      expect(listed).toContain(image("gateway").ref);
      const ran = ctr("run", "--rm", image("helm-test").ref, "runtime-images-check", "sh", "-c", "id -u; id -g");
      expect(ran.stdout).toBe("100\n101\n");
    } finally {
      if (containerd.exitCode === null) {
        const exited = new Promise((r) => containerd.once("exit", r));
        containerd.kill("SIGTERM");
        await exited;
      }
      spawnSync("rm", ["-rf", root]);
    }
  });
});
