// The real OpenHands 1.11.0 app (PyPI venv + the release UI build) run on this machine in
// process sandbox mode, for driving its UI without a cluster. It runs in private mount and
// PID namespaces: /etc/hosts gets the `host.docker.internal` alias a pod's hostAliases would
// give (the app rewrites localhost to it when it believes it is in a container), and stopping
// the namespace's first process ends every agent server it started.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cachePath } from "./cache.ts";
import { freePort } from "./ports.ts";
import { startProcess, type StartedProcess } from "./process.ts";

export const appVersion = "1.11.0";

/** Where the app's venv and UI build are cached (built by the runtime suite's setup). */
export function appPaths(version = appVersion) {
  const root = cachePath(`app-${version}`);
  return { root, venv: path.join(root, "venv"), frontendBuild: path.join(root, "frontend-build") };
}

/**
 * Two changes to upstream 1.11.0's process sandbox service, loaded through sitecustomize:
 * - it reports a sandbox as RUNNING only while its agent server is on a CPU, so an idle one
 *   looks STARTING forever; here a live process that is neither stopped nor a zombie counts
 *   as running, and the app's own health check then decides between RUNNING and ERROR;
 * - it gives a new agent server a fixed 30 s to answer /alive; on a busy 2-core machine its
 *   imports alone take longer, so the wait is raised to `agentServerStartSeconds`.
 */
export const processSandboxPatch = `
import importlib.abc, importlib.machinery, os, sys

START_SECONDS = int(os.environ.get("RUNTIME_SUITE_AGENT_SERVER_START_SECONDS", "30"))

TARGET = "openhands.app_server.sandbox.process_sandbox_service"

def _patch(module):
    import psutil
    from openhands.app_server.sandbox.sandbox_models import SandboxStatus

    def _get_process_status(self, process_info):
        try:
            process = psutil.Process(process_info.pid)
            if not process.is_running():
                return SandboxStatus.MISSING
            status = process.status()
            if status == psutil.STATUS_STOPPED:
                return SandboxStatus.PAUSED
            if status in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD):
                return SandboxStatus.MISSING
            return SandboxStatus.RUNNING
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return SandboxStatus.MISSING

    module.ProcessSandboxService._get_process_status = _get_process_status

    original_wait = module.ProcessSandboxService._wait_for_server_ready
    async def _wait_for_server_ready(self, port, timeout=30):
        return await original_wait(self, port, max(timeout, START_SECONDS))
    module.ProcessSandboxService._wait_for_server_ready = _wait_for_server_ready

class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module
        def exec_module(module):
            original(module)
            _patch(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _Finder())
`;

export interface LocalAppOptions {
  port?: number;
  /** More environment for the app (and so for its agent servers). */
  env?: Record<string, string>;
  version?: string;
  /** A UI build other than the cached one. */
  frontendBuild?: string;
  /** A venv other than the cached one. */
  venv?: string;
  /** How long a new agent server may take to answer /alive (upstream: 30 s); default 180. */
  agentServerStartSeconds?: number;
}

export interface LocalApp {
  url: string;
  port: number;
  /** The app's state, sandboxes and logs live here. */
  dir: string;
  process: StartedProcess;
  stop(): Promise<void>;
}

export async function startLocalApp(options: LocalAppOptions = {}): Promise<LocalApp> {
  const cached = appPaths(options.version);
  const paths = { venv: options.venv ?? cached.venv, frontendBuild: options.frontendBuild ?? cached.frontendBuild };
  for (const [what, dir] of [["venv", paths.venv], ["UI build", paths.frontendBuild]] as const) {
    if (!existsSync(dir)) throw new Error(`OpenHands ${options.version ?? appVersion} ${what} is missing at ${dir}`);
  }
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(path.join(tmpdir(), "openhands-app-"));
  // The app serves ./frontend/build relative to its working directory, as in the image (/app).
  mkdirSync(path.join(dir, "app", "frontend"), { recursive: true });
  symlinkSync(paths.frontendBuild, path.join(dir, "app", "frontend", "build"));
  mkdirSync(path.join(dir, "patches"));
  writeFileSync(path.join(dir, "patches", "sitecustomize.py"), processSandboxPatch);
  mkdirSync(path.join(dir, "tmp"));
  writeFileSync(path.join(dir, "hosts"), readFileSync("/etc/hosts", "utf8") + "\n127.0.0.1\thost.docker.internal\n");

  const env: Record<string, string> = {
    RUNTIME: "process",
    LOG_ALL_EVENTS: "true",
    OH_PERSISTENCE_DIR: path.join(dir, "state"),
    // Sandboxes live under tempfile.gettempdir(); keep them inside this run's directory.
    TMPDIR: path.join(dir, "tmp"),
    PYTHONPATH: path.join(dir, "patches"),
    // Process sandboxes report events (and so the title) to the app only through a webhook.
    OH_WEBHOOKS_0_BASE_URL: `http://127.0.0.1:${port}/api/v1/webhooks`,
    RUNTIME_SUITE_AGENT_SERVER_START_SECONDS: String(options.agentServerStartSeconds ?? 180),
    // LiteLLM would otherwise try to download its model price list at start.
    LITELLM_LOCAL_MODEL_COST_MAP: "True",
    ...options.env,
  };
  // `python -m`: a venv's console scripts carry its original path in their first line.
  const python = path.join(paths.venv, "bin", "python");
  const app = await startProcess({
    name: `openhands-app-${port}`,
    command: "unshare",
    args: [
      "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM",
      "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', path.join(dir, "hosts"),
      python, "-m", "uvicorn", "openhands.server.listen:app", "--host", "127.0.0.1", "--port", String(port),
    ],
    env,
    cwd: path.join(dir, "app"),
    readyUrl: `http://127.0.0.1:${port}/health`,
    readyTimeoutMs: 180_000,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    process: app,
    // The app's log stays in runtime-report/logs; its state and sandboxes go.
    stop: async () => {
      await stopNamespace(app);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * unshare --fork ignores SIGTERM while it waits, so the app (the PID namespace's first process)
 * is signalled itself; when it exits the kernel ends every other process in the namespace.
 */
async function stopNamespace(started: StartedProcess): Promise<void> {
  const unsharePid = started.child.pid;
  if (unsharePid !== undefined && started.child.exitCode === null) {
    const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    for (const pid of children) process.kill(pid, "SIGTERM");
    const timer = setTimeout(() => children.forEach((pid) => { try { process.kill(pid, "SIGKILL"); } catch { /* gone */ } }), 20_000);
    await started.exited;
    clearTimeout(timer);
  }
  await started.stop();
}
