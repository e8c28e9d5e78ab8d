// The real OpenHands 1.11.0 app and UI, driven in Chromium like a user: LLM settings pointing
// at the scripted LLM, a new conversation, one message; the agent runs a shell command in its
// process sandbox and answers with the command's output. Checks what the app sent the LLM.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameLabel, openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import { describeChats, startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { markerConversation } from "../../ts/runtime/marker-conversation.ts";
import { describeAppRun, startLocalApp, type LocalApp } from "../../ts/runtime/local-app.ts";
import { noteMissedLive, readTerminal, revealText, runUiFlow, sendMessage, startConversation, uiSelectors, waitForAgentReady, waitForReply, type UiFlowResult } from "../../ts/runtime/ui-flow.ts";

const marker = markerConversation("runtime-suite", "Runtime suite marker");
const { apiKey, modelName } = marker;

let llm: FakeLlm;
let app: LocalApp;
let session: BrowserSession;
let result: UiFlowResult;

beforeAll(async () => {
  llm = await startFakeLlm(marker.script);
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
    result = await runUiFlow(session, { ...marker.uiFlow(app.url, llm.baseUrl), context: () => `${describeChats(llm)}\n${describeAppRun(app.process, app.dir)}` });
    console.log(JSON.stringify({ timings: result.timings, vscodeUrl: result.vscodeUrl, vscodeNote: result.vscodeNote, exposedUrls: result.exposedUrls }, null, 2));
    noteMissedLive([], "ui-flow", result.replyMissedLive);
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
    expect(result, "the conversation did not get as far as the VS Code tab").toBeDefined();
    expect(Object.keys(result.exposedUrls)).toContain("AGENT_SERVER");
    expect(result.vscodeUrl).toBeNull();
  });

  it("shows a reply the live stream lost after one reload, and keeps what the page showed before it", async () => {
    const { page } = session;
    const { expectReply, expectOutput } = marker.uiFlow(app.url, llm.baseUrl);
    // The agent server's websocket, less the frame that carries the agent's final message.
    let dropped = "";
    await page.routeWebSocket(/\/sockets\/events\//, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((frame) => {
        if (!dropped && frameLabel(frame) === "ActionEvent(FinishAction)") dropped = frame as string;
        else socket.send(frame);
      });
    });
    try {
      await startConversation(page, app.url);
      await waitForAgentReady(page, 300_000);
      await sendMessage(page, "Please run the marker command again.");
      const { missedLive } = await waitForReply(session, expectReply, 300_000);
      expect(dropped, "the final message's frame was held back").toContain(expectReply);
      expect(missedLive).toMatch(/^status: .*Agent has finished the task\./m);
      expect(missedLive).not.toContain(expectReply);
      expect(missedLive).toMatch(/--- websockets: \d+ ---\n.*\/sockets\/events\/[0-9a-f]+: opened .* received: .*ConversationStateUpdateEvent\(execution_status=finished\)/);
      await expect(page.locator(uiSelectors.agentMessage, { hasText: expectReply }).first().isVisible()).resolves.toBe(true);
      // The steps after the reply still find the command's output, in its event and the terminal.
      await revealText(page, expectOutput);
      await readTerminal(page, expectOutput);
    } finally {
      await page.unrouteAll();
    }
  });
});
