// A stand-in for the Bedrock runtime endpoint: it records every request and answers the
// Converse API with a fixed text, so a test sees what a real client sends (the model in the
// path, the SigV4 signature and its scope) without an AWS account. Scripted, it plays an agent's
// model instead: with tools offered it answers a user turn with one shell tool use (`terminal`
// in 1.x, `execute_bash` in 0.x) and, once the tool's result is back, with a `finish` tool use
// (or the command again while the result lacks the expected output: script-step.ts)
// (Converse `toolUse` content blocks, stopReason `tool_use`, as LiteLLM's Converse
// transformation reads them). ConverseStream (`/converse-stream`, which OpenHands 1.x's agent
// uses) gets the same answer as the AWS event stream Bedrock sends: binary frames with CRCs,
// one per event (messageStart, content block start/delta/stop, messageStop, metadata).
import { createHash, createHmac } from "node:crypto";
import { crc32 } from "node:zlib";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./net.ts";
import { runsCommandAgain } from "./script-step.ts";

export interface BedrockRequest {
  method: string;
  /** The path as sent (not decoded), for example `/model/<model id>/converse`. */
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What a scripted stand-in answered. */
  answer?: "command" | "finish" | "text";
}

export interface FakeBedrock {
  /** `http://127.0.0.1:<port>`, what a client's runtime endpoint is set to. */
  endpoint: string;
  requests: BedrockRequest[];
  close(): Promise<void>;
}

/** A Converse response holding `text` as the assistant's answer. */
export function converseResponse(text: string): Record<string, unknown> {
  return {
    output: { message: { role: "assistant", content: [{ text }] } },
    stopReason: "end_turn",
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    metrics: { latencyMs: 12 },
  };
}

export async function startFakeBedrock(answer: string | BedrockScript, listen: { host?: string; port?: number } = {}): Promise<FakeBedrock> {
  const requests: BedrockRequest[] = [];
  let toolUses = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : (value ?? "");
    const request: BedrockRequest = { method: req.method ?? "", path: req.url ?? "", headers, body };
    requests.push(request);
    const call = /^\/model\/[^/]+\/(converse|converse-stream)$/.exec(req.url ?? "")?.[1];
    if (req.method === "POST" && call) {
      let response: Record<string, unknown>;
      if (typeof answer === "string") response = converseResponse(answer);
      else {
        try {
          const reply = scriptedConverse(JSON.parse(body || "{}") as ConverseRequestBody, answer, () => `tooluse_fake_${++toolUses}`);
          request.answer = reply.kind;
          response = reply.response;
        } catch (error) {
          return sendJson(res, 400, { message: String(error) });
        }
      }
      if (call === "converse") return sendJson(res, 200, response);
      const stream = Buffer.concat(converseStreamEvents(response).map((e) => eventStreamMessage(e.type, e.payload)));
      res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "content-length": stream.length }).end(stream);
    } else {
      sendJson(res, 404, { message: "not a Converse call" });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port ?? 0, listen.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The ConverseStream events that carry a Converse response, in Bedrock's order. */
export function converseStreamEvents(response: Record<string, unknown>): { type: string; payload: Record<string, unknown> }[] {
  const message = (response.output as { message: { role: string; content: ConverseContentBlock[] } }).message;
  const events: { type: string; payload: Record<string, unknown> }[] = [{ type: "messageStart", payload: { role: message.role } }];
  message.content.forEach((block, contentBlockIndex) => {
    if (block.toolUse) {
      events.push({ type: "contentBlockStart", payload: { contentBlockIndex, start: { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name } } } });
      events.push({ type: "contentBlockDelta", payload: { contentBlockIndex, delta: { toolUse: { input: JSON.stringify(block.toolUse.input) } } } });
    } else {
      events.push({ type: "contentBlockDelta", payload: { contentBlockIndex, delta: { text: block.text ?? "" } } });
    }
    events.push({ type: "contentBlockStop", payload: { contentBlockIndex } });
  });
  events.push({ type: "messageStop", payload: { stopReason: response.stopReason } });
  events.push({ type: "metadata", payload: { usage: response.usage, metrics: response.metrics } });
  return events;
}

/**
 * One frame of the AWS event stream encoding: total and headers length, the prelude's CRC32,
 * string headers (`:event-type`, `:content-type`, `:message-type`), the JSON payload, and the
 * CRC32 of everything before it.
 */
export function eventStreamMessage(eventType: string, payload: Record<string, unknown>): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" }).map(([name, value]) => {
      const nameBytes = Buffer.from(name, "utf8");
      const valueBytes = Buffer.from(value, "utf8");
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length); // type 7: string
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(12 + headers.length + body.length + 4, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const withoutCrc = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, messageCrc]);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** The script a scripted stand-in plays. */
export interface BedrockScript {
  /** The shell command the shell tool use runs (`terminal` in 1.x, `execute_bash` in 0.x). */
  command: string;
  /** The `finish` message, given the tool result's text; default quotes it. */
  finishMessage?: (commandOutput: string) => string;
  /** Text the command's output holds; a result without it gets the command again (script-step.ts). */
  expectedOutput?: string;
  /** The answer to a request without tools. */
  title?: string;
}

/** The part of a Converse request body the script reads. */
export interface ConverseRequestBody {
  messages?: { role: string; content?: ConverseContentBlock[] }[];
  toolConfig?: { tools?: { toolSpec?: { name?: string } }[] };
  [field: string]: unknown;
}

export interface ConverseContentBlock {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: { toolUseId: string; content?: { text?: string; json?: unknown }[]; status?: string };
  [field: string]: unknown;
}

/** The tool names a Converse request offers (toolConfig.tools[].toolSpec.name). */
export function converseToolNames(body: ConverseRequestBody): string[] {
  return (body.toolConfig?.tools ?? []).map((t) => t.toolSpec?.name).filter((n): n is string => !!n);
}

/** A Converse response whose assistant message uses one tool. */
export function converseToolUse(toolUseId: string, name: string, input: Record<string, unknown>, text?: string): Record<string, unknown> {
  return {
    output: { message: { role: "assistant", content: [...(text ? [{ text }] : []), { toolUse: { toolUseId, name, input } }] } },
    stopReason: "tool_use",
    usage: { inputTokens: 20, outputTokens: 10, totalTokens: 30 },
    metrics: { latencyMs: 12 },
  };
}

/**
 * The scripted answer to a Converse request. Tool results come back in user messages
 * (`toolResult` blocks); the user's turn is the last user message with text and no result.
 */
export function scriptedConverse(
  body: ConverseRequestBody,
  script: BedrockScript,
  nextId: () => string,
): { kind: "command" | "finish" | "text"; response: Record<string, unknown> } {
  const tools = converseToolNames(body);
  if (tools.length === 0) return { kind: "text", response: converseResponse(script.title ?? "Scripted conversation") };
  const messages = body.messages ?? [];
  let lastUser = -1;
  messages.forEach((m, i) => {
    const content = m.content ?? [];
    if (m.role === "user" && content.some((b) => typeof b.text === "string") && !content.some((b) => b.toolResult)) lastUser = i;
  });
  const results = messages.slice(lastUser + 1).flatMap((m) => (m.content ?? []).filter((b) => b.toolResult).map((b) => b.toolResult!));
  // OpenHands 1.x offers `terminal` (openhands-tools), 0.x `execute_bash`.
  const v1 = tools.includes("terminal");
  const shell = v1 ? "terminal" : "execute_bash";
  const textOfResult = (r: NonNullable<ConverseContentBlock["toolResult"]>) => (r.content ?? []).map((c) => c.text ?? (c.json === undefined ? "" : JSON.stringify(c.json))).join("");
  const last = results.at(-1);
  if (tools.includes(shell) && (!last || runsCommandAgain(script.expectedOutput, results.length, textOfResult(last)))) {
    // `command` is what both require; 1.x's optional `security_risk` and `summary` as its agent sends them.
    const input = v1 ? { command: script.command, security_risk: "LOW", summary: "Run the requested command" } : { command: script.command };
    return { kind: "command", response: converseToolUse(nextId(), shell, input, "I will run the command.") };
  }
  const output = last ? textOfResult(last) : "";
  const message = script.finishMessage?.(output) ?? `The command printed: ${output.trim()}`;
  if (!tools.includes("finish")) return { kind: "text", response: converseResponse(message) };
  // 1.x's finish takes the message; 0.27's takes no arguments and keeps the text as its thought.
  return { kind: "finish", response: converseToolUse(nextId(), "finish", v1 ? { message, summary: "Report the result" } : {}, v1 ? undefined : message) };
}

/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...`; undefined when it is not one. */
export function parseSigV4(authorization: string | undefined): SigV4Authorization | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization ?? "");
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** A path as AWS canonicalizes it for SigV4 (every byte but unreserved characters and `/` percent-encoded, as sent). */
function canonicalPath(path: string): string {
  return Array.from(Buffer.from(path.split("?")[0], "utf8"))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_.~\-/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

const sha256 = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/**
 * Whether the request's SigV4 signature is the one `secretAccessKey` makes: recomputed from
 * the method, path, signed headers and body the server received.
 */
export function sigV4SignedWith(request: BedrockRequest, secretAccessKey: string): boolean {
  const auth = parseSigV4(request.headers.authorization);
  if (!auth) return false;
  const amzDate = request.headers["x-amz-date"] ?? "";
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    "",
    ...auth.signedHeaders.map((name) => `${name}:${(request.headers[name] ?? "").trim().replace(/\s+/g, " ")}`),
    "",
    auth.signedHeaders.join(";"),
    sha256(request.body),
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, "aws4_request"]) key = hmac(key, part);
  return hmac(key, stringToSign).toString("hex") === auth.signature;
}
