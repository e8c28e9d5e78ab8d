// Agent Canvas 1.20.0 run on this machine the way its image runs it: the image's own entrypoint
// (ts/runtime/image/canvas/entrypoint.sh) with its two absolute paths moved to a run directory
// that holds what the image has there (the npm package's UI build and Node servers, the static
// server's modules, tools/, the generated defaults.env, the cached venv), under the image's
// environment plus the Canvas container's environment as the chart renders it. It runs in
// private mount and PID namespaces, so stopping the entrypoint ends every process it started.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cachePath } from "../lib/cache-root.ts";
import { render, type RenderOptions } from "../lib/render.ts";
import { canvasInputs, defaultsEnv } from "./image/canvas.ts";
import * as spec from "./image/specs.ts";
import { stopNamespace } from "./local-app.ts";
import { freePort } from "./ports.ts";
import { startProcess, waitForUrl, type StartedProcess } from "./process.ts";

/** What the Canvas image build leaves in the cache (ts/runtime/image/canvas.ts, images.ts). */
export function canvasPaths(version = spec.canvasVersion) {
  const root = cachePath(`agent-canvas-${version}`);
  return { root, venv: path.join(root, "venv"), packageDir: path.join(root, "package"), serverModules: path.join(root, "server-deps", "node_modules") };
}

/** The image's paths the entrypoint names, and where a local run keeps each one. */
export const imagePaths = { opt: "/opt/agent-canvas", venv: "/agent-server/.venv" } as const;

/** The entrypoint with the image's absolute paths replaced; every path must occur (else the text changed). */
export function localEntrypoint(text: string, paths: { opt: string; venv: string }): string {
  for (const [key, imagePath] of Object.entries(imagePaths)) {
    if (!text.includes(imagePath)) throw new Error(`the Canvas entrypoint no longer names ${imagePath}`);
    text = text.split(imagePath).join(paths[key as keyof typeof imagePaths]);
  }
  return text;
}

/** An EnvVar of a rendered container. */
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface ChartCanvasEnv {
  /** Literal values, as the chart sets them. */
  values: Record<string, string>;
  /** Variables the chart fills from Secrets (name -> Secret key). */
  fromSecrets: Record<string, string>;
  /** The container's working directory. */
  workingDir?: string;
}

/**
 * The Canvas container's environment as the chart renders it. By default both keys from one
 * Secret and no sign-in proxy, so the chart adds the key-free entry (PUBLIC_MODE_PORT).
 */
export async function chartCanvasEnv(options: RenderOptions = { values: keyFreeValues }): Promise<ChartCanvasEnv> {
  const { objects } = await render(options);
  type Pod = { containers: { name: string; env?: EnvVar[]; workingDir?: string }[] };
  const pods = objects.filter((o) => o.kind === "Deployment").map((o) => (o as unknown as { spec: { template: { spec: Pod } } }).spec.template.spec);
  const container = pods.flatMap((pod) => pod.containers).find((c) => c.name === "canvas");
  if (!container) throw new Error("the chart rendered no Deployment with a canvas container");
  const env: ChartCanvasEnv = { values: {}, fromSecrets: {}, workingDir: container.workingDir };
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env.values[entry.name] = entry.value;
    else if (entry.valueFrom?.secretKeyRef) env.fromSecrets[entry.name] = entry.valueFrom.secretKeyRef.key;
    else throw new Error(`the canvas container's ${entry.name} comes from neither a value nor a Secret`);
  }
  return env;
}

/** Canvas with both keys from a Secret and the Service on the key-free entry (`auth.mode: none`). */
export const keyFreeValues = {
  app: "canvas",
  canvas: { sessionKey: { existingSecret: "canvas-keys" }, secretKey: { existingSecret: "canvas-keys" } },
  auth: { mode: "none" },
};

export interface LocalCanvasOptions {
  /** The session key (OH_SESSION_API_KEYS_0, from the chart's Secret). */
  sessionKey: string;
  /** The key that encrypts stored secrets (OH_SECRET_KEY, from the chart's Secret). */
  secretKey: string;
  /** HOME of an earlier run, to start again on its state (a restart); default a new one. */
  home?: string;
  /** The chart's environment; default `chartCanvasEnv()`. */
  chartEnv?: ChartCanvasEnv;
  /** More environment, applied last. */
  env?: Record<string, string>;
  /** The ports of an earlier run, so a restart keeps the browser's origin (and what it stored for it). */
  ports?: LocalCanvas["ports"];
  /** Log and report name; default canvas-<port>. */
  name?: string;
}

export interface LocalCanvas {
  /** Port 8000's server: the page carries the session key. */
  url: string;
  /** The key-free entry (PUBLIC_MODE_PORT): the page asks for the key. */
  publicUrl: string;
  ports: { proxy: number; public: number; agentServer: number; automation: number; vscode: number };
  /** HOME: state is under <home>/.openhands; pass it to a later start to restart on it. */
  home: string;
  /** The working directory (the chart's /projects). */
  projects: string;
  process: StartedProcess;
  /** Stops every process; the run directory (with HOME) stays until `remove`. */
  stop(): Promise<void>;
  /** Stops, then deletes the run directory. */
  remove(): Promise<void>;
}

export async function startLocalCanvas(options: LocalCanvasOptions): Promise<LocalCanvas> {
  const cached = canvasPaths();
  const build = path.join(cached.packageDir, "build");
  for (const [what, dir] of [["venv", cached.venv], ["npm package UI build", build], ["static server modules", cached.serverModules]] as const) {
    if (!existsSync(dir)) throw new Error(`Agent Canvas ${spec.canvasVersion} ${what} is missing at ${dir} (npm run images -- --only canvas builds it)`);
  }
  const chart = options.chartEnv ?? (await chartCanvasEnv());
  const dir = mkdtempSync(path.join(tmpdir(), "agent-canvas-"));
  const home = options.home ?? path.join(dir, "home");
  const projects = path.join(dir, "projects");
  mkdirSync(home, { recursive: true });
  mkdirSync(projects);

  // /opt/agent-canvas as the image has it (copyCanvasIntoRootfs), by links where Node and sirv allow.
  const opt = path.join(dir, "opt");
  mkdirSync(opt);
  symlinkSync(build, path.join(opt, "frontend"));
  symlinkSync(path.join(cached.packageDir, "tools"), path.join(opt, "tools"));
  // Copies: Node resolves a script's imports from its real location, which must see node_modules.
  for (const script of ["static-server.mjs", "proxy-utils.mjs", "runtime-services-info.mjs"]) {
    copyFileSync(path.join(cached.packageDir, "scripts", script), path.join(opt, script));
  }
  symlinkSync(cached.serverModules, path.join(opt, "node_modules"));
  writeFileSync(path.join(opt, "defaults.env"), defaultsEnv(JSON.parse(readFileSync(path.join(cached.packageDir, "config", "defaults.json"), "utf8"))));
  const entrypoint = path.join(opt, "entrypoint.sh");
  writeFileSync(entrypoint, localEntrypoint(readFileSync(path.join(canvasInputs, "entrypoint.sh"), "utf8"), { opt, venv: cached.venv }), { mode: 0o755 });
  // The image reaches uvicorn through /usr/local/bin; the venv's bin/ is not on PATH.
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  symlinkSync(path.join(cached.venv, "bin", "uvicorn"), path.join(bin, "uvicorn"));

  const ports = options.ports ?? { proxy: await freePort(), public: await freePort(), agentServer: await freePort(), automation: await freePort(), vscode: await freePort() };
  const secrets: Record<string, string> = { OH_SESSION_API_KEYS_0: options.sessionKey, OH_SECRET_KEY: options.secretKey };
  const fromSecrets: Record<string, string> = {};
  for (const name of Object.keys(chart.fromSecrets)) {
    if (!(name in secrets)) throw new Error(`the chart sets ${name} from a Secret, which the local run does not know`);
    fromSecrets[name] = secrets[name];
  }
  if (!chart.values.PUBLIC_MODE_PORT) throw new Error("the rendered Canvas container has no PUBLIC_MODE_PORT (render a key-free entry)");
  const imageEnv = Object.fromEntries(spec.canvasConfig.Env!.map((e) => e.split(/=(.*)/s, 2) as [string, string]).filter(([name]) => name !== "PATH"));
  const env: Record<string, string> = {
    ...imageEnv,
    ...chart.values,
    ...fromSecrets,
    // What differs on this machine: the image's paths and ports.
    HOME: home,
    PATH: `${bin}:${process.env.PATH}`,
    PORT: String(ports.proxy),
    PUBLIC_MODE_PORT: String(ports.public),
    AGENT_SERVER_PORT: String(ports.agentServer),
    AUTOMATION_PORT: String(ports.automation),
    // Nothing listens there (the image has no editor), but the route and the agent server get a port of this run's.
    VSCODE_PORT: String(ports.vscode),
    TMPDIR: path.join(dir, "tmp"),
    // LiteLLM would otherwise try to download its model price list at start.
    LITELLM_LOCAL_MODEL_COST_MAP: "True",
    ...options.env,
  };
  mkdirSync(env.TMPDIR);
  // A venv or Python path of the calling shell must not reach the servers (Python reads empty as unset).
  for (const name of ["VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"]) env[name] = "";

  const name = options.name ?? `canvas-${ports.proxy}`;
  const started = await startProcess({
    name,
    command: "unshare",
    args: ["--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM", "bash", entrypoint],
    env,
    cwd: projects,
  });
  const url = `http://127.0.0.1:${ports.proxy}`;
  const publicUrl = `http://127.0.0.1:${ports.public}`;
  const gone = () => started.child.exitCode !== null || started.child.signalCode !== null;
  try {
    // /ready is the chart's startup probe (proxied to the agent server); the key-free page must load too.
    await waitForUrl(`${url}/ready`, 180_000, gone);
    await waitForUrl(`${publicUrl}/`, 30_000, gone);
    // The automation service answers its readiness (its database) behind the same proxy.
    await waitForUrl(`${url}/api/automation/ready`, 60_000, gone);
  } catch (error) {
    await stopNamespace(started);
    throw new Error(`Agent Canvas did not become ready: ${(error as Error).message}\n--- output ---\n${started.output().slice(-4000)}`);
  }
  const stop = () => stopNamespace(started);
  return {
    url,
    publicUrl,
    ports,
    home,
    projects,
    process: started,
    stop,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
