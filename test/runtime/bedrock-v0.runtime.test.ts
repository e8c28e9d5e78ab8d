// The lolice preset's Bedrock settings, taken by the real released OpenHands 0.27.0 code (its
// own venv, cached by version): the rendered app container's environment, expanded as the
// kubelet does with test values for the Secret's keys, goes to the GUI server's own conversation
// start (settings store, _create_new_conversation, Session.initialize_agent), and the agent's
// LLM makes one completion call against a stand-in Bedrock endpoint that records the request.
// What LiteLLM sends there shows where the model, region and credentials came from. Needs no
// node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render, type RenderOptions } from "../../ts/lib/render.ts";
import { clusterApiVersions } from "../../ts/lib/presets.ts";
import { serverDeployment } from "../../ts/lib/workload.ts";
import { kubeletEnvWithSecrets } from "../../ts/runtime/app-probe.ts";
import { containerOf } from "../../ts/runtime/container-command.ts";
import { parseSigV4, sigV4SignedWith, startFakeBedrock, type FakeBedrock } from "../../ts/runtime/fake-bedrock.ts";
import { probeOnlyEnv, v0LlmCall, type V0SeedContainer, type V0Settings } from "../../ts/runtime/v0-llm-probe.ts";

const version = "0.27.0";
const answer = "Hello from the stand-in Bedrock.";
const accessKeyId = "AKIALOLICEPRESETTEST";
const secretAccessKey = "fake/secret+access+key/for+the+lolice+preset";
const secretValues: Record<string, string> = {
  "secret:parameter-reader-credentials/AWS_ACCESS_KEY_ID": accessKeyId,
  "secret:parameter-reader-credentials/AWS_SECRET_ACCESS_KEY": secretAccessKey,
};
const bedrockModel = "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0";
// 0.27 starts no conversation without a non-blank API key in the saved settings, even for
// Bedrock; LiteLLM's Converse route does not use it.
const uiSettings: V0Settings = { llm_model: bedrockModel, llm_api_key: "unused-for-bedrock" };

/** A container of the lolice render with its environment as the kubelet sets it, Secret keys filled with the test values. */
async function loliceContainer(name: string, values: Record<string, unknown> = {}): Promise<V0SeedContainer> {
  const options: RenderOptions = { valuesFiles: ["ci/lolice-values.yaml"], values, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" };
  const deployment = serverDeployment((await render(options)).objects);
  return { command: containerOf(deployment, name).command ?? [], env: kubeletEnvWithSecrets(deployment, name, secretValues) };
}

/** The lolice app container's environment as the kubelet sets it, Secret keys filled with the test values. */
async function loliceEnv(values: Record<string, unknown> = {}): Promise<Record<string, string>> {
  return (await loliceContainer("openhands", values)).env;
}

let bedrock: FakeBedrock;
beforeAll(async () => {
  bedrock = await startFakeBedrock(answer);
});
afterAll(async () => {
  await bedrock?.close();
});

async function call(env: Record<string, string>, settings: V0Settings | null = uiSettings, seed?: V0SeedContainer) {
  const before = bedrock.requests.length;
  const result = await v0LlmCall(version, env, settings, bedrock.endpoint, seed);
  return { result, requests: bedrock.requests.slice(before) };
}

describe("lolice: the chart's seed-llm-settings init container gives 0.27.0 its Bedrock model, with nothing saved in the UI", () => {
  it("without the seed and without a save, 0.27.0 starts no conversation: the chart's LLM_MODEL alone is not enough", async () => {
    const { result, requests } = await call(await loliceEnv(), null);
    expect(result.llm).toBeNull();
    expect(result.error).toMatch(/^MissingSettingsError/);
    expect(requests).toHaveLength(0);
  });

  it("the seed writes the model and a placeholder key; the conversation then makes one Converse call for that model, signed for ap-northeast-1 with the Secret's key pair", async () => {
    const { result, requests } = await call(await loliceEnv(), null, await loliceContainer("seed-llm-settings"));
    expect(result.seed!.output).toContain("seeded the LLM settings: model bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0");
    expect(result.seed!.stored).toMatchObject({ language: "en", llm_model: bedrockModel, llm_api_key: "unused-bedrock-calls-sign-with-aws-credentials", llm_base_url: null });
    expect(result.error).toBeUndefined();
    expect(result.answer).toBe(answer);
    expect(result.llm).toMatchObject({ model: bedrockModel, aws_region_name: "ap-northeast-1" });
    expect(requests).toHaveLength(1);
    expect(requests[0].path).toBe("/model/us.anthropic.claude-3-7-sonnet-20250219-v1:0/converse");
    expect(parseSigV4(requests[0].headers.authorization)).toMatchObject({ accessKeyId, region: "ap-northeast-1", service: "bedrock" });
    expect(sigV4SignedWith(requests[0], secretAccessKey)).toBe(true);
  });

  it("the check can fail: llm.model set to another Bedrock model is the one the seeded conversation calls", async () => {
    const values = { llm: { model: "bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0" } };
    const { result, requests } = await call(await loliceEnv(values), null, await loliceContainer("seed-llm-settings", values));
    expect(result.answer).toBe(answer);
    expect(requests[0]?.path).toBe("/model/anthropic.claude-3-5-sonnet-20241022-v2:0/converse");
  });
});

describe("lolice (ci/lolice-values.yaml): OpenHands 0.27.0 calls Bedrock with the chart's model, region and credentials", () => {
  it("renders none of the variables the test adds, so it overrides nothing the chart sets", async () => {
    const env = await loliceEnv();
    for (const name of Object.keys(probeOnlyEnv("", ""))) if (name !== "FILE_STORE_PATH") expect(env).not.toHaveProperty(name);
    expect(env).toMatchObject({ LLM_MODEL: bedrockModel, AWS_REGION_NAME: "ap-northeast-1", AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey });
  });

  it("the user's Bedrock model: one Converse call naming it, signed for bedrock in ap-northeast-1 with the Secret's key pair, and its answer returned", async () => {
    const { result, requests } = await call(await loliceEnv());
    expect(result.error).toBeUndefined();
    expect(result.answer).toBe(answer);
    expect(result.llm).toMatchObject({ model: bedrockModel, aws_region_name: "ap-northeast-1", aws_access_key_id_set: true });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/model/us.anthropic.claude-3-7-sonnet-20250219-v1:0/converse");
    expect(JSON.parse(request.body).messages).toEqual([{ role: "user", content: [{ text: "Say hello." }] }]);
    expect(parseSigV4(request.headers.authorization)).toMatchObject({ accessKeyId, region: "ap-northeast-1", service: "bedrock" });
    // The signature is the secret access key's own, and the check tells another key apart.
    expect(sigV4SignedWith(request, secretAccessKey)).toBe(true);
    expect(sigV4SignedWith(request, `${secretAccessKey}x`)).toBe(false);
  });

  it("the check can fail: llm.bedrock.region us-east-2 signs for us-east-2", async () => {
    const { result, requests } = await call(await loliceEnv({ llm: { bedrock: { region: "us-east-2" } } }));
    expect(result.answer).toBe(answer);
    expect(parseSigV4(requests[0]?.headers.authorization)).toMatchObject({ accessKeyId, region: "us-east-2", service: "bedrock" });
  });

  it("the call takes its credentials and region from AWS_*: with only the LLM_AWS_* variables, LiteLLM has no credentials and Bedrock gets no call", async () => {
    const env = await loliceEnv();
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"]) delete env[name];
    expect(env).toMatchObject({ LLM_AWS_ACCESS_KEY_ID: accessKeyId, LLM_AWS_REGION_NAME: "ap-northeast-1" });
    const { result, requests } = await call(env);
    expect(result.answer).toBeUndefined();
    expect(result.error).toMatch(/credential/i);
    expect(requests).toHaveLength(0);
  });

  it("the model is the one saved in the UI, not LLM_MODEL: another saved Bedrock model is the one called", async () => {
    const { result, requests } = await call(await loliceEnv(), { ...uiSettings, llm_model: "bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0" });
    expect(result.answer).toBe(answer);
    expect(requests[0]?.path).toBe("/model/anthropic.claude-3-5-sonnet-20241022-v2:0/converse");
  });
});

describe("what 0.27.0 needs from the user for Bedrock, beyond the chart's environment", () => {
  it("a saved API key: without one the server starts no conversation, even for Bedrock", async () => {
    const { result, requests } = await call(await loliceEnv(), { ...uiSettings, llm_api_key: " " });
    expect(result.llm).toBeNull();
    expect(result.error).toMatch(/^LLMAuthenticationError/);
    expect(requests).toHaveLength(0);
  });
});
