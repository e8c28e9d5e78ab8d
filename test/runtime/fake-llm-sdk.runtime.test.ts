// The scripted LLMs hold a conversation with the real agent loop: the OpenHands SDK (through
// LiteLLM, as the agent server uses it) with the terminal tool in a local workspace, from the
// app's venv. The command really runs; its output comes back to the LLM and into the finish.
// Both stand-ins, streamed and not: the OpenAI-compatible one, and the Bedrock one (Converse,
// and ConverseStream in the AWS event stream encoding, SigV4 with the key pair given).
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSigV4, sigV4SignedWith, startFakeBedrock, type FakeBedrock } from "../../ts/runtime/fake-bedrock.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { appPaths, appVersion } from "../../ts/runtime/local-app.ts";

const script = `
import json, os, sys
from pydantic import SecretStr
from openhands.sdk import LLM, Agent, Conversation, Tool
from openhands.tools.terminal import TerminalTool

settings = {"model": os.environ["CHECK_MODEL"], "usage_id": "agent", "stream": os.environ["CHECK_STREAM"] == "1"}
if os.environ.get("CHECK_BASE_URL"):
    settings.update(base_url=os.environ["CHECK_BASE_URL"], api_key=SecretStr(os.environ["CHECK_API_KEY"]))
if os.environ.get("CHECK_AWS_KEY_ID"):
    settings.update(aws_access_key_id=SecretStr(os.environ["CHECK_AWS_KEY_ID"]), aws_secret_access_key=SecretStr(os.environ["CHECK_AWS_SECRET"]), aws_region_name=os.environ["CHECK_AWS_REGION"])
llm = LLM(**settings)
agent = Agent(llm=llm, tools=[Tool(name=TerminalTool.name)])
# The SDK streams only when a token callback is registered.
tokens = []
callbacks = [tokens.append] if os.environ["CHECK_STREAM"] == "1" else None
conversation = Conversation(agent=agent, workspace=sys.argv[1], visualizer=None, token_callbacks=callbacks)
conversation.send_message("Run the marker command.")
conversation.run()
events = [e.model_dump(mode="json") for e in conversation.state.events]
print("TOKENS", len(tokens))
print("EVENTS-JSON " + json.dumps(events))
`;

const seed = 5150;
const expectedOutput = `runtime-suite-${seed + 1}-marker`;
// What both stand-ins play: the command (its output computed), then a finish quoting the output.
const exchange = {
  command: `echo runtime-suite-$((${seed} + 1))-marker`,
  finishMessage: (output: string) => `Output was ${output.match(/runtime-suite-\d+-marker/)?.[0] ?? "missing"}`,
};
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm(exchange);
});
afterAll(() => llm?.close());

async function converse(stream: boolean, env: Record<string, string> = { CHECK_MODEL: "openai/sdk-check-model", CHECK_BASE_URL: llm.baseUrl, CHECK_API_KEY: "sk-sdk-check" }): Promise<{ events: Record<string, unknown>[]; tokens: number }> {
  const python = path.join(appPaths().venv, "bin", "python");
  if (!existsSync(python)) throw new Error(`the OpenHands ${appVersion} venv (with the SDK) is missing at ${appPaths().venv}`);
  const workspace = mkdtempSync(path.join(tmpdir(), "sdk-workspace-"));
  const result = await execa(python, ["-c", script, workspace], {
    env: {
      ...env, CHECK_STREAM: stream ? "1" : "0",
      // LiteLLM would otherwise try to download its model price list first.
      LITELLM_LOCAL_MODEL_COST_MAP: "True", OPENHANDS_SUPPRESS_BANNER: "1",
    },
    reject: false,
    timeout: 180_000,
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith("EVENTS-JSON "));
  if (!line) throw new Error(`SDK conversation failed (exit ${result.exitCode}):\n${result.stderr.slice(-4000)}`);
  const tokens = Number(result.stdout.match(/^TOKENS (\d+)$/m)?.[1] ?? 0);
  return { events: JSON.parse(line.slice("EVENTS-JSON ".length)), tokens };
}

describe("fake LLM with the OpenHands SDK and LiteLLM", () => {
  for (const stream of [false, true]) {
    it(`runs the command in the workspace and finishes with its output (${stream ? "streaming" : "non-streaming"})`, async () => {
      const before = llm.chatRequests().length;
      const { events, tokens } = await converse(stream);
      const text = JSON.stringify(events);
      // The terminal observation carries the computed output, and the finish message quotes it.
      expect(text).toContain(expectedOutput);
      expect(text).toContain(`Output was ${expectedOutput}`);
      const requests = llm.chatRequests().slice(before);
      expect(requests.map((r) => r.answer)).toEqual(["command", "finish"]);
      expect(requests.every((r) => r.body?.model === "sdk-check-model" && r.apiKey === "sk-sdk-check")).toBe(true);
      expect(requests.every((r) => Boolean(r.body?.stream) === stream)).toBe(true);
      // Streamed chunks reached the SDK's token callback.
      if (stream) expect(tokens).toBeGreaterThan(0);
      else expect(tokens).toBe(0);
    });
  }
});

describe("Bedrock stand-in with the OpenHands SDK and LiteLLM", () => {
  const key = { accessKeyId: "AKIASDKCHECK", secretAccessKey: "sdk/check+secret" };
  const modelId = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  let bedrock: FakeBedrock;
  beforeAll(async () => {
    bedrock = await startFakeBedrock(exchange);
  });
  afterAll(() => bedrock?.close());

  for (const stream of [false, true]) {
    it(`runs the command and finishes with its output over ${stream ? "ConverseStream" : "Converse"}, every call signed with the key pair`, async () => {
      const before = bedrock.requests.length;
      const { events } = await converse(stream, {
        CHECK_MODEL: `bedrock/${modelId}`,
        CHECK_AWS_KEY_ID: key.accessKeyId,
        CHECK_AWS_SECRET: key.secretAccessKey,
        CHECK_AWS_REGION: "us-west-2",
        AWS_BEDROCK_RUNTIME_ENDPOINT: bedrock.endpoint,
        AWS_EC2_METADATA_DISABLED: "true",
      });
      const text = JSON.stringify(events);
      expect(text).toContain(expectedOutput);
      expect(text).toContain(`Output was ${expectedOutput}`);
      const requests = bedrock.requests.slice(before);
      expect(requests.map((r) => r.answer)).toEqual(["command", "finish"]);
      for (const request of requests) {
        expect(decodeURIComponent(request.path)).toBe(`/model/${modelId}/${stream ? "converse-stream" : "converse"}`);
        expect(parseSigV4(request.headers.authorization)).toMatchObject({ accessKeyId: key.accessKeyId, region: "us-west-2", service: "bedrock" });
        expect(sigV4SignedWith(request, key.secretAccessKey)).toBe(true);
      }
    });
  }
});
