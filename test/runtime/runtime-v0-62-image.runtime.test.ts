// The OpenHands 0.62 runtime (sandbox) image that ci/v0-kubernetes-runtime-values.yaml names,
// built here (ts/runtime/images.ts, `runtime-0.62`) and started under a Docker daemon of its own
// the way 0.62's KubernetesRuntime starts it in a conversation's pod. The pod's container is
// not copied by hand: the release's own KubernetesRuntime._get_runtime_pod_manifest builds it
// (with CodeActAgent's plugins and the VS Code one a GUI session adds, and the release's config
// defaults), and the container is run with exactly its command, env, working directory and
// workspace mount, as the image's user (the pod sets none), unprivileged. Then the app's side
// of the protocol: /alive (the pod's readiness probe), and actions through /execute_action.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import path from "node:path";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { presetSandboxRef } from "../../ts/runtime/image/refs.ts";
import { v0KubernetesRuntimeVersion } from "../../ts/runtime/image/specs.ts";
import { v0RuntimeVenv } from "../../ts/runtime/v0-app-venv.ts";
import { presetRequested } from "./selection.ts";

let daemon: DockerDaemon;
let built: BuiltImage;

interface PodContainer {
  command: string[];
  env: { name: string; value: string }[];
  workingDir: string;
  ports: { containerPort: number; name?: string }[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: { httpGet: { path: string; port: number } };
  securityContext: { privileged: boolean; runAsUser?: number };
}

/**
 * The pod 0.62's KubernetesRuntime creates, from its own code in the runtime venv: a
 * KubernetesRuntime without its API client (its constructor connects to a cluster), with the
 * ports, plugins and config its constructor and a GUI session give it.
 */
const manifestScript = `
import json, sys
from kubernetes.client import ApiClient
from openhands.agenthub.codeact_agent.codeact_agent import CodeActAgent
from openhands.core.config import OpenHandsConfig
from openhands.core.config.kubernetes_config import KubernetesConfig
from openhands.runtime.impl.kubernetes.kubernetes_runtime import KubernetesRuntime
from openhands.runtime.plugins import VSCodeRequirement

config = OpenHandsConfig()
config.kubernetes = KubernetesConfig()
config.sandbox.runtime_container_image = sys.argv[1]
r = object.__new__(KubernetesRuntime)
r.config = config
r._k8s_config = config.kubernetes
r.sid = 'suite'
r.pod_name = 'openhands-runtime-suite'
r.pod_image = sys.argv[1]
# KubernetesRuntime.__init__'s ports; Runtime.__init__ adds VS Code when not headless (a GUI session).
r._container_port, r._vscode_port, r._app_ports = 8080, 8081, [30082, 30083]
r.plugins = [*CodeActAgent.sandbox_plugins, VSCodeRequirement()]
r._vscode_enabled = True
print(json.dumps(ApiClient().sanitize_for_serialization(r._get_runtime_pod_manifest())))
`;

let pod: PodContainer;
let containerId = "";
let serverUrl = "";
let startedAt = 0;

function curl(args: string[]): { code: number; body: string } {
  const r = daemon.inNetns(["curl", "-s", "-m", "120", "-w", "\n%{http_code}", ...args]);
  const lines = r.stdout.split("\n");
  return { code: Number(lines.pop() || 0), body: lines.join("\n") };
}

function logs(): string {
  const r = daemon.docker(["logs", "--tail", "60", containerId], { allowFailure: true });
  return `${r.stdout}${r.stderr}`;
}

function execute(action: object): any {
  const r = curl(["-X", "POST", "-H", "Content-Type: application/json", "--data", JSON.stringify({ action }), `${serverUrl}/execute_action`]);
  if (r.code !== 200) throw new Error(`/execute_action answered ${r.code}: ${r.body}\n${logs()}`);
  return JSON.parse(r.body);
}

const lines = (text: string) => text.split("\n").map((l) => l.trim());

// The image is large and serves the v0-kubernetes-runtime preset: it is built and checked when
// RUNTIME_PRESETS names v0-kubernetes-runtime or all, or is unset.
const runsHere = presetRequested("v0-kubernetes-runtime");

describe.runIf(runsHere)("the 0.62 runtime image (RUNTIME_PRESETS v0-kubernetes-runtime)", () => {
  beforeAll(async () => {
    // The build runs in its own process: its long synchronous steps would stall this worker.
    const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "runtime-0.62"], { cwd: repoRoot, stderr: "inherit" });
    built = (JSON.parse(build.stdout) as BuiltImage[])[0];
    const venv = await v0RuntimeVenv(v0KubernetesRuntimeVersion);
    const manifest = await execa(path.join(venv, "bin", "python"), ["-c", manifestScript, built.ref]);
    pod = JSON.parse(manifest.stdout).spec.containers[0];
    daemon = await startDockerDaemon("runtime-v0-62");
    const loadStarted = Date.now();
    await daemon.load(built.tar, built.ref);
    console.log(`runtime-0.62: ${built.cached ? "cached" : "built"} in ${built.seconds}s, loaded in ${Math.round((Date.now() - loadStarted) / 1000)}s`);
  });

  afterAll(async () => {
    if (containerId) {
      if (process.env.KEEP_RUNTIME_LOGS) console.log(logs());
      daemon.docker(["rm", "-f", "-v", containerId], { allowFailure: true });
      daemon.docker(["volume", "rm", "-f", `openhands-runtime-suite-${process.pid}`], { allowFailure: true });
    }
    await daemon?.stop();
  });

  it("is tagged with the sandbox image the v0 kubernetes runtime preset names", () => {
    expect(built.ref).toBe(presetSandboxRef("v0-kubernetes-runtime-values.yaml"));
    expect(built.ref).toBe("docker.openhands.dev/openhands/runtime:0.62-nikolaik");
  });

  it("is what 0.62's pod asks of it: the action execution server through micromamba and poetry, as root", () => {
    expect(pod.command.slice(0, 11)).toEqual([
      "/openhands/micromamba/bin/micromamba", "run", "-n", "openhands", "poetry", "run",
      "python", "-u", "-m", "openhands.runtime.action_execution_server", "8080",
    ]);
    expect(pod.command.slice(11)).toEqual(["--working-dir", "/workspace", "--plugins", "agent_skills", "jupyter", "vscode", "--username", "root", "--user-id", "1000"]);
    expect(pod.env).toEqual([{ name: "port", value: "8080" }, { name: "PYTHONUNBUFFERED", value: "1" }, { name: "VSCODE_PORT", value: "8081" }]);
    expect(pod.workingDir).toBe("/openhands/code/");
    expect(pod.volumeMounts).toEqual([{ name: "workspace-volume", mountPath: "/workspace" }]);
    expect(pod.readinessProbe.httpGet).toEqual({ path: "/alive", port: 8080 });
    expect(pod.securityContext).toEqual({ privileged: false });
  });

  describe("started as the pod's container", () => {
    beforeAll(() => {
      // The claim: a volume of this daemon, empty at first, at the pod's mount path.
      const volume = `openhands-runtime-suite-${process.pid}`;
      daemon.docker(["volume", "create", volume]);
      startedAt = Date.now();
      containerId = daemon
        .docker([
          "run", "-d", "--name", volume, "-w", pod.workingDir,
          ...pod.env.flatMap((e) => ["-e", `${e.name}=${e.value}`]),
          ...pod.volumeMounts.map((m) => ["-v", `${volume}:${m.mountPath}`]).flat(),
          "--entrypoint", pod.command[0], built.ref, ...pod.command.slice(1),
        ])
        .stdout.trim();
      const ip = daemon.docker(["inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", containerId]).stdout.trim();
      expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      serverUrl = `http://${ip}:${pod.readinessProbe.httpGet.port}`;
    });

    it("becomes ready: /alive (the readiness probe's path and port) answers ok once bash, Jupyter and the plugins are up", async () => {
      let last = "";
      for (let i = 0; i < 300; i++) {
        const state = daemon.docker(["inspect", "--format", "{{.State.Status}}", containerId]).stdout.trim();
        if (state !== "running") throw new Error(`the runtime container is ${state}\n${logs()}`);
        const r = curl([`${serverUrl}${pod.readinessProbe.httpGet.path}`]);
        last = `${r.code} ${r.body}`;
        if (r.code === 200 && JSON.parse(r.body).status === "ok") break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(last, logs()).toBe('200 {"status":"ok"}');
      console.log(`runtime-0.62: /alive ok ${Math.round((Date.now() - startedAt) / 100) / 10}s after docker run`);
    });

    it("runs a CmdRunAction in its bash session, as root in /workspace on the claim", () => {
      const obs = execute({ action: "run", args: { command: "echo hello-from-0.62-runtime" } });
      expect(obs.observation).toBe("run");
      expect(lines(obs.content)).toContain("hello-from-0.62-runtime");
      expect(obs.extras.metadata.exit_code).toBe(0);
      const where = execute({ action: "run", args: { command: "pwd; id -un; echo kept > on-the-claim.txt" } });
      expect(lines(where.content)).toEqual(expect.arrayContaining(["/workspace", "root"]));
      expect(daemon.docker(["exec", containerId, "cat", "/workspace/on-the-claim.txt"]).stdout.trim()).toBe("kept");
      const failing = execute({ action: "run", args: { command: "false" } });
      expect(failing.extras.metadata.exit_code).toBe(1);
    });

    it("has 0.62's additions: uv and uvx on the server's PATH (for MCP), Node.js and ripgrep in the session, the openhands user (uid 1000)", () => {
      // The pod's command leaves the image's PATH to the server; the bash session is a login
      // shell whose PATH comes from /etc/environment and the bashrc, as in the release's image.
      const serverPath = daemon.docker(["exec", containerId, "sh", "-c", "tr '\\0' '\\n' < /proc/1/environ | sed -n 's/^PATH=//p'"]).stdout.trim();
      expect(serverPath.split(":")).toContain("/openhands/bin");
      const uv = daemon.docker(["exec", "-e", `PATH=${serverPath}`, containerId, "sh", "-c", "uv --version && uvx --version"]).stdout;
      expect(uv).toMatch(/^uv \d+\.\d+\.\d+/m);
      const obs = execute({ action: "run", args: { command: "node --version && rg --version | head -1 && id -u openhands && /openhands/bin/uv --version" } });
      expect(obs.extras.metadata.exit_code, obs.content).toBe(0);
      const out = lines(obs.content);
      expect(out.some((l) => /^v\d+\./.test(l))).toBe(true);
      expect(out.some((l) => /^ripgrep \d+/.test(l))).toBe(true);
      expect(out).toContain("1000");
    });

    it("runs an IPythonRunCellAction in the Jupyter kernel, with AgentSkills loaded", () => {
      // 0.62's kernel client (runtime/plugins/jupyter/execute_server.py) stops reading at the
      // shell channel's execute_reply, which can overtake the iopub channel's output: on a busy
      // machine about 1 cell in 10 then reads "[Code executed successfully with no output]".
      // Only that answer is retried (up to 3 times), and counted.
      const code = "print(6 * 7)\nprint(callable(open_file))";
      let obs = execute({ action: "run_ipython", args: { code } });
      let lost = 0;
      while (lost < 3 && obs.content.startsWith("[Code executed successfully with no output]")) {
        lost++;
        obs = execute({ action: "run_ipython", args: { code } });
      }
      if (lost) console.log(`runtime-0.62: the kernel client lost a cell's output ${lost} time(s) before this one`);
      expect(obs.observation).toBe("run_ipython");
      expect(obs.content.split("\n").slice(0, 2)).toEqual(["42", "True"]);
    });

    it("browses with Playwright's Chromium (the browser tool)", () => {
      const obs = execute({ action: "browse", args: { url: `http://127.0.0.1:8080/alive` } });
      expect(obs.observation).toBe("browse");
      expect(obs.extras.error, obs.content).toBeFalsy();
      expect(obs.content).toContain('"status":"ok"');
      const exes = daemon.docker(["exec", containerId, "sh", "-c", "for p in /proc/[0-9]*; do readlink $p/exe; done; true"]).stdout.split("\n");
      expect(exes).toContain("/usr/lib/chromium/chromium");
    });

    it("has the VS Code plugin initialized with a token, and no VS Code server behind its port (none in the image)", () => {
      const token = curl([`${serverUrl}/vscode/connection_token`]);
      expect(token.code).toBe(200);
      expect(JSON.parse(token.body).token).toMatch(/^[0-9a-f-]{36}$/);
      const vscode = curl([`${serverUrl.replace(/:\d+$/, "")}:${pod.env.find((e) => e.name === "VSCODE_PORT")!.value}/`]);
      expect(vscode.code).toBe(0);
    });
  });
});
