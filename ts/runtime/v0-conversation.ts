// One conversation with an OpenHands 0.x app (GUI server), held the way the release's UI holds
// it, without a browser: POST /api/conversations, then socket.io with the conversation id in
// the query (as the UI's frontend connects; openhands/server/listen_socket.py), a user message
// sent as an `oh_action`, and every `oh_event` collected until the agent finishes, errors or
// the time is up. A scripted OpenAI-compatible LLM (fake-llm.ts) answers the agent: one shell
// command, then `finish`. With `llm: "bedrock"` a scripted stand-in for the Bedrock runtime
// endpoint (fake-bedrock.ts) plays that model through the Converse API instead, and every
// request it got (headers and body, for checking the SigV4 signature) comes back too.
import { io } from "socket.io-client";
import { startFakeBedrock, converseToolNames, type BedrockRequest, type ConverseRequestBody } from "./fake-bedrock.ts";
import { startFakeLlm, type FakeLlm } from "./fake-llm.ts";

export interface V0ConversationRequest {
  /** The app's base URL, for example http://127.0.0.1:3000. */
  appUrl: string;
  /** The port the scripted LLM listens on; the app's llm base URL names it. */
  llmPort: number;
  /** The address it listens on: 127.0.0.1 (default) beside the app, or one the app's pod reaches. */
  llmHost?: string;
  /** Which scripted model: OpenAI-compatible chat completions (default) or Bedrock's Converse API. */
  llm?: "openai" | "bedrock";
  /** The shell command the scripted LLM runs. */
  command: string;
  /** What the command prints: a result without it gets the command again (script-step.ts). */
  expectedOutput: string;
  /** The user's message. */
  message: string;
  /** How long to wait for the app to answer, and then for the agent to finish. */
  appTimeoutSeconds: number;
  conversationTimeoutSeconds: number;
}

export interface V0ConversationResult {
  /** The script the LLM played: its command and the output expected of it. */
  script: { command: string; expectedOutput: string };
  /** What POST /api/conversations answered. */
  created: { status: number; body: any };
  conversationId?: string;
  /** Every `oh_event`, in order. */
  events: any[];
  /** The agent states the app reported, in order. */
  agentStates: string[];
  /** Why collecting stopped: finished, error, timeout or a connection error. */
  ended: string;
  /** The scripted LLM's chat requests: model, key, tool names and what it answered. */
  llmCalls: { path: string; model?: string; apiKey?: string; tools: string[]; answer?: string }[];
  /** With `llm: "bedrock"`: every request the stand-in got, as received. */
  bedrockRequests?: BedrockRequest[];
  seconds: { appReady: number; created: number; finished: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function holdV0Conversation(request: V0ConversationRequest): Promise<V0ConversationResult> {
  const started = Date.now();
  const since = () => Math.round((Date.now() - started) / 100) / 10;
  const llm: { chatRequests: FakeLlm["chatRequests"]; bedrockRequests?: BedrockRequest[]; close(): Promise<void> } =
    request.llm === "bedrock"
      ? scriptedBedrock(await startFakeBedrock({ command: request.command, expectedOutput: request.expectedOutput, title: "Scripted conversation" }, { host: request.llmHost, port: request.llmPort }))
      : await startFakeLlm({ host: request.llmHost, port: request.llmPort, command: request.command, expectedOutput: request.expectedOutput, title: "Scripted conversation" });
  try {
    // The app answers its config endpoint once uvicorn is up (the rate limiter allows 10/s).
    const deadline = Date.now() + request.appTimeoutSeconds * 1000;
    for (;;) {
      const ok = await fetch(`${request.appUrl}/api/options/config`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the app did not answer ${request.appUrl}/api/options/config within ${request.appTimeoutSeconds}s`);
      await sleep(1000);
    }
    const appReady = since();
    const response = await fetch(`${request.appUrl}/api/conversations`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // Fields every 0.x release accepts (0.62 refuses 0.28's selected_repository).
      body: JSON.stringify({ initial_user_msg: null, image_urls: [] }),
    });
    const created = { status: response.status, body: await response.json().catch(() => null) };
    const conversationId: string | undefined = created.body?.conversation_id;
    const result: V0ConversationResult = {
      script: { command: request.command, expectedOutput: request.expectedOutput },
      created,
      conversationId,
      events: [],
      agentStates: [],
      ended: "not started",
      llmCalls: [],
      seconds: { appReady, created: since(), finished: 0 },
    };
    if (!conversationId) return { ...result, llmCalls: calls(), bedrockRequests: llm.bedrockRequests };

    result.ended = await new Promise<string>((resolve) => {
      const socket = io(request.appUrl, {
        transports: ["websocket"],
        query: { conversation_id: conversationId, latest_event_id: -1 },
        reconnection: false,
      });
      let sent = false;
      const done = (why: string) => {
        clearTimeout(timer);
        socket.close();
        resolve(why);
      };
      const timer = setTimeout(() => done("timeout"), request.conversationTimeoutSeconds * 1000);
      socket.on("connect_error", (error) => done(`connect_error: ${error.message}`));
      socket.on("oh_event", (event: any) => {
        result.events.push(event);
        const state: string | undefined = event?.observation === "agent_state_changed" ? event.extras?.agent_state : undefined;
        if (!state) return;
        result.agentStates.push(state);
        // The UI lets the user type once the agent waits for input; the message goes then.
        if (state === "awaiting_user_input" && !sent) {
          sent = true;
          socket.emit("oh_action", { action: "message", args: { content: request.message, image_urls: [], timestamp: new Date().toISOString() } });
        }
        if (state === "finished" || state === "error") done(state);
      });
    });
    result.seconds.finished = since();
    result.llmCalls = calls();
    result.bedrockRequests = llm.bedrockRequests;
    return result;
  } finally {
    await llm.close();
  }

  function calls(): V0ConversationResult["llmCalls"] {
    if (llm.bedrockRequests) {
      return llm.bedrockRequests.map((r) => {
        const body = (() => { try { return JSON.parse(r.body) as ConverseRequestBody; } catch { return {}; } })();
        return { path: r.path, model: /^\/model\/([^/]+)\//.exec(r.path)?.[1], tools: converseToolNames(body), answer: r.answer };
      });
    }
    return llm.chatRequests().map((r) => ({
      path: r.path,
      model: r.body?.model,
      apiKey: r.apiKey,
      tools: (r.body?.tools ?? []).map((t) => t.function?.name ?? ""),
      answer: r.answer,
    }));
  }
}

/** The Bedrock stand-in in the shape the driver reads (no chat requests of its own). */
function scriptedBedrock(bedrock: Awaited<ReturnType<typeof startFakeBedrock>>) {
  return { chatRequests: () => [], bedrockRequests: bedrock.requests, close: bedrock.close };
}
