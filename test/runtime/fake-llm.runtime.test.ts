// The scripted LLM speaks the OpenAI chat completions protocol the way LiteLLM reads it:
// a shell command for a new user turn, `finish` once the command's result is in, a plain
// title without tools; streamed chunks add up to the same message; every request is logged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptedConverse, type ConverseRequestBody } from "../../ts/runtime/fake-bedrock.ts";
import { scriptedReply, startFakeLlm, type ChatMessage, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { maxCommandRuns } from "../../ts/runtime/script-step.ts";

const marker = "runtime-suite-4711-marker";
const tools = ["terminal", "file_editor", "finish"].map((name) => ({ type: "function", function: { name, parameters: { type: "object" } } }));
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm({ command: `echo ${marker}`, finishMessage: (output) => `Saw ${output.trim()}`, title: "Marker check" });
});
afterAll(() => llm.close());

async function chat(body: Record<string, unknown>, apiKey = "sk-test") {
  const response = await fetch(`${llm.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response;
}

/** Reassembles a streamed completion into the message a client ends up with. */
async function collectStream(response: Response) {
  const events = (await response.text()).split("\n\n").filter(Boolean);
  expect(events.at(-1)).toBe("data: [DONE]");
  let content = "";
  let finishReason: string | null = null;
  let usage: unknown;
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  for (const event of events.slice(0, -1)) {
    const chunk = JSON.parse(event.replace(/^data: /, ""));
    expect(chunk.object).toBe("chat.completion.chunk");
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? "";
      finishReason = choice.finish_reason ?? finishReason;
      for (const call of choice.delta.tool_calls ?? []) {
        calls[call.index] ??= { arguments: "" };
        if (call.id) calls[call.index].id = call.id;
        if (call.function?.name) calls[call.index].name = call.function.name;
        calls[call.index].arguments += call.function?.arguments ?? "";
      }
    }
  }
  return { content, finishReason, calls, usage };
}

const user: ChatMessage = { role: "user", content: [{ type: "text", text: "Run the marker command" }] };

describe("fake LLM", () => {
  it("answers a new user turn with the shell command as an OpenAI tool call", async () => {
    const body = await (await chat({ model: "fake-model", messages: [{ role: "system", content: "You are an agent" }, user], tools })).json();
    expect(body).toMatchObject({ object: "chat.completion", model: "fake-model", choices: [{ index: 0, finish_reason: "tool_calls" }] });
    const call = body.choices[0].message.tool_calls[0];
    expect(call).toMatchObject({ type: "function", function: { name: "terminal" } });
    expect(JSON.parse(call.function.arguments)).toMatchObject({ command: `echo ${marker}` });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it("answers with finish, quoting the command's output, once the tool result is in", async () => {
    const messages = [
      user,
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "terminal", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: `${marker}\n[exit code 0]` }] },
    ];
    const body = await (await chat({ model: "fake-model", messages, tools })).json();
    const call = body.choices[0].message.tool_calls[0];
    expect(call.function.name).toBe("finish");
    expect(JSON.parse(call.function.arguments).message).toBe(`Saw ${marker}\n[exit code 0]`);
  });

  it("runs the command again for a follow-up turn", async () => {
    const messages = [
      user,
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "terminal", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: marker },
      { role: "user", content: "Once more" },
    ];
    const body = await (await chat({ model: "fake-model", messages, tools })).json();
    expect(body.choices[0].message.tool_calls[0].function.name).toBe("terminal");
  });

  it("streams the same tool call in chunks, with usage when asked", async () => {
    const stream = await collectStream(await chat({ model: "fake-model", stream: true, stream_options: { include_usage: true }, messages: [user], tools }));
    expect(stream.finishReason).toBe("tool_calls");
    expect(stream.calls).toHaveLength(1);
    expect(stream.calls[0].name).toBe("terminal");
    expect(stream.calls[0].id).toMatch(/^call_/);
    expect(JSON.parse(stream.calls[0].arguments).command).toBe(`echo ${marker}`);
    expect(stream.usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it("answers a request without tools (the title) with plain text, streamed or not", async () => {
    const plain = await (await chat({ model: "fake-model", messages: [user] })).json();
    expect(plain.choices[0]).toMatchObject({ finish_reason: "stop", message: { role: "assistant", content: "Marker check" } });
    const stream = await collectStream(await chat({ model: "fake-model", stream: true, messages: [user] }));
    expect(stream).toMatchObject({ content: "Marker check", finishReason: "stop", calls: [] });
  });

  it("lists models and logs what every client sent", async () => {
    const before = llm.requests.length;
    await chat({ model: "runtime-model", messages: [user] }, "sk-logged");
    const models = await (await fetch(`${llm.baseUrl}/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toContain("runtime-model");
    const [completion, list] = llm.requests.slice(before);
    expect(completion).toMatchObject({ method: "POST", path: "/v1/chat/completions", apiKey: "sk-logged", answer: "text", body: { model: "runtime-model" } });
    expect(list).toMatchObject({ method: "GET", path: "/v1/models", answer: "models" });
  });
});

// 0.x's shell now and then returns an observation without the command's output; with
// `expectedOutput` the script then runs the command again, as a model would (script-step.ts).
describe("the scripts run the command again while its result lacks the expected output", () => {
  const expectedOutput = "hello 42";
  const script = { command: "echo hello $((6 * 7))", expectedOutput };
  const call = (id: string) => ({ role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name: "execute_bash", arguments: "{}" } }] });
  const chatTurn = (...outputs: string[]): ChatMessage[] => [user, ...outputs.flatMap((output, i) => [call(`call_${i}`), { role: "tool", tool_call_id: `call_${i}`, content: output }])];
  const chatBody = (messages: ChatMessage[]) => ({ messages, tools: ["execute_bash", "finish"].map((name) => ({ type: "function", function: { name } })) });
  const converseTurn = (...outputs: string[]): ConverseRequestBody => ({
    toolConfig: { tools: ["execute_bash", "finish"].map((name) => ({ toolSpec: { name } })) },
    messages: [
      { role: "user", content: [{ text: "Please print the greeting." }] },
      ...outputs.flatMap((output, i) => [
        { role: "assistant", content: [{ toolUse: { toolUseId: `t${i}`, name: "execute_bash", input: {} } }] },
        { role: "user", content: [{ toolResult: { toolUseId: `t${i}`, content: [{ text: output }] } }] },
      ]),
    ],
  });
  const nextId = () => "id";

  it("OpenAI script: an empty result gets the command again, a result with the output gets finish quoting that result", () => {
    expect(scriptedReply(chatBody(chatTurn("")), script, nextId).kind).toBe("command");
    const finish = scriptedReply(chatBody(chatTurn("", `${expectedOutput}\n[exit code 0]`)), script, nextId);
    expect(finish.kind).toBe("finish");
    expect(JSON.parse(finish.toolCall!.arguments).message).toContain(expectedOutput);
  });

  it(`OpenAI script: after ${maxCommandRuns} runs without the output it finishes all the same`, () => {
    expect(scriptedReply(chatBody(chatTurn(...Array(maxCommandRuns - 1).fill(""))), script, nextId).kind).toBe("command");
    expect(scriptedReply(chatBody(chatTurn(...Array(maxCommandRuns).fill(""))), script, nextId).kind).toBe("finish");
  });

  it("OpenAI script: without expectedOutput an empty result gets finish (the 1.x suites' script)", () => {
    expect(scriptedReply(chatBody(chatTurn("")), { command: script.command }, nextId).kind).toBe("finish");
  });

  it("Bedrock script: an empty result gets the command again, a result with the output gets finish, and the bound holds", () => {
    expect(scriptedConverse(converseTurn(""), script, nextId).kind).toBe("command");
    expect(scriptedConverse(converseTurn("", expectedOutput), script, nextId).kind).toBe("finish");
    expect(scriptedConverse(converseTurn(...Array(maxCommandRuns).fill("")), script, nextId).kind).toBe("finish");
    expect(scriptedConverse(converseTurn(""), { command: script.command }, nextId).kind).toBe("finish");
  });
});
