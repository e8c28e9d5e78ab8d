// What the real OpenHands 0.x GUI server (0.27) does with an LLM for a new conversation, given
// a rendered app container's environment and the settings a user saved in the UI
// (ts/runtime/v0-llm-probe.py): the LLM config its session builds and the answer of one
// completion call. Needs the release's venv, not a node.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { repoRoot } from "../lib/helm-binaries.ts";
import { v0AppVenv } from "./v0-app-venv.ts";

/** What a user saves in the 0.x UI's settings (openhands.server.settings.Settings). */
export interface V0Settings {
  llm_model: string;
  llm_api_key: string;
  llm_base_url?: string | null;
  agent?: string;
}

export interface V0LlmCall {
  /** The LLM config the session gave the agent; null when the server refused to start the conversation. */
  llm: null | { model: string; base_url: string | null; api_key_set: boolean; aws_region_name: string | null; aws_access_key_id_set: boolean };
  /** The completion's text, when the call succeeded. */
  answer?: string;
  /** The exception of the call, or of the conversation's start. */
  error?: string;
}

/**
 * Variables the probe adds to the container's environment: the Bedrock endpoint LiteLLM calls
 * (read from the environment by LiteLLM's Bedrock client), and LiteLLM's bundled model list
 * instead of fetching one at import. The state directory (FILE_STORE_PATH) stands in for the
 * pod's volume.
 */
export function probeOnlyEnv(bedrockEndpoint: string, stateDir: string): Record<string, string> {
  return {
    AWS_BEDROCK_RUNTIME_ENDPOINT: bedrockEndpoint,
    LITELLM_LOCAL_MODEL_COST_MAP: "True",
    // boto's last credential source is the instance metadata service; the pod's Secret is what counts here.
    AWS_EC2_METADATA_DISABLED: "true",
    FILE_STORE_PATH: stateDir,
  };
}

/** What the chart's seed-llm-settings init container printed, when the call ran it first. */
export interface V0SeedRun {
  output: string;
  /** settings.json as the seed left it. */
  stored: Record<string, unknown>;
}

/** The seed-llm-settings init container: its command and environment as the kubelet sets them. */
export interface V0SeedContainer {
  command: string[];
  env: Record<string, string>;
}

/**
 * Runs the chart's 0.x seed container with the `version` app's venv on `state` (standing in
 * for the state volume): its own command, with the script from this checkout (the source of
 * the chart's scripts ConfigMap).
 */
export async function runV0Seed(version: string, seed: V0SeedContainer, state: string): Promise<V0SeedRun> {
  const python = path.join(await v0AppVenv(version), "bin", "python");
  mkdirSync(state, { recursive: true });
  const [, script] = seed.command;
  const result = await execa(python, [path.join(repoRoot, "files", path.basename(script))], {
    env: { ...seed.env, FILE_STORE_PATH: state, HOME: path.dirname(state), PATH: process.env.PATH ?? "/usr/bin:/bin" },
    extendEnv: false,
    cwd: path.dirname(state),
    timeout: 120_000,
    all: true,
  });
  return { output: result.all ?? "", stored: JSON.parse(readFileSync(path.join(state, "settings.json"), "utf8")) as Record<string, unknown> };
}

/**
 * Runs one conversation's LLM call of the `version` app with exactly `env`, and either
 * `settings` saved as the UI saves them, or (settings null) what is in the store: what the
 * `seed` container wrote, run first on the same state directory, or nothing.
 */
export async function v0LlmCall(
  version: string,
  env: Record<string, string>,
  settings: V0Settings | null,
  bedrockEndpoint: string,
  seed?: V0SeedContainer,
): Promise<V0LlmCall & { seed?: V0SeedRun }> {
  const scratch = mkdtempSync(path.join(tmpdir(), "v0-llm-probe-"));
  try {
    const python = path.join(await v0AppVenv(version), "bin", "python");
    const state = path.join(scratch, "state");
    const base = { HOME: scratch, PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const seedRun = seed ? await runV0Seed(version, seed, state) : undefined;
    const settingsArg = settings === null ? "null" : JSON.stringify({ agent: "CodeActAgent", ...settings });
    const result = await execa(python, [path.join(import.meta.dirname, "v0-llm-probe.py"), settingsArg], {
      env: { ...env, ...probeOnlyEnv(bedrockEndpoint, state), ...base },
      extendEnv: false,
      cwd: scratch,
      timeout: 180_000,
    });
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return { ...(JSON.parse(last) as V0LlmCall), ...(seedRun ? { seed: seedRun } : {}) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
