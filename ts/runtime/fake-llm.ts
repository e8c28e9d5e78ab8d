// An OpenAI-compatible chat completions server with a fixed script, for holding a real
// conversation without a real model. With tools offered it answers each user turn with one
// shell command in the sandbox and, once the command's result is back, with `finish` (or the
// command again while the result lacks the expected output: script-step.ts);
// without tools (title generation) it answers with a short text. Every request is logged.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./net.ts";
import { runsCommandAgain } from "./script-step.ts";

/** One request as the server received it. */
export interface LoggedRequest {
  method: string;
  /** Path and query, for example `/v1/chat/completions` (tells which base URL the client used). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The bearer token from `Authorization`, or the `api-key` header. */
  apiKey?: string;
  /** The parsed JSON body, when there is one. */
  body?: ChatRequest;
  /** What the script answered: `command`, `finish`, `text` or `models`; undefined for a 404. */
  answer?: "command" | "finish" | "text" | "models";
}

/** The part of an OpenAI chat completions request the script reads. */
export interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: ChatMessage[];
  tools?: { type?: string; function?: { name?: string } }[];
  [field: string]: unknown;
}

export interface ChatMessage {
  role: string;
  content?: string | { type: string; text?: string }[] | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface FakeLlmOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Listen port; default any free port. */
  port?: number;
  /** The shell command run for a user turn; gets the turn's text. */
  command: string | ((userText: string) => string);
  /** The `finish` message, given the command's output; default quotes the output. */
  finishMessage?: (commandOutput: string) => string;
  /** Text the command's output holds; a result without it gets the command again (script-step.ts). */
  expectedOutput?: string;
  /** The answer to a request without tools (the app asks for a conversation title). */
  title?: string;
  /** Model ids listed by `/v1/models`; default the ids seen in requests, else `fake-model`. */
  models?: string[];
}

export interface FakeLlm {
  /** `http://host:port/v1`, the base URL an OpenAI client is given. */
  baseUrl: string;
  port: number;
  requests: LoggedRequest[];
  /** The chat completion requests only. */
  chatRequests(): LoggedRequest[];
  close(): Promise<void>;
}

/** Names of the shell tool: `terminal` in OpenHands 1.x (openhands-tools), `execute_bash` in 0.x. */
export const shellToolNames = ["terminal", "execute_bash"] as const;

export async function startFakeLlm(options: FakeLlmOptions): Promise<FakeLlm> {
  const requests: LoggedRequest[] = [];
  let callCounter = 0;
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const entry: LoggedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, apiKey: apiKeyOf(req) };
    requests.push(entry);
    const pathname = new URL(entry.path, "http://x").pathname;
    try {
      if (pathname.endsWith("/models") && req.method === "GET") {
        entry.answer = "models";
        const seen = requests.map((r) => r.body?.model).filter((m): m is string => typeof m === "string");
        const ids = options.models ?? (seen.length > 0 ? [...new Set(seen)] : ["fake-model"]);
        return sendJson(res, 200, { object: "list", data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "fake-llm" })) });
      }
      if (pathname.endsWith("/chat/completions") && req.method === "POST") {
        const body = JSON.parse(raw || "{}") as ChatRequest;
        entry.body = body;
        const reply = scriptedReply(body, options, () => `call_fake_${++callCounter}`);
        entry.answer = reply.kind;
        return body.stream ? sendStream(res, body, reply) : sendJson(res, 200, completion(body, reply));
      }
      sendJson(res, 404, { error: { message: `no route ${req.method} ${pathname}`, type: "invalid_request_error" } });
    } catch (error) {
      sendJson(res, 400, { error: { message: String(error), type: "invalid_request_error" } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  return {
    baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.body !== undefined),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** One line per chat call: what the script answered and the tool result it was answering, for failure messages. */
export function describeChats(llm: Pick<FakeLlm, "chatRequests">): string {
  const lines = llm.chatRequests().map((request, i) => {
    const messages = request.body?.messages ?? [];
    const result = [...messages].reverse().find((m) => m.role === "tool");
    const seen = result ? ` after tool result ${JSON.stringify(textOf(result.content).slice(-300))}` : "";
    return `${i + 1}. ${request.answer ?? "no answer"}${seen}`;
  });
  return `--- scripted LLM: ${lines.length} chat call(s) ---\n${lines.join("\n")}`;
}

/** What the script says next. */
export interface Reply {
  kind: "command" | "finish" | "text";
  content: string;
  toolCall?: { id: string; name: string; arguments: string };
}

/** The scripted answer to a chat request (pure apart from the id it draws). */
export function scriptedReply(body: ChatRequest, options: FakeLlmOptions, nextId: () => string): Reply {
  const toolNames = (body.tools ?? []).map((t) => t.function?.name).filter((n): n is string => !!n);
  if (toolNames.length === 0) return { kind: "text", content: options.title ?? "Runtime suite conversation" };
  const messages = body.messages ?? [];
  const lastUser = findLastIndex(messages, (m) => m.role === "user");
  const turn = messages.slice(lastUser + 1);
  const shellTool = shellToolNames.find((n) => toolNames.includes(n));
  const results = turn.filter((m) => m.role === "tool");
  const result = results.at(-1);
  if (shellTool && (!result || runsCommandAgain(options.expectedOutput, results.length, textOf(result.content)))) {
    const userText = lastUser >= 0 ? textOf(messages[lastUser].content) : "";
    const command = typeof options.command === "function" ? options.command(userText) : options.command;
    // `security_risk` and `summary` are the optional fields OpenHands adds to every tool schema.
    const args = { command, security_risk: "LOW", summary: "Run the requested command" };
    return { kind: "command", content: "I will run the command.", toolCall: { id: nextId(), name: shellTool, arguments: JSON.stringify(args) } };
  }
  const output = result ? textOf(result.content) : "";
  const message = options.finishMessage?.(output) ?? `The command printed: ${output.trim()}`;
  if (!toolNames.includes("finish")) return { kind: "text", content: message };
  return { kind: "finish", content: "", toolCall: { id: nextId(), name: "finish", arguments: JSON.stringify({ message, summary: "Report the result" }) } };
}

/** Plain text of a message's content (a string or OpenAI content parts). */
export function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (part.type === "text" ? part.text ?? "" : "")).join("");
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

// Rough token counts: clients only need plausible integers for their cost and context metrics.
function usage(body: ChatRequest, reply: Reply) {
  const prompt_tokens = Math.max(1, Math.ceil(JSON.stringify(body.messages ?? []).length / 4));
  const completion_tokens = Math.max(1, Math.ceil((reply.content.length + (reply.toolCall?.arguments.length ?? 0)) / 4));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function completion(body: ChatRequest, reply: Reply) {
  const message: Record<string, unknown> = { role: "assistant", content: reply.toolCall && !reply.content ? null : reply.content };
  if (reply.toolCall) {
    message.tool_calls = [{ id: reply.toolCall.id, type: "function", function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }];
  }
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? "fake-model",
    choices: [{ index: 0, message, finish_reason: reply.toolCall ? "tool_calls" : "stop" }],
    usage: usage(body, reply),
  };
}

// Server-sent events as OpenAI streams them: role, content, tool call, finish reason, optional usage, [DONE].
function sendStream(res: ServerResponse, body: ChatRequest, reply: Reply): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const base = { id: `chatcmpl-fake-${Date.now()}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: body.model ?? "fake-model" };
  const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) =>
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] })}\n\n`);
  chunk({ role: "assistant", content: "" });
  if (reply.content) chunk({ content: reply.content });
  if (reply.toolCall) {
    const { id, name, arguments: args } = reply.toolCall;
    chunk({ tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: "" } }] });
    // Arguments arrive in pieces, as real models send them.
    const half = Math.ceil(args.length / 2);
    chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] });
    chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] });
  }
  chunk({}, reply.toolCall ? "tool_calls" : "stop");
  if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: usage(body, reply) })}\n\n`);
  res.end("data: [DONE]\n\n");
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function apiKeyOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7);
  const key = req.headers["api-key"];
  return typeof key === "string" ? key : undefined;
}

