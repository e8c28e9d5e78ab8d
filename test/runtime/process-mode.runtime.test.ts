// Sandbox mode process as the chart renders it (ci/v1-process-values.yaml): the rendered app
// container (the real 1.11.0 app, its env, hostAliases and the chart's sitecustomize) beside the
// rendered gateway, with no Chromium in the app's view, as in the upstream app image. A user in
// Chromium opens http://localhost:3000 (where kubectl port-forward lands), sets the LLM, and
// holds a conversation whose command runs in an agent-server process reached through the
// gateway. Needs no Kubernetes node.
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render, type K8sObject } from "../../ts/lib/render.ts";
import { openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { startProcessPod, type ProcessPod } from "../../ts/runtime/process-pod.ts";
import { runUiFlow, type UiFlowResult } from "../../ts/runtime/ui-flow.ts";
import { recordPreset } from "./report.ts";

const seed = randomInt(1000, 9999);
const expectedOutput = `process-mode-${seed + 1}-marker`;
const command = `echo process-mode-$((${seed} + 1))-marker`;
const apiKey = `sk-process-mode-${seed}`;
const modelName = "process-mode-model";
const title = `Process mode ${seed}`;

let objects: K8sObject[];
let llm: FakeLlm;
let pod: ProcessPod;
let session: BrowserSession;
let result: UiFlowResult;
const sandboxRequests: string[] = [];
const started = Date.now();
let podReady = 0;
const secondsToReady = () => (podReady ? (podReady - started) / 1000 : undefined);

beforeAll(async () => {
  // The only change to the preset: agent servers may take longer than the default 120 s to
  // start on this shared 2-core machine.
  ({ objects } = await render({ valuesFiles: ["ci/v1-process-values.yaml"], values: { sandbox: { process: { startTimeoutSeconds: 600 } } } }));
  llm = await startFakeLlm({
    command,
    finishMessage: (output) => `The sandbox computed ${output.match(/process-mode-(\d+)-marker/)?.[1] ?? "nothing"}`,
    title,
  });
  pod = await startProcessPod(objects);
  podReady = Date.now();
  session = await openBrowser({ name: "process-mode/v1-process" });
  session.page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/sandbox/")) sandboxRequests.push(r.url());
  });
});

afterAll(async () => {
  await session?.close();
  await pod?.stop();
  await llm?.close();
});

describe("ci/v1-process-values.yaml as rendered, with the real 1.11.0 app and UI", () => {
  it("holds a conversation through the gateway: the agent's command runs and its output reaches the reply", async () => {
    try {
      result = await runUiFlow(session, {
        appUrl: "http://localhost:3000",
        llm: { model: `openai/${modelName}`, baseUrl: llm.baseUrl, apiKey },
        message: "Please run the marker command.",
        expectOutput: expectedOutput,
        expectReply: `The sandbox computed ${seed + 1}`,
      });
      recordPreset({ preset: "v1-process", suite: "process-mode", result: "passed", secondsToReady: secondsToReady(), secondsToFirstReply: result.timings["agent-replied"] / 1000 });
    } catch (error) {
      recordPreset({ preset: "v1-process", suite: "process-mode", result: "failed", secondsToReady: secondsToReady(), detail: (error as Error).message.split("\n")[0] });
      throw new Error(`${(error as Error).message}\n--- app log ---\n${pod.app.output().slice(-4000)}`);
    }
    console.log(JSON.stringify({ timings: result.timings, exposedUrls: result.exposedUrls, sandboxRequests: sandboxRequests.length }, null, 2));
  });

  it("hands the browser the agent server at /sandbox/<port> on the app's own address, and the browser used it", () => {
    expect(result.exposedUrls.AGENT_SERVER).toMatch(/^http:\/\/localhost:3000\/sandbox\/80\d\d$/);
    expect(sandboxRequests.length).toBeGreaterThan(0);
    for (const url of sandboxRequests) expect(url).toMatch(/^(http|ws):\/\/localhost:3000\/sandbox\/80\d\d\//);
  });

  it("offers the agent no browser tool when the image has no Chromium, instead of failing the conversation", () => {
    const toolNames = llm.chatRequests().find((r) => r.answer === "command")!.body!.tools!.map((t) => t.function?.name);
    expect(toolNames).toEqual(expect.arrayContaining(["terminal", "finish"]));
    expect(toolNames.some((name) => /browser/.test(name ?? ""))).toBe(false);
  });

  it("records the conversation's events and title in the app (the agent server's webhooks arrive)", async () => {
    const deadline = Date.now() + 60_000;
    let titles: string[] = [];
    while (Date.now() < deadline) {
      const response = await fetch("http://127.0.0.1:3001/api/v1/app-conversations/search?limit=20");
      const body = (await response.json()) as { items?: { title?: string | null }[] };
      titles = (body.items ?? []).map((c) => c.title ?? "");
      if (titles.includes(title)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(titles).toContain(title);
  });

  it("keeps the app's settings.json in the app's schema: agent servers do not share its state directory", () => {
    const stateDir = pod.env.FILE_STORE_PATH;
    expect(pod.env.OH_PERSISTENCE_DIR).toBeUndefined();
    const settings = JSON.parse(readFileSync(path.join(stateDir, "settings.json"), "utf8")) as Record<string, unknown>;
    // Keys only the app's schema has (an agent server's rewrite drops them).
    expect(settings).toHaveProperty("llm_profiles");
    expect(settings).toHaveProperty("user_consents_to_analytics");
    // The agent server kept its own settings beside its sandbox instead.
    const sandboxes = pod.volumeDirs["/tmp/openhands-sandboxes"];
    expect(readdirSync(sandboxes).length).toBeGreaterThan(0);
    expect(existsSync(path.join(stateDir, "workspaces.json"))).toBe(false);
  });
});
