// The real OpenHands 1.11.0 app and UI, driven in Chromium like a user: LLM settings pointing
// at the scripted LLM, a new conversation, one message; the agent runs a shell command in its
// process sandbox and answers with the command's output. Checks what the app sent the LLM.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { startLocalApp, type LocalApp } from "../../ts/runtime/local-app.ts";
import { runUiFlow, type UiFlowResult } from "../../ts/runtime/ui-flow.ts";

// The command computes its output, so the output differs from the command text the UI also shows.
const seed = randomInt(1000, 9999);
const expectedOutput = `runtime-suite-${seed + 1}-marker`;
const command = `echo runtime-suite-$((${seed} + 1))-marker`;
const apiKey = `sk-runtime-suite-${seed}`;
const modelName = "runtime-suite-model";

let llm: FakeLlm;
let app: LocalApp;
let session: BrowserSession;
let result: UiFlowResult;

beforeAll(async () => {
  llm = await startFakeLlm({
    command,
    // The reply quotes only the number, so the marker itself can only match the command's output.
    finishMessage: (output) => `The sandbox computed ${output.match(/runtime-suite-(\d+)-marker/)?.[1] ?? "nothing"}`,
    title: "Runtime suite marker",
  });
  app = await startLocalApp();
  session = await openBrowser({ name: "ui-flow/process" });
});

afterAll(async () => {
  await session?.close();
  await app?.stop();
  await llm?.close();
});

describe("OpenHands 1.11.0 UI, process sandbox", () => {
  it("holds a conversation whose command runs in the sandbox", async () => {
    result = await runUiFlow(session, {
      appUrl: app.url,
      llm: { model: `openai/${modelName}`, baseUrl: llm.baseUrl, apiKey },
      message: "Please run the marker command.",
      expectOutput: expectedOutput,
      expectReply: `The sandbox computed ${seed + 1}`,
    });
    console.log(JSON.stringify({ timings: result.timings, vscodeUrl: result.vscodeUrl, vscodeNote: result.vscodeNote, exposedUrls: result.exposedUrls }, null, 2));
    expect(result.conversationId).toMatch(/^[0-9a-f]{32}$|^[0-9a-f-]{36}$/);
  });

  it("sent the model, key and base URL from the UI to the LLM", () => {
    const chats = llm.chatRequests();
    expect(chats.length).toBeGreaterThanOrEqual(2);
    for (const request of chats) {
      expect(request.path).toBe("/v1/chat/completions");
      expect(request.apiKey).toBe(apiKey);
      // LiteLLM strips its provider prefix.
      expect(request.body?.model).toBe(modelName);
    }
    const answers = chats.map((r) => r.answer);
    expect(answers).toContain("command");
    expect(answers).toContain("finish");
    const toolNames = chats.find((r) => r.answer === "command")!.body!.tools!.map((t) => t.function?.name);
    expect(toolNames).toEqual(expect.arrayContaining(["terminal", "finish"]));
  });

  it("reports the sandbox's agent server to the UI; process sandboxes offer no VS Code", () => {
    expect(Object.keys(result.exposedUrls)).toContain("AGENT_SERVER");
    expect(result.vscodeUrl).toBeNull();
  });
});
