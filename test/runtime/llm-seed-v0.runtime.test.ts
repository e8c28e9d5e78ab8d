// The chart's 0.x seed-llm-settings container with the released OpenHands 0.28.0 code (the
// blog-dind preset's release, its own venv): before the seed the server starts no
// conversation; after it, with nothing saved in the UI, the conversation's LLM is the chart's
// model, base URL and key (a scripted OpenAI-compatible server records the call); a model saved
// in the UI survives the next pod start; a change of the chart's values takes over again and
// keeps the user's other settings. With 0.62.0 (the v0-kubernetes-runtime preset's release) the
// real server's settings API, which the UI reads, reports what the seed wrote. Needs no node.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render } from "../../ts/lib/render.ts";
import { clusterApiVersions } from "../../ts/lib/presets.ts";
import { serverDeployment } from "../../ts/lib/workload.ts";
import { kubeletEnvWithSecrets } from "../../ts/runtime/app-probe.ts";
import { containerOf } from "../../ts/runtime/container-command.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { freePort, waitForHttp } from "../../ts/runtime/net.ts";
import { v0AppVenv } from "../../ts/runtime/v0-app-venv.ts";
import { runV0Seed, v0LlmCall, type V0SeedContainer } from "../../ts/runtime/v0-llm-probe.ts";

const version = "0.28.0";
const chartKey = "sk-blog-chart-key";
const title = "Hello from the scripted LLM.";

let llm: FakeLlm;
let scratch: string;

/** A container of the blog-dind render with `llm` values, its environment as the kubelet sets it (the key Secret filled). */
async function blogContainer(name: string, llmValues: Record<string, unknown>, preset = "blog-dind"): Promise<V0SeedContainer> {
  const values = { llm: { apiKey: { existingSecret: "llm-key" }, ...llmValues } };
  const deployment = serverDeployment((await render({ valuesFiles: [`ci/${preset}-values.yaml`], values, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects);
  return { command: containerOf(deployment, name).command ?? [], env: kubeletEnvWithSecrets(deployment, name, { "secret:llm-key/api-key": chartKey }) };
}

beforeAll(async () => {
  llm = await startFakeLlm({ command: "true", title });
  scratch = mkdtempSync(path.join(tmpdir(), "seed-v0-"));
});
afterAll(async () => {
  await llm?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("blog-dind (ci/blog-dind-values.yaml) with llm.*: OpenHands 0.28.0 takes the chart's LLM from the seeded settings store", () => {
  const chartLlm = () => ({ model: "openai/blog-model", baseUrl: llm.baseUrl });

  it("without the seed and without a save, 0.28.0 starts no conversation, and the scripted LLM gets no call", async () => {
    const before = llm.chatRequests().length;
    const result = await v0LlmCall(version, (await blogContainer("openhands", chartLlm())).env, null, "http://127.0.0.1:9");
    expect(result.llm).toBeNull();
    expect(result.error).toMatch(/^MissingSettingsError/);
    expect(llm.chatRequests()).toHaveLength(before);
  });

  it("after the seed, with nothing saved in the UI, the conversation calls the chart's base URL with its model and key", async () => {
    const before = llm.chatRequests().length;
    const seed = await blogContainer("seed-llm-settings", chartLlm());
    expect(seed.command).toEqual(["python", "/opt/openhands-chart/seed-llm-settings.py"]);
    const result = await v0LlmCall(version, (await blogContainer("openhands", chartLlm())).env, null, "http://127.0.0.1:9", seed);
    expect(result.seed!.stored).toMatchObject({ language: "en", llm_model: "openai/blog-model", llm_base_url: llm.baseUrl, llm_api_key: chartKey });
    expect(result.error).toBeUndefined();
    expect(result.answer).toBe(title);
    const calls = llm.chatRequests().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ path: "/v1/chat/completions", apiKey: chartKey });
    expect(calls[0].body?.model).toBe("blog-model");
  });

  it("a model saved in the UI survives the next pod start with the same chart values; a change of llm.model takes over again and keeps the user's language", async () => {
    const state = path.join(scratch, "state");
    const seed = await blogContainer("seed-llm-settings", chartLlm());
    expect((await runV0Seed(version, seed, state)).output).toContain("into new settings");
    // What the UI's Save (POST /api/settings) leaves in the store.
    const settingsFile = path.join(state, "settings.json");
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, "utf8")), llm_model: "openai/user-choice", language: "ja" }));

    const again = await runV0Seed(version, seed, state);
    expect(again.output).toContain("unchanged since the last seed");
    expect(again.stored).toMatchObject({ llm_model: "openai/user-choice", language: "ja" });

    const changed = await runV0Seed(version, await blogContainer("seed-llm-settings", { ...chartLlm(), model: "openai/blog-model-2" }), state);
    expect(changed.output).toContain("into existing settings");
    expect(changed.stored).toMatchObject({ llm_model: "openai/blog-model-2", llm_base_url: llm.baseUrl, llm_api_key: chartKey, language: "ja" });
  });
});

describe("v0-kubernetes-runtime (ci/v0-kubernetes-runtime-values.yaml) with llm.*: the real OpenHands 0.62.0 server reports the seeded LLM", () => {
  it("GET /api/settings, which answers 404 on an empty store, answers with the chart's model, base URL and a key set after the seed", async () => {
    const version62 = "0.62.0";
    const dir = path.join(scratch, "v062");
    const state = path.join(dir, "state");
    // The server mounts the UI's build directory at start; the wheel has none.
    mkdirSync(path.join(dir, "frontend", "build"), { recursive: true });
    writeFileSync(path.join(dir, "frontend", "build", "index.html"), "");
    mkdirSync(state, { recursive: true });
    const python = path.join(await v0AppVenv(version62), "bin", "python");
    const port = await freePort();
    const server = spawn(python, ["-m", "uvicorn", "openhands.server.listen:app", "--host", "127.0.0.1", "--port", String(port)], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: dir, FILE_STORE: "local", FILE_STORE_PATH: state, LITELLM_LOCAL_MODEL_COST_MAP: "True" },
      stdio: "ignore",
    });
    try {
      const url = `http://127.0.0.1:${port}/api/settings`;
      await waitForHttp(`http://127.0.0.1:${port}/health`, 180_000);
      expect((await fetch(url)).status).toBe(404);
      const seed = await blogContainer("seed-llm-settings", { model: "openai/k8s-model", baseUrl: "http://litellm.ai.svc:4000/v1" }, "v0-kubernetes-runtime");
      expect(seed.command).toEqual(["python", "/opt/openhands-chart/seed-llm-settings.py"]);
      expect((await runV0Seed(version62, seed, state)).output).toContain("seeded the LLM settings: model openai/k8s-model");
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ llm_model: "openai/k8s-model", llm_base_url: "http://litellm.ai.svc:4000/v1", llm_api_key_set: true, language: "en" });
    } finally {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
  }, 600_000);
});
