// The chart's seed-llm-settings script against the real OpenHands 1.11.0 server: what it
// writes is what the server's settings API reports, a model picked in the UI survives the
// next pod start, and a change of the chart's values takes over again.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { appVenv } from "../../ts/runtime/images.ts";
import { freePort, waitForHttp } from "../../ts/runtime/net.ts";

const script = path.join(repoRoot, "files", "seed-llm-settings.py");
let python: string;
let state: string;

/** Runs the seed as the init container does, with the chart's LLM values as its environment. */
async function seed(llm: Record<string, string>): Promise<string> {
  const env = { PATH: process.env.PATH ?? "", HOME: state, OH_PERSISTENCE_DIR: state, LITELLM_LOCAL_MODEL_COST_MAP: "True", OPENHANDS_SUPPRESS_BANNER: "1", ...llm };
  const { stdout } = await execa(python, [script], { env, extendEnv: false });
  return stdout;
}

/** Starts the real server on the state directory, as the pod does after its init containers. */
async function withServer<T>(body: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server: ChildProcess = spawn(python, ["-m", "uvicorn", "openhands.server.listen:app", "--host", "127.0.0.1", "--port", String(port)], {
    env: { PATH: process.env.PATH ?? "", HOME: state, OH_PERSISTENCE_DIR: state, LITELLM_LOCAL_MODEL_COST_MAP: "True", OPENHANDS_SUPPRESS_BANNER: "1", RUNTIME: "process" },
    stdio: "ignore",
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health`, 180_000);
    return await body(url);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}

async function llmSettings(url: string) {
  const response = await fetch(`${url}/api/v1/settings`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as any;
  return { model: body.agent_settings.llm.model, baseUrl: body.agent_settings.llm.base_url, keySet: body.llm_api_key_set };
}

describe("seed-llm-settings on the real OpenHands 1.11.0 server", () => {
  beforeAll(async () => {
    python = path.join(await appVenv(), "bin", "python");
    state = mkdtempSync(path.join(tmpdir(), "seed-state-"));
  }, 1_800_000);

  const chartValues = { LLM_MODEL: "openai/chart-model", LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_API_KEY: "sk-chart" };

  it("on a fresh state volume, the server reports the chart's model, base URL and key", async () => {
    expect(await seed(chartValues)).toContain("seeded the LLM settings: model openai/chart-model");
    await withServer(async (url) => {
      expect(await llmSettings(url)).toEqual({ model: "openai/chart-model", baseUrl: "http://127.0.0.1:9/v1", keySet: true });
    });
  });

  it("a model the user saves in the UI survives the next start with the same chart values", async () => {
    await withServer(async (url) => {
      const saved = await fetch(`${url}/api/v1/settings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ agent_settings_diff: { llm: { model: "openai/user-choice" } } }),
      });
      expect(saved.status).toBe(200);
    });
    expect(await seed(chartValues)).toContain("unchanged since the last seed");
    await withServer(async (url) => {
      expect((await llmSettings(url)).model).toBe("openai/user-choice");
    });
  });

  it("a change of the chart's LLM values takes over again, keeping the user's other settings", async () => {
    await withServer(async (url) => {
      await fetch(`${url}/api/v1/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ language: "ja" }) });
    });
    expect(await seed({ ...chartValues, LLM_MODEL: "openai/chart-model-2" })).toContain("into existing settings");
    await withServer(async (url) => {
      expect(await llmSettings(url)).toEqual({ model: "openai/chart-model-2", baseUrl: "http://127.0.0.1:9/v1", keySet: true });
      expect(((await (await fetch(`${url}/api/v1/settings`)).json()) as any).language).toBe("ja");
    });
  });

  afterAll(() => undefined);
});
