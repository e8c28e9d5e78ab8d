// What the real OpenHands 0.x GUI server (0.27) does with an LLM for a new conversation, given
// a rendered app container's environment and the settings a user saved in the UI
// (ts/runtime/v0-llm-probe.py): the LLM config its session builds and the answer of one
// completion call. Needs the release's venv, not a node.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
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

/** Runs one conversation's LLM call of the `version` app with exactly `env` and `settings`. */
export async function v0LlmCall(version: string, env: Record<string, string>, settings: V0Settings, bedrockEndpoint: string): Promise<V0LlmCall> {
  const scratch = mkdtempSync(path.join(tmpdir(), "v0-llm-probe-"));
  try {
    const python = path.join(await v0AppVenv(version), "bin", "python");
    const result = await execa(python, [path.join(import.meta.dirname, "v0-llm-probe.py"), JSON.stringify({ agent: "CodeActAgent", ...settings })], {
      env: { ...env, ...probeOnlyEnv(bedrockEndpoint, path.join(scratch, "state")), HOME: scratch, PATH: process.env.PATH ?? "/usr/bin:/bin" },
      extendEnv: false,
      cwd: scratch,
      timeout: 180_000,
    });
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as V0LlmCall;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
