// The chart's canvas-llm-profile sidecar run on this machine against a local Canvas: its
// command, environment and script exactly as the chart renders them (the scripts ConfigMap's
// data), with the pod's addresses moved to the local run's (port 8000 on loopback to the local
// proxy port, /home/openhands to the run's HOME) and each secretKeyRef filled from the values
// the test holds for that Secret and key.
import path from "node:path";
import { scriptsDir, writeChartScripts } from "../lib/chart-scripts.ts";
import { render, type K8sObject, type RenderOptions } from "../lib/render.ts";
import type { LocalCanvas } from "./local-canvas.ts";
import { startProcess, type StartedProcess } from "./process.ts";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface RenderedProfileSeed {
  command: string[];
  env: EnvVar[];
  /** The whole render (the scripts ConfigMap with it). */
  objects: K8sObject[];
  /** The sidecar's volume mounts (name, path, read-only). */
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

/** The rendered sidecar, or undefined when the chart renders none. */
export async function renderProfileSeed(options: RenderOptions): Promise<RenderedProfileSeed | undefined> {
  const { objects } = await render(options);
  type Container = { name: string; command: string[]; env?: EnvVar[]; volumeMounts?: RenderedProfileSeed["volumeMounts"] };
  const deployment = objects.find((o) => o.kind === "Deployment") as unknown as { spec: { template: { spec: { containers: Container[] } } } };
  const container = deployment.spec.template.spec.containers.find((c) => c.name === "canvas-llm-profile");
  if (!container) return undefined;
  const scriptsMount = (container.volumeMounts ?? []).find((m) => m.name === "chart-scripts");
  if (scriptsMount?.mountPath !== scriptsDir) throw new Error(`the profile sidecar does not mount the chart's scripts at ${scriptsDir}`);
  return { command: container.command, env: container.env ?? [], objects, volumeMounts: container.volumeMounts ?? [] };
}

/** The pod's address of Canvas' port 8000, which the local run serves on its proxy port. */
const podCanvasUrl = "http://127.0.0.1:8000";
const podHome = "/home/openhands";

/** Where the sidecar's Canvas runs on this machine: port 8000's server and HOME. */
export type SeedTarget = Pick<LocalCanvas, "url" | "home">;

/**
 * Starts the sidecar's command with its environment mapped to `target`; `secrets` maps
 * `<Secret name>/<key>` to the value. Like in the pod it may start before Canvas answers.
 */
export async function startProfileSeed(seed: RenderedProfileSeed, target: SeedTarget, secrets: Record<string, string>, name: string): Promise<StartedProcess> {
  const scripts = writeChartScripts(seed.objects);
  const [command, ...args] = seed.command;
  if (command !== "node") throw new Error(`the profile sidecar runs ${command}, not the image's node`);
  const localArgs = args.map((arg) => (arg.startsWith(`${scriptsDir}/`) ? scripts.local(arg) : arg));

  const env: Record<string, string> = {};
  for (const entry of seed.env) {
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets[`${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`the profile sidecar reads ${entry.name} from Secret ${ref.name} key ${ref.key}, which the test does not hold`);
      env[entry.name] = value;
    } else if (entry.value !== undefined) {
      let value = entry.value;
      if (value === podCanvasUrl) value = target.url;
      else if (value.startsWith(`${podHome}/`)) value = path.join(target.home, value.slice(podHome.length + 1));
      env[entry.name] = value;
    } else throw new Error(`the profile sidecar's ${entry.name} comes from neither a value nor a Secret`);
  }
  if (env.CANVAS_URL !== target.url) throw new Error(`the profile sidecar calls ${env.CANVAS_URL}, not Canvas' port 8000 on the pod's loopback`);
  // Nothing of the calling shell's LLM or session settings may reach it.
  for (const inherited of ["LLM_MODEL", "LLM_BASE_URL", "LLM_API_KEY", "SESSION_API_KEY", "SESSION_API_KEY_FILE"]) env[inherited] ??= "";
  return startProcess({ name, command: process.execPath, args: localArgs, env, cwd: scripts.dir });
}

/** Resolves once the sidecar logs "done" (it then idles, as in the pod); fails when it exits or takes longer. */
export async function seedDone(started: StartedProcess, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes("canvas-llm-profile: done")) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) throw new Error(`the profile sidecar exited:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`the profile sidecar did not finish within ${timeoutMs / 1000} s:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
