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
import { kubeletEnv } from "../../ts/runtime/app-probe.ts";
import { parseSigV4, sigV4SignedWith, startFakeBedrock, type FakeBedrock } from "../../ts/runtime/fake-bedrock.ts";
import { probeOnlyEnv, v0LlmCall, type V0Settings } from "../../ts/runtime/v0-llm-probe.ts";

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

/** The lolice app container's environment as the kubelet sets it, Secret keys filled with the test values. */
async function loliceEnv(values: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const options: RenderOptions = { valuesFiles: ["ci/lolice-values.yaml"], values, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" };
  const env = kubeletEnv(serverDeployment((await render(options)).objects), "openhands", {});
  for (const [name, value] of Object.entries(env)) {
    if (value.startsWith("secret:")) {
      if (!(value in secretValues)) throw new Error(`env ${name} reads ${value}, which the test does not fill`);
      env[name] = secretValues[value];
    }
  }
  return env;
}

let bedrock: FakeBedrock;
beforeAll(async () => {
  bedrock = await startFakeBedrock(answer);
});
afterAll(async () => {
  await bedrock?.close();
});

async function call(env: Record<string, string>, settings: V0Settings = uiSettings) {
  const before = bedrock.requests.length;
  const result = await v0LlmCall(version, env, settings, bedrock.endpoint);
  return { result, requests: bedrock.requests.slice(before) };
}

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
