// The OpenHands 0.28 runtime (sandbox) image that ci/blog-dind-values.yaml names, built here
// (ts/runtime/images.ts, `runtime-0.28`) and started under a Docker daemon of its own exactly
// the way 0.28's DockerRuntime starts it: the same command (the action execution server
// through micromamba and poetry, with CodeActAgent's plugins and the VS Code one a GUI session
// adds), environment, working directory and published ports. The chart's 0.28 app runs its
// image's entrypoint as root with SANDBOX_USER_ID=0, so its runtime runs as root; an app with
// RUN_AS_OPENHANDS and a user id asks for the `openhands` user instead, which the server
// creates. Then the app's side of the protocol: /alive, and actions through /execute_action.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { presetSandboxRef } from "../../ts/runtime/image/refs.ts";
import { presetRequested } from "./selection.ts";

let daemon: DockerDaemon;
let built: BuiltImage;

interface Runtime {
  id: string;
  port: number;
  startedAt: number;
}

const random = (from: number, to: number) => from + Math.floor(Math.random() * (to - from + 1));

/**
 * docker run with what DockerRuntime._init_container passes: the server's port from
 * 30000-39999 (the same inside and outside), VS Code's from 40000-49999 and two app ports from
 * 50000-54999 and 55000-59999 published on 0.0.0.0, `port`, PYTHONUNBUFFERED and VSCODE_PORT,
 * working directory /openhands/code/, and the command of
 * openhands.runtime.utils.command.get_action_execution_server_startup_command.
 */
function startRuntime(username: string, userId: number): Runtime {
  const port = random(30000, 39999);
  const vscodePort = random(40000, 49999);
  const appPorts = [random(50000, 54999), random(55000, 59999)];
  const command = [
    "/openhands/micromamba/bin/micromamba", "run", "-n", "openhands", "poetry", "run",
    "python", "-u", "-m", "openhands.runtime.action_execution_server", String(port),
    "--working-dir", "/workspace",
    "--plugins", "agent_skills", "jupyter", "vscode",
    "--username", username,
    "--user-id", String(userId),
  ];
  const env = { port: String(port), PYTHONUNBUFFERED: "1", VSCODE_PORT: String(vscodePort) };
  const publish = [port, vscodePort, ...appPorts].flatMap((p) => ["-p", `0.0.0.0:${p}:${p}/tcp`]);
  const startedAt = Date.now();
  const id = daemon
    .docker([
      "run", "-d", "--name", `openhands-runtime-${username}-${process.pid}`, "-w", "/openhands/code/",
      ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      ...publish, built.ref, ...command,
    ])
    .stdout.trim();
  return { id, port, startedAt };
}

function curl(args: string[]): { code: number; body: string } {
  const r = daemon.inNetns(["curl", "-s", "-m", "120", "-w", "\n%{http_code}", ...args]);
  const lines = r.stdout.split("\n");
  return { code: Number(lines.pop() || 0), body: lines.join("\n") };
}

function logs(runtime: Runtime): string {
  const r = daemon.docker(["logs", "--tail", "60", runtime.id], { allowFailure: true });
  return `${r.stdout}${r.stderr}`;
}

/** Polls /alive (through the published port, as the app does) until it reports ok; the seconds it took. */
async function waitAlive(runtime: Runtime): Promise<number> {
  let last = "";
  for (let i = 0; i < 300; i++) {
    const state = daemon.docker(["inspect", "--format", "{{.State.Status}}", runtime.id]).stdout.trim();
    if (state !== "running") throw new Error(`the runtime container is ${state}\n${logs(runtime)}`);
    const r = curl([`http://127.0.0.1:${runtime.port}/alive`]);
    last = `${r.code} ${r.body}`;
    if (r.code === 200 && JSON.parse(r.body).status === "ok") break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  expect(last, logs(runtime)).toBe('200 {"status":"ok"}');
  return Math.round((Date.now() - runtime.startedAt) / 100) / 10;
}

function execute(runtime: Runtime, action: object): any {
  const r = curl(["-X", "POST", "-H", "Content-Type: application/json", "--data", JSON.stringify({ action }), `http://127.0.0.1:${runtime.port}/execute_action`]);
  if (r.code !== 200) throw new Error(`/execute_action answered ${r.code}: ${r.body}\n${logs(runtime)}`);
  return JSON.parse(r.body);
}


// The image is 2.9 GB and serves the blog-dind preset: like that preset's other opt-in runs, it
// is built and checked when RUNTIME_PRESETS names blog-dind or all, or is unset (a plain
// `npm run test:runtime`); .ci/run's default list leaves it out to stay within CI's time.
const runsHere = presetRequested("blog-dind");

describe.runIf(runsHere)("the 0.28 runtime image (RUNTIME_PRESETS blog-dind)", () => {
  beforeAll(async () => {
    // The build runs in its own process: its long synchronous steps would stall this worker.
    const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "runtime-0.28"], { cwd: repoRoot, stderr: "inherit" });
    built = (JSON.parse(build.stdout) as BuiltImage[])[0];
    daemon = await startDockerDaemon("runtime-v0");
    const loadStarted = Date.now();
    await daemon.load(built.tar, built.ref);
    console.log(`runtime-0.28: ${built.cached ? "cached" : "built"} in ${built.seconds}s, loaded in ${Math.round((Date.now() - loadStarted) / 1000)}s`);
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it("is tagged with the sandbox image the blog DinD preset names", () => {
    expect(built.ref).toBe(presetSandboxRef("blog-dind-values.yaml"));
    expect(built.ref).toBe("docker.all-hands.dev/all-hands-ai/runtime:0.28-nikolaik");
  });

  describe("as the chart's 0.28 app starts it (root, user id 0)", () => {
    let runtime: Runtime;
    beforeAll(() => {
      runtime = startRuntime("root", 0);
    });
    afterAll(() => {
      if (process.env.KEEP_RUNTIME_LOGS) console.log(logs(runtime));
      daemon.docker(["rm", "-f", runtime.id], { allowFailure: true });
    });

    it("answers /alive once the server, bash, Jupyter and the browser are up", async () => {
      console.log(`runtime-0.28 (root): /alive ok ${await waitAlive(runtime)}s after docker run`);
    });

    it("runs a CmdRunAction in its bash session and returns the output", () => {
      const obs = execute(runtime, { action: "run", args: { command: "echo hello-from-0.28-runtime" } });
      expect(obs.observation).toBe("run");
      expect(obs.content.trim()).toBe("hello-from-0.28-runtime");
      expect(obs.extras.metadata.exit_code).toBe(0);
      // The working directory and user the app asked for, in a tmux-driven bash.
      const where = execute(runtime, { action: "run", args: { command: "pwd; id -un; tmux -V" } });
      expect(where.content.split("\n").map((l: string) => l.trim())).toEqual(expect.arrayContaining(["/workspace", "root"]));
      const failing = execute(runtime, { action: "run", args: { command: "false" } });
      expect(failing.extras.metadata.exit_code).toBe(1);
    });

    it("runs an IPythonRunCellAction in the Jupyter kernel, with AgentSkills loaded", () => {
      const obs = execute(runtime, { action: "run_ipython", args: { code: "print(6 * 7)\nprint(callable(open_file))" } });
      expect(obs.observation).toBe("run_ipython");
      expect(obs.content.split("\n").slice(0, 2)).toEqual(["42", "True"]);
    });

    it("browses with Playwright's Chromium (the browser tool)", () => {
      const obs = execute(runtime, { action: "browse", args: { url: `http://127.0.0.1:${runtime.port}/alive` } });
      expect(obs.observation).toBe("browse");
      expect(obs.extras.error, obs.content).toBeFalsy();
      expect(obs.content).toContain('"status":"ok"');
      // The browser Playwright launched is Debian's chromium, from the place Playwright looks.
      const exes = daemon.docker(["exec", runtime.id, "sh", "-c", "for p in /proc/[0-9]*; do readlink $p/exe; done; true"]).stdout.split("\n");
      expect(exes).toContain("/usr/lib/chromium/chromium");
    });
  });

  describe("as an app with RUN_AS_OPENHANDS starts it (openhands, user id 1000)", () => {
    let runtime: Runtime;
    beforeAll(() => {
      runtime = startRuntime("openhands", 1000);
    });
    afterAll(() => {
      daemon.docker(["rm", "-f", runtime.id], { allowFailure: true });
    });

    it("creates the user, and runs bash and the Jupyter kernel as it", async () => {
      console.log(`runtime-0.28 (openhands): /alive ok ${await waitAlive(runtime)}s after docker run`);
      const obs = execute(runtime, { action: "run", args: { command: "id -u; id -un; pwd" } });
      expect(obs.content.split("\n").map((l: string) => l.trim()).slice(0, 3)).toEqual(["1000", "openhands", "/workspace"]);
      const py = execute(runtime, { action: "run_ipython", args: { code: "import os, getpass; print(os.getuid(), getpass.getuser(), os.getcwd())" } });
      expect(py.content.split("\n")[0]).toBe("1000 openhands /workspace");
    });
  });
});
