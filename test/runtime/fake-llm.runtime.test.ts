// The scripted LLM speaks the OpenAI chat completions protocol the way LiteLLM reads it:
// a shell command for a new user turn, `finish` once the command's result is in, a plain
// title without tools; streamed chunks add up to the same message; every request is logged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type ChatMessage, type FakeLlm } from "../../ts/runtime/fake-llm.ts";

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
