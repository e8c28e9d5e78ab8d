// The real OpenHands 1.11.0 app (PyPI venv + the release UI build) run on this machine in
// process sandbox mode, for driving its UI without a cluster. It runs in private mount and
// PID namespaces: /etc/hosts gets the `host.docker.internal` alias a pod's hostAliases would
// give (the app rewrites localhost to it when it believes it is in a container), and stopping
// the namespace's first process ends every agent server it started.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../lib/helm-binaries.ts";
import { cachePath } from "../lib/cache-root.ts";
import { freePort } from "./ports.ts";
import { startProcess, type StartedProcess } from "./process.ts";

export const appVersion = "1.11.0";

/** Where the app's venv and UI build are cached (built by the runtime suite's setup). */
export function appPaths(version = appVersion) {
  const root = cachePath(`app-${version}`);
  return { root, venv: path.join(root, "venv"), frontendBuild: path.join(root, "frontend-build") };
}

/**
 * The chart's fixes for upstream 1.11.0's process sandboxes (status, start wait, URL, browser
 * tool), which the chart loads as sitecustomize in process mode: the harness loads the same
 * file, so what runs here is what ships.
 */
export const processSandboxPatchFile = path.join(repoRoot, "files", "process-sandbox-sitecustomize.py");

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
  writeFileSync(path.join(dir, "patches", "sitecustomize.py"), readFileSync(processSandboxPatchFile, "utf8"));
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
    PROCESS_SANDBOX_START_SECONDS: String(options.agentServerStartSeconds ?? 180),
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
 * The last log lines of an app run on this machine (`app`, its run directory `dir`) and of
 * each agent server it started, for failure messages.
 */
export function describeAppRun(app: StartedProcess, dir: string, lines = 40): string {
  const tail = (text: string) => text.split("\n").slice(-lines).join("\n");
  // The app echoes its SQL; its warnings, errors and answered requests tell more.
  const notable = app.output().split("\n").filter((line) => /WARNING|ERROR|Traceback|Exception|" \d{3}/.test(line));
  const parts = [`--- app log: warnings, errors and requests (last ${lines}) ---\n${notable.slice(-lines).join("\n")}`];
  for (const file of agentServerLogs(dir)) parts.push(`--- ${path.relative(dir, file)} ---\n${tail(readFileSync(file, "utf8"))}`);
  parts.push(`--- listeners on the sandbox ports (8000-8099), IPv4 and IPv6 ---\n${sandboxPortListeners()}`);
  return parts.join("\n");
}

/**
 * Who listens on the ports process sandboxes take: the app probes them over IPv4 only, while
 * the browser's `localhost` may reach an IPv6 listener on the same port.
 */
function sandboxPortListeners(): string {
  try {
    const lines = execFileSync("ss", ["-Hltnp"], { encoding: "utf8" }).split("\n");
    return lines.filter((line) => /[:\]]80\d\d\s/.test(line)).join("\n") || "(none)";
  } catch (error) {
    return `(ss failed: ${(error as Error).message})`;
  }
}

/** Process sandboxes log to `.openhands-agent-server.log` in their directories under `root`. */
function agentServerLogs(root: string, depth = 5): string[] {
  if (depth < 0 || !existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(root, entry.name);
    if (entry.isFile()) return entry.name === ".openhands-agent-server.log" ? [full] : [];
    return entry.isDirectory() ? agentServerLogs(full, depth - 1) : [];
  });
}

/**
 * unshare --fork ignores SIGTERM while it waits, so the app (the PID namespace's first process)
 * is signalled itself; when it exits the kernel ends every other process in the namespace.
 */
export async function stopNamespace(started: StartedProcess): Promise<void> {
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
