// llm.* for Agent Canvas 1.20.0: the chart's canvas-llm-profile sidecar, run on this machine
// as the chart renders it against a local Canvas started like its image, adds the LLM profile
// through Canvas' own API and makes it the active one; Canvas stores the key encrypted, and a
// conversation started in the UI reaches the scripted LLM with it. On the next start the
// sidecar leaves a profile the user edited, and the profile the user made active, alone. With
// no session key Secret it waits for the key Canvas generates on its state claim and reads it.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import { declineTelemetryWhenAsked, openCanvas, startConversation, stepper, waitForReply } from "../../ts/runtime/canvas-flow.ts";
import { renderProfileSeed, seedDone, startProfileSeed, type RenderedProfileSeed, type SeedTarget } from "../../ts/runtime/canvas-profile-seed.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { chartCanvasEnv, keyFreeValues, startLocalCanvas, type ChartCanvasEnv, type LocalCanvas } from "../../ts/runtime/local-canvas.ts";
import { markerConversation } from "../../ts/runtime/marker-conversation.ts";
import { freePort } from "../../ts/runtime/ports.ts";

const marker = markerConversation("canvas-seed", "Canvas seed marker");
const sessionKey = randomBytes(32).toString("hex");
const secretKey = randomBytes(32).toString("hex");
const model = `openai/${marker.modelName}`;
const conversationTimeout = 300_000;

let llm: FakeLlm;
let values: Record<string, unknown>;
let chartEnv: ChartCanvasEnv;
let seed: RenderedProfileSeed;
let canvas: LocalCanvas;
let restarted: LocalCanvas | undefined;
let generatedKey: LocalCanvas | undefined;
let session: BrowserSession;
let flow: ReturnType<typeof stepper>;
const seeds: { stop(): Promise<void> }[] = [];
const dirs: string[] = [];

/** What the test holds for each Secret the chart references: `<Secret>/<key>`. */
const secrets = () => ({ "canvas-keys/session-api-key": sessionKey, "canvas-keys/secret-key": secretKey, "llm-key/api-key": marker.apiKey });

beforeAll(async () => {
  llm = await startFakeLlm(marker.script);
  values = { ...keyFreeValues, llm: { model, baseUrl: llm.baseUrl, apiKey: { existingSecret: "llm-key" } } };
  chartEnv = await chartCanvasEnv({ values });
  const rendered = await renderProfileSeed({ values });
  if (!rendered) throw new Error("the chart renders no canvas-llm-profile sidecar with llm.model set");
  seed = rendered;
  canvas = await startLocalCanvas({ sessionKey, secretKey, chartEnv, name: "canvas-seed-first" });
  session = await openBrowser({ name: "canvas-llm-profile" });
  await declineTelemetryWhenAsked(session.page);
  flow = stepper(session);
});

afterAll(async () => {
  for (const started of seeds) await started.stop();
  await session?.close();
  await generatedKey?.remove();
  await restarted?.remove();
  await canvas?.remove();
  await llm?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (flow) console.log(JSON.stringify({ timings: flow.timings }, null, 2));
});

interface ProfileList {
  profiles: { name: string; model: string | null; base_url: string | null; api_key_set: boolean }[];
  active_profile: string | null;
}

async function api<T>(app: LocalCanvas, method: string, apiPath: string, body?: unknown, key = sessionKey): Promise<T> {
  const response = await fetch(`${app.url}${apiPath}`, {
    method,
    headers: { "X-Session-API-Key": key, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${apiPath} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs the sidecar until it is done, then stops it (a pod start); returns its output. */
async function seedOnce(target: SeedTarget, rendered: RenderedProfileSeed, name: string, beforeDone?: () => Promise<unknown>): Promise<string> {
  const started = await startProfileSeed(rendered, target, secrets(), name);
  seeds.push(started);
  try {
    await beforeDone?.();
    await seedDone(started);
    return started.output();
  } finally {
    await started.stop();
  }
}

describe("llm.* as an LLM profile of Agent Canvas 1.20.0, added by the chart's sidecar", () => {
  it("renders the sidecar with the LLM key and the session key from their Secrets, not in values", () => {
    const env = Object.fromEntries(seed.env.map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({
      CANVAS_URL: "http://127.0.0.1:8000",
      PROFILE_NAME: "chart",
      LLM_MODEL: model,
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: { secretKeyRef: { name: "llm-key", key: "api-key" } },
      SESSION_API_KEY: { secretKeyRef: { name: "canvas-keys", key: "session-api-key" } },
    });
    // The Canvas container itself gets no LLM variable: Canvas reads none.
    expect(Object.keys({ ...chartEnv.values, ...chartEnv.fromSecrets }).filter((name) => name.startsWith("LLM_"))).toEqual([]);
  });

  it("adds the profile through Canvas' API and makes it the active one", async () => {
    expect((await api<ProfileList>(canvas, "GET", "/api/profiles")).profiles).toEqual([]);
    const output = await flow.step("seeded", () => seedOnce(canvas, seed, "canvas-seed-first-sidecar"));
    expect(output).toContain("created profile chart");
    expect(output).not.toContain(marker.apiKey);
    const listed = await api<ProfileList>(canvas, "GET", "/api/profiles");
    expect(listed.active_profile).toBe("chart");
    expect(listed.profiles).toEqual([expect.objectContaining({ name: "chart", model, base_url: llm.baseUrl, api_key_set: true })]);
    const settings = await api<{ llm_api_key_is_set: boolean; agent_settings: { llm: { model: string; base_url: string } } }>(canvas, "GET", "/api/settings");
    expect(settings.llm_api_key_is_set).toBe(true);
    expect(settings.agent_settings.llm).toMatchObject({ model, base_url: llm.baseUrl });
  });

  it("Canvas keeps the key encrypted with OH_SECRET_KEY on the state claim, and decrypts it", async () => {
    const stored = readFileSync(path.join(canvas.home, ".openhands", "profiles", "chart.json"), "utf8");
    expect(stored).not.toContain(marker.apiKey);
    expect((JSON.parse(stored) as { api_key: string }).api_key).toMatch(/^gAAAAA/);
    const plain = await fetch(`${canvas.url}/api/profiles/chart`, { headers: { "X-Session-API-Key": sessionKey, "X-Expose-Secrets": "plaintext" } });
    expect(((await plain.json()) as { config: { api_key: string } }).config.api_key).toBe(marker.apiKey);
  });

  it("a conversation started in the UI reaches the LLM with the seeded model and key", async () => {
    await flow.step("opened", () => openCanvas(session.page, canvas.url));
    await flow.step("conversation-started", () => startConversation(session.page, canvas.url, marker.uiFlow("", "").message));
    await flow.step("agent-replied", () => waitForReply(session.page, marker.uiFlow("", "").expectReply, conversationTimeout));
    const chats = llm.chatRequests();
    expect(chats.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
    for (const request of chats) {
      expect(request.apiKey).toBe(marker.apiKey);
      expect(request.body?.model).toBe(marker.modelName);
    }
  });

  it("on the next start leaves a profile the user edited, and the profile the user made active, alone", async () => {
    // The user changes the chart's profile and makes another one active.
    const edited = { model: "openai/edited-model", base_url: llm.baseUrl, api_key: "sk-edited" };
    await api(canvas, "POST", "/api/profiles/chart", { llm: edited, include_secrets: true });
    await api(canvas, "POST", "/api/profiles/mine", { llm: { model: "openai/mine", api_key: "sk-mine" }, include_secrets: true });
    await api(canvas, "POST", "/api/profiles/mine/activate");
    await canvas.stop();
    restarted = await startLocalCanvas({ sessionKey, secretKey, chartEnv, home: canvas.home, ports: canvas.ports, name: "canvas-seed-restarted" });
    const output = await flow.step("seeded-again", () => seedOnce(restarted!, seed, "canvas-seed-restarted-sidecar"));
    expect(output).toContain("profile chart exists: left as it is");
    expect(output).toContain("profile mine stays the active profile");
    const listed = await api<ProfileList>(restarted, "GET", "/api/profiles");
    expect(listed.active_profile).toBe("mine");
    expect(listed.profiles.find((p) => p.name === "chart")).toMatchObject({ model: "openai/edited-model" });
    const plain = await fetch(`${restarted.url}/api/profiles/chart`, { headers: { "X-Session-API-Key": sessionKey, "X-Expose-Secrets": "plaintext" } });
    expect(((await plain.json()) as { config: { api_key: string } }).config.api_key).toBe("sk-edited");
  });

  it("started before Canvas without a session key Secret, waits for the key Canvas generates on its state claim and reads it", async () => {
    await restarted!.stop();
    const noSessionSecret = { ...values, auth: { mode: "oauth2Proxy", oauth2Proxy: { provider: "oidc", oidcIssuerUrl: "https://sso.example.com/realms/home", existingSecret: "oauth2", emailDomains: ["example.com"] } }, canvas: { secretKey: { existingSecret: "canvas-keys" } } };
    const rendered = await renderProfileSeed({ values: noSessionSecret });
    expect(rendered?.env.find((e) => e.name === "SESSION_API_KEY_FILE")?.value).toBe("/home/openhands/.openhands/agent-canvas/api-key.txt");
    expect(rendered?.env.some((e) => e.name === "SESSION_API_KEY")).toBe(false);
    expect(rendered?.volumeMounts).toContainEqual({ name: "canvas-state", mountPath: "/home/openhands/.openhands", readOnly: true });
    // As in the pod, the sidecar starts before Canvas, here as the chart starts it without the
    // session key Secret: it waits until the entrypoint has generated the key and Canvas answers.
    const withoutSession: ChartCanvasEnv = { ...chartEnv, fromSecrets: { OH_SECRET_KEY: "secret-key" } };
    const home = mkdtempSync(path.join(tmpdir(), "canvas-seed-home-"));
    dirs.push(home);
    mkdirSync(path.join(home, "home"));
    const ports = { proxy: await freePort(), public: await freePort(), agentServer: await freePort(), automation: await freePort(), vscode: await freePort() };
    const target = { url: `http://127.0.0.1:${ports.proxy}`, home: path.join(home, "home") };
    const output = await flow.step("seeded-generated-key", () =>
      seedOnce(target, rendered!, "canvas-seed-generated-key-sidecar", async () => {
        generatedKey = await startLocalCanvas({ sessionKey: "", secretKey, chartEnv: withoutSession, home: target.home, ports, name: "canvas-seed-generated-key" });
      }),
    );
    // Its first attempt came before Canvas answered: before the key file existed, or (on a
    // busy machine, where the entrypoint writes the key before the sidecar's Node is up) after.
    expect(output).toMatch(/not yet: (waiting for Canvas to write its session key|fetch failed)/);
    expect(output).toContain("created profile chart");
    const key = readFileSync(path.join(target.home, ".openhands", "agent-canvas", "api-key.txt"), "utf8").trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const listed = await api<ProfileList>(generatedKey!, "GET", "/api/profiles", undefined, key);
    expect(listed.active_profile).toBe("chart");
    expect(listed.profiles).toEqual([expect.objectContaining({ name: "chart", model, api_key_set: true })]);
  });
});
