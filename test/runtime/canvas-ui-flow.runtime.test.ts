// Agent Canvas 1.20.0 run on this machine by its image's entrypoint, with the environment the
// chart gives the Canvas container (both keys from a Secret, the key-free entry), driven in
// Chromium like a user: the key-free page asks for the session key, port 8000's page carries
// it, an LLM profile for the scripted LLM is added in Settings > LLM, and a conversation makes
// the agent run a command whose computed output comes back in its reply. Then Canvas restarts
// on the same state with the same OH_SECRET_KEY: the profile (with its encrypted key) and the
// conversation are still there, and a new conversation reaches the LLM with the same key.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import {
  addLlmProfile,
  declineTelemetryWhenAsked,
  listConversations,
  listLlmProfiles,
  openCanvas,
  revealEventText,
  startConversation,
  stepper,
  waitForReply,
  type CanvasLlmProfile,
} from "../../ts/runtime/canvas-flow.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { chartCanvasEnv, startLocalCanvas, type ChartCanvasEnv, type LocalCanvas } from "../../ts/runtime/local-canvas.ts";
import { markerConversation } from "../../ts/runtime/marker-conversation.ts";

const marker = markerConversation("canvas-flow", "Canvas flow marker");
const sessionKey = randomBytes(32).toString("hex");
const secretKey = randomBytes(32).toString("hex");
const profile: CanvasLlmProfile = { name: "scripted-llm", model: `openai/${marker.modelName}`, baseUrl: "", apiKey: marker.apiKey };
const conversationTimeout = 300_000;

let llm: FakeLlm;
let chartEnv: ChartCanvasEnv;
let canvas: LocalCanvas;
let restarted: LocalCanvas | undefined;
let rekeyed: LocalCanvas | undefined;
let session: BrowserSession;
let flow: ReturnType<typeof stepper>;
let firstConversation: { id: string; url: string };

beforeAll(async () => {
  llm = await startFakeLlm(marker.script);
  profile.baseUrl = llm.baseUrl;
  chartEnv = await chartCanvasEnv();
  const started = Date.now();
  canvas = await startLocalCanvas({ sessionKey, secretKey, chartEnv, name: "canvas-flow-first" });
  console.log(`Canvas ready in ${((Date.now() - started) / 1000).toFixed(1)}s at ${canvas.url} (key-free entry ${canvas.publicUrl})`);
  session = await openBrowser({ name: "canvas-ui-flow" });
  await declineTelemetryWhenAsked(session.page);
  flow = stepper(session);
});

afterAll(async () => {
  await session?.close();
  await rekeyed?.remove();
  await restarted?.remove();
  await canvas?.remove();
  await llm?.close();
  if (flow) console.log(JSON.stringify({ timings: flow.timings }, null, 2));
});

const v = marker.uiFlow("", "");

/** The agent server's settings, as the UI reads them (GET /api/settings, secrets redacted). */
async function settingsByApi(app: LocalCanvas): Promise<{ llm_api_key_is_set: boolean; agent_settings: { llm: { api_key: string | null } } }> {
  const response = await fetch(`${app.url}/api/settings`, { headers: { "X-Session-API-Key": sessionKey } });
  if (!response.ok) throw new Error(`settings answered ${response.status}`);
  return (await response.json()) as never;
}

/** What the agent server lists, through the same API and key the UI uses. */
async function conversationsByApi(app: LocalCanvas): Promise<{ id: string; title: string | null; workspace?: { working_dir?: string } }[]> {
  const response = await fetch(`${app.url}/api/conversations/search?limit=20`, { headers: { "X-Session-API-Key": sessionKey } });
  if (!response.ok) throw new Error(`conversation search answered ${response.status}`);
  return ((await response.json()) as { items: never[] }).items;
}

describe("Agent Canvas 1.20.0 UI on a local Canvas started like its image", () => {
  it("runs with the Canvas container's environment from the chart (keys from a Secret, key-free entry)", async () => {
    expect(chartEnv.fromSecrets).toEqual({ OH_SESSION_API_KEYS_0: "session-api-key", OH_SECRET_KEY: "secret-key" });
    expect(chartEnv.values).toMatchObject({ AGENT_CANVAS_DISABLE_TELEMETRY: "1", DO_NOT_TRACK: "1", VITE_DO_NOT_TRACK: "1" });
    expect(chartEnv.values.PUBLIC_MODE_PORT).toMatch(/^\d+$/);
    // The chart's startup and readiness probe path, through port 8000's proxy.
    expect((await fetch(`${canvas.url}/ready`)).status).toBe(200);
  });

  it("the key-free entry's page carries no key and asks for it", async () => {
    const html = await (await fetch(`${canvas.publicUrl}/`)).text();
    expect(html).not.toContain(sessionKey);
    const opened = await flow.step("key-asked", () => openCanvas(session.page, canvas.publicUrl));
    expect(opened.askedForKey).toBe(true);
    expect(opened.injectedKey).toBeUndefined();
    expect(opened.proposedHost).toBe(canvas.publicUrl);
  });

  it("port 8000's page carries the key: the app loads without asking", async () => {
    expect(await (await fetch(`${canvas.url}/`)).text()).toContain(sessionKey);
    const opened = await flow.step("key-injected", () => openCanvas(session.page, canvas.url));
    expect(opened.askedForKey).toBe(false);
    expect(opened.injectedKey).toBe(sessionKey);
  });

  it("with the key entered, the key-free entry loads the app connected to its backend", async () => {
    const opened = await flow.step("key-entered", () => openCanvas(session.page, canvas.publicUrl, sessionKey));
    expect(opened.askedForKey).toBe(true);
  });

  it("adds an LLM profile for the scripted LLM in Settings > LLM", async () => {
    await flow.step("profile-added", () => addLlmProfile(session.page, canvas.publicUrl, profile));
    const rows = await flow.step("profiles", () => listLlmProfiles(session.page, canvas.publicUrl));
    expect(rows.some((row) => row.includes(profile.name) && row.includes(profile.model))).toBe(true);
  });

  it("holds a conversation whose command runs in Canvas; the reply with the computed output shows", async () => {
    firstConversation = await flow.step("conversation-started", () => startConversation(session.page, canvas.publicUrl, v.message));
    expect(firstConversation.id).toMatch(/^[0-9a-f-]{32,36}$/);
    await flow.step("agent-replied", () => waitForReply(session.page, v.expectReply, conversationTimeout));
    // The command line shows `$((seed + 1))`; only its output has the computed marker.
    await flow.step("command-output", () => revealEventText(session.page, "Run the requested command", v.expectOutput));
  });

  it("sent the profile's model and API key to the LLM, which offered agent server 1.49.1's terminal and finish", () => {
    const chats = llm.chatRequests();
    expect(chats.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
    for (const request of chats) {
      expect(request.path).toBe("/v1/chat/completions");
      expect(request.apiKey).toBe(marker.apiKey);
      expect(request.body?.model).toBe(marker.modelName);
    }
    const tools = chats.find((r) => r.answer === "command")!.body!.tools!.map((t) => t.function?.name);
    expect(tools).toEqual(expect.arrayContaining(["terminal", "finish"]));
  });

  it("lists the conversation in the sidebar", async () => {
    const titles = await flow.step("conversation-list", () => listConversations(session.page, canvas.publicUrl));
    expect(titles).toContain(marker.script.title);
  });

  it("keeps a conversation started without a folder under HOME/workspace/project, not in the working directory", async () => {
    const listed = (await conversationsByApi(canvas)).find((c) => c.id === firstConversation.id);
    expect(listed?.workspace?.working_dir).toBe(`${canvas.home}/workspace/project/${firstConversation.id.replaceAll("-", "")}`);
  });

  it("keeps the profile, its key and the conversation across a restart with the same OH_SECRET_KEY", async () => {
    await canvas.stop();
    const started = Date.now();
    restarted = await startLocalCanvas({ sessionKey, secretKey, chartEnv, home: canvas.home, ports: canvas.ports, name: "canvas-flow-restarted" });
    console.log(`Canvas restarted in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    // Same origin: the browser still holds the key it was given, as after a pod restart.
    const opened = await flow.step("restarted", () => openCanvas(session.page, restarted!.publicUrl));
    expect(opened.askedForKey).toBe(false);
    const titles = await flow.step("restarted-conversation-list", () => listConversations(session.page, restarted!.publicUrl));
    expect(titles).toContain(marker.script.title);
    const rows = await flow.step("restarted-profiles", () => listLlmProfiles(session.page, restarted!.publicUrl));
    expect(rows.some((row) => row.includes(profile.name) && row.includes(profile.model))).toBe(true);
    expect((await settingsByApi(restarted)).llm_api_key_is_set).toBe(true);

    // The stored key decrypts: a new conversation reaches the LLM with it.
    const before = llm.chatRequests().length;
    await flow.step("restarted-conversation", () => startConversation(session.page, restarted!.publicUrl, v.message));
    await flow.step("restarted-agent-replied", () => waitForReply(session.page, v.expectReply, conversationTimeout));
    const after = llm.chatRequests().slice(before);
    expect(after.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
    for (const request of after) expect(request.apiKey).toBe(marker.apiKey);
  });

  it("cannot read the stored LLM key after a restart with another OH_SECRET_KEY, while the UI still lists the profile", async () => {
    await restarted!.stop();
    rekeyed = await startLocalCanvas({
      sessionKey, secretKey: randomBytes(32).toString("hex"), chartEnv, home: canvas.home, ports: canvas.ports, name: "canvas-flow-rekeyed",
    });
    const settings = await settingsByApi(rekeyed);
    expect(settings.llm_api_key_is_set).toBe(false);
    expect(settings.agent_settings.llm.api_key).toBeNull();
    await flow.step("rekeyed", () => openCanvas(session.page, rekeyed!.publicUrl));
    const rows = await flow.step("rekeyed-profiles", () => listLlmProfiles(session.page, rekeyed!.publicUrl));
    expect(rows.some((row) => row.includes(profile.name))).toBe(true);
    expect(rekeyed.process.output()).toContain("Failed to decrypt secret value");
  });
});
