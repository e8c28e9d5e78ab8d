// The OpenHands 0.28 runtime (sandbox) image that ci/blog-dind-values.yaml names, built here
// (ts/runtime/images.ts, `runtime-0.28`) and started under a Docker daemon of its own exactly
// the way 0.28's DockerRuntime starts it for the chart's 0.28 app: the same command (the
// action execution server through micromamba and poetry, with CodeActAgent's plugins and the
// VS Code one a GUI session adds), environment, working directory and published ports. The
// app image's entrypoint runs as root with SANDBOX_USER_ID=0, so the runtime runs as root too.
// Then the app's side of the protocol: /alive, and actions through /execute_action.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { presetSandboxRef } from "../../ts/runtime/image/refs.ts";

let daemon: DockerDaemon;
let built: BuiltImage;
let containerId = "";
let startedAt = 0;
let aliveSeconds = 0;

// What DockerRuntime._init_container picks: the server's port from 30000-39999 (the same
// inside and outside), VS Code's from 40000-49999, two app ports from 50000-54999 and 55000-59999.
const port = 30000 + Math.floor(Math.random() * 10000);
const vscodePort = 40000 + Math.floor(Math.random() * 10000);
const appPorts = [50000 + Math.floor(Math.random() * 5000), 55000 + Math.floor(Math.random() * 5000)];

/** openhands.runtime.utils.command.get_action_execution_server_startup_command for the chart's 0.28 app. */
const command = [
  "/openhands/micromamba/bin/micromamba", "run", "-n", "openhands", "poetry", "run",
  "python", "-u", "-m", "openhands.runtime.action_execution_server", String(port),
  "--working-dir", "/workspace",
  "--plugins", "agent_skills", "jupyter", "vscode",
  "--username", "root",
  "--user-id", "0",
];

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
  const r = curl(["-X", "POST", "-H", "Content-Type: application/json", "--data", JSON.stringify({ action }), `http://127.0.0.1:${port}/execute_action`]);
  if (r.code !== 200) throw new Error(`/execute_action answered ${r.code}: ${r.body}\n${logs()}`);
  return JSON.parse(r.body);
}

beforeAll(async () => {
  // The build runs in its own process: its long synchronous steps would stall this worker.
  const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "runtime-0.28"], { cwd: repoRoot, stderr: "inherit" });
  built = (JSON.parse(build.stdout) as BuiltImage[])[0];
  daemon = await startDockerDaemon("runtime-v0");
  await daemon.load(built.tar, built.ref);
  const env = { port: String(port), PYTHONUNBUFFERED: "1", VSCODE_PORT: String(vscodePort) };
  const publish = [port, vscodePort, ...appPorts].flatMap((p) => ["-p", `0.0.0.0:${p}:${p}/tcp`]);
  startedAt = Date.now();
  containerId = daemon
    .docker([
      "run", "-d", "--name", `openhands-runtime-${process.pid}`, "-w", "/openhands/code/",
      ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      ...publish, built.ref, ...command,
    ])
    .stdout.trim();
});

afterAll(async () => {
  if (containerId && process.env.KEEP_RUNTIME_LOGS) console.log(logs());
  await daemon?.stop();
});

describe("OpenHands 0.28 runtime image", () => {
  it("is tagged with the sandbox image the blog DinD preset names", () => {
    expect(built.ref).toBe(presetSandboxRef("blog-dind-values.yaml"));
    expect(built.ref).toBe("docker.all-hands.dev/all-hands-ai/runtime:0.28-nikolaik");
    console.log(`runtime-0.28: ${built.cached ? "cached" : "built"} in ${built.seconds}s`);
  });

  it("answers /alive once the server, bash, Jupyter and the browser are up", async () => {
    let last = "";
    for (let i = 0; i < 300; i++) {
      const state = daemon.docker(["inspect", "--format", "{{.State.Status}}", containerId]).stdout.trim();
      if (state !== "running") throw new Error(`the runtime container is ${state}\n${logs()}`);
      const r = curl([`http://127.0.0.1:${port}/alive`]);
      last = `${r.code} ${r.body}`;
      if (r.code === 200 && JSON.parse(r.body).status === "ok") break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    aliveSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
    console.log(`runtime-0.28: /alive ok ${aliveSeconds}s after docker run`);
    expect(last, logs()).toBe('200 {"status":"ok"}');
  });

  it("runs a CmdRunAction in its bash session and returns the output", () => {
    const obs = execute({ action: "run", args: { command: "echo hello-from-0.28-runtime" } });
    expect(obs.observation).toBe("run");
    expect(obs.content.trim()).toBe("hello-from-0.28-runtime");
    expect(obs.extras.metadata.exit_code).toBe(0);
    // The server's working directory and user, as the app asked for them.
    const where = execute({ action: "run", args: { command: "pwd; id -un; tmux -V" } });
    expect(where.content.split("\n").map((l: string) => l.trim())).toEqual(expect.arrayContaining(["/workspace", "root"]));
    const failing = execute({ action: "run", args: { command: "false" } });
    expect(failing.extras.metadata.exit_code).toBe(1);
  });

  it("runs an IPythonRunCellAction in the Jupyter kernel, with AgentSkills loaded", () => {
    const obs = execute({ action: "run_ipython", args: { code: "print(6 * 7)\nprint(callable(open_file))" } });
    expect(obs.observation).toBe("run_ipython");
    expect(obs.content.split("\n").slice(0, 2)).toEqual(["42", "True"]);
  });

  it("browses with Playwright's Chromium (the browser tool)", () => {
    const obs = execute({ action: "browse", args: { url: `http://127.0.0.1:${port}/alive` } });
    expect(obs.observation).toBe("browse");
    expect(obs.extras.error, obs.content).toBeFalsy();
    expect(obs.content).toContain('"status":"ok"');
    // The browser Playwright launched is Debian's chromium, from the place Playwright looks.
    const exes = daemon.docker(["exec", containerId, "sh", "-c", "for p in /proc/[0-9]*; do readlink $p/exe; done; true"]).stdout.split("\n");
    expect(exes).toContain("/usr/lib/chromium/chromium");
  });
});
