// What the real 1.11.0 app code does with a rendered app container's environment (as the
// kubelet would hand it over): the container it asks Docker for when it starts a sandbox, the
// MCP servers it gives agents, and the origins its CORS middleware admits
// (ts/runtime/app-probe.py). Needs the app's venv, not a node.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { K8sObject } from "../lib/render.ts";
import { limiter } from "../lib/limiter.ts";
import { containerOf } from "./container-command.ts";
import { appVenv } from "./images.ts";

/** The pod's own facts the downward API hands out (fieldRef paths). */
export type PodFields = Record<string, string>;

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
}

/**
 * The container's environment as the kubelet sets it: fieldRefs from `fields`, Secret
 * references as `secret:<name>/<key>`, and `$(NAME)` expanded from the entries before it
 * (`$$` stays a literal `$`), as Kubernetes does.
 */
export function kubeletEnv(deployment: K8sObject, containerName: string, fields: PodFields): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of (containerOf(deployment, containerName).env ?? []) as EnvEntry[]) {
    const fieldPath = entry.valueFrom?.fieldRef?.fieldPath;
    const secret = entry.valueFrom?.secretKeyRef;
    if (fieldPath !== undefined) {
      if (!(fieldPath in fields)) throw new Error(`env ${entry.name} reads ${fieldPath}, which the test did not provide`);
      env[entry.name] = fields[fieldPath];
    } else if (secret) {
      env[entry.name] = `secret:${secret.name}/${secret.key}`;
    } else {
      env[entry.name] = (entry.value ?? "").replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name?: string) =>
        name === undefined ? "$" : name in env ? env[name] : match,
      );
    }
  }
  return env;
}

/**
 * kubeletEnv with every Secret reference filled from `secrets` (keyed `secret:<name>/<key>`),
 * as the kubelet fills them from the cluster's Secrets; a reference the map lacks is an error,
 * so a test never runs with a placeholder where the pod would have a value.
 */
export function kubeletEnvWithSecrets(deployment: K8sObject, containerName: string, secrets: Record<string, string>, fields: PodFields = {}): Record<string, string> {
  const env = kubeletEnv(deployment, containerName, fields);
  for (const [variable, value] of Object.entries(env)) {
    if (!value.startsWith("secret:")) continue;
    if (!(value in secrets)) throw new Error(`env ${variable} of ${containerName} reads ${value}, which the test does not fill`);
    env[variable] = secrets[value];
  }
  return env;
}

export interface DockerSandboxStart {
  /** The sandbox service upstream configured from the environment. */
  service: {
    kind: string;
    host_port: number;
    container_url_pattern: string;
    startup_grace_seconds: number;
    web_url: string | null;
    permitted_cors_origins: string[];
  };
  /** The arguments of docker's containers.run for the sandbox. */
  run: {
    image: string;
    environment: Record<string, string>;
    extra_hosts: Record<string, string> | null;
    volumes: Record<string, { bind: string; mode: string }> | null;
    network_mode: string | null;
  };
}

/** Runs the app's sandbox start with exactly `env` (plus a scratch HOME and state directory). */
export async function dockerSandboxStart(env: Record<string, string>): Promise<DockerSandboxStart> {
  return (await probe(env, ["sandbox-start"])) as DockerSandboxStart;
}

export interface McpServers {
  /** The URL the app's conversation service gives sandboxes for calling it back (null: none). */
  web_url: string | null;
  /** The MCP servers the app configures every agent with, by name: their URLs. */
  servers: Record<string, string>;
}

/** The MCP servers the app's conversation service adds for every agent, with exactly `env`. */
export async function mcpServers(env: Record<string, string>): Promise<McpServers> {
  return (await probe(env, ["mcp-servers"])) as McpServers;
}

/** Whether the app's CORS middleware admits each origin, with exactly `env`. */
export async function corsAdmits(env: Record<string, string>, origins: string[]): Promise<Record<string, boolean>> {
  return (await probe(env, ["cors", ...origins])) as Record<string, boolean>;
}

// Each probe imports the whole app (seconds of CPU): one per core at a time, so suites can ask
// for several at once without starving each other.
const inSlot = limiter(Math.max(1, Math.min(2, availableParallelism())));

function probe(env: Record<string, string>, args: string[]): Promise<unknown> {
  return inSlot(() => probeNow(env, args));
}

async function probeNow(env: Record<string, string>, args: string[]): Promise<unknown> {
  const scratch = mkdtempSync(path.join(tmpdir(), "app-probe-"));
  try {
    // Built (once, cached) when no earlier suite of the run has built it.
    const python = path.join(await appVenv(), "bin", "python");
    const result = await execa(python, [path.join(import.meta.dirname, "app-probe.py"), ...args], {
      env: { ...env, HOME: scratch, OH_PERSISTENCE_DIR: path.join(scratch, "state"), OPENHANDS_SUPPRESS_BANNER: "1", PATH: process.env.PATH ?? "/usr/bin:/bin" },
      extendEnv: false,
      cwd: scratch,
      timeout: 300_000,
    });
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(last);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
