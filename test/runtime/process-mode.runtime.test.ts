// Sandbox mode process as the chart renders it: the rendered app container (the real 1.11.0
// app, its env, hostAliases and the chart's sitecustomize) beside the rendered gateway, with no
// Chromium in the app's view, as in the upstream app image. A user in Chromium opens the app
// the way the exposure promises, sets the LLM, and holds a conversation whose command runs in
// an agent-server process reached through the gateway. Needs no Kubernetes node.
//   port-forward: ci/v1-process-values.yaml at http://localhost:3000 (where kubectl
//     port-forward lands);
//   Ingress: the same behind an Ingress with TLS (a TLS reverse proxy stands in for the
//     controller), at https://openhands.example.com, as ci/hardened-values.yaml serves it
//     (without its sign-in, which test/runtime/sign-in covers).
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render, type K8sObject, type RenderOptions } from "../../ts/lib/render.ts";
import { openBrowser, type BrowserSession, type HostMap } from "../../ts/runtime/browser.ts";
import { describeChats, startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { describeAppRun } from "../../ts/runtime/local-app.ts";
import { markerConversation } from "../../ts/runtime/marker-conversation.ts";
import { startProcessPod, type ProcessPod } from "../../ts/runtime/process-pod.ts";
import { startReverseProxy, type ReverseProxy } from "../../ts/runtime/reverse-proxy.ts";
import { selfSignedCert } from "../../ts/runtime/tls-cert.ts";
import { noteMissedLive, runUiFlow, type UiFlowResult } from "../../ts/runtime/ui-flow.ts";
import { recordPreset } from "./report.ts";

// The only change to the presets: agent servers may take longer than the default 120 s to
// start on a shared 2-core machine.
const slowMachine = { sandbox: { process: { startTimeoutSeconds: 600 } } };
const host = "openhands.example.com";
const ingress = {
  auth: { mode: "external", external: { description: "the ingress controller's sign-in" } },
  ingress: { enabled: true, hosts: [{ host, paths: [{ path: "/", pathType: "Prefix" }] }], tls: [{ hosts: [host], secretName: "openhands-tls" }] },
};

interface Case {
  name: string;
  preset: string;
  render: RenderOptions;
  /** The agent server's URL as the app hands it to the browser. */
  agentServerUrl: RegExp;
  /** Starts what stands between the browser and the pod; returns the page URL and host map. */
  exposure(): Promise<{ pageUrl: string; hosts?: HostMap; ignoreHttpsErrors?: boolean; close(): Promise<void> }>;
}

const cases: Case[] = [
  {
    name: "port-forward",
    preset: "v1-process",
    render: { valuesFiles: ["ci/v1-process-values.yaml"], values: slowMachine },
    agentServerUrl: /^http:\/\/localhost:3000\/sandbox\/80\d\d$/,
    exposure: async () => ({ pageUrl: "http://localhost:3000", close: async () => {} }),
  },
  {
    name: "Ingress with TLS",
    preset: "v1-process behind an Ingress",
    render: { valuesFiles: ["ci/v1-process-values.yaml"], values: { ...slowMachine, ...ingress } },
    agentServerUrl: /^http:\/\/localhost\/sandbox\/80\d\d$/,
    exposure: async () => {
      const proxy: ReverseProxy = await startReverseProxy({ backend: "127.0.0.1:3000", tls: await selfSignedCert([host]) });
      return { pageUrl: `https://${host}`, hosts: { [host]: `127.0.0.1:${proxy.port}` }, ignoreHttpsErrors: true, close: () => proxy.close() };
    },
  },
];

describe.each(cases)("sandbox mode process as rendered, $name", (c) => {
  const title = `Process mode ${randomInt(1000, 9999)}`;
  const marker = markerConversation("process-mode", title);
  const started = Date.now();
  let objects: K8sObject[];
  let llm: FakeLlm;
  let pod: ProcessPod;
  let exposure: Awaited<ReturnType<Case["exposure"]>>;
  let session: BrowserSession;
  let result: UiFlowResult;
  let podReady = 0;
  const sandboxRequests: string[] = [];

  beforeAll(async () => {
    ({ objects } = await render(c.render));
    llm = await startFakeLlm(marker.script);
    pod = await startProcessPod(objects);
    podReady = Date.now();
    exposure = await c.exposure();
    session = await openBrowser({ name: `process-mode/${c.name.replace(/\W+/g, "-")}`, hosts: exposure.hosts, ignoreHttpsErrors: exposure.ignoreHttpsErrors });
    session.page.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/sandbox/")) sandboxRequests.push(r.url());
    });
  });

  afterAll(async () => {
    await session?.close();
    await exposure?.close();
    await pod?.stop();
    await llm?.close();
  });

  it("holds a conversation: the agent's command runs in its agent server and the output reaches the reply and the terminal", async () => {
    const secondsToReady = podReady ? (podReady - started) / 1000 : undefined;
    try {
      result = await runUiFlow(session, { ...marker.uiFlow(exposure.pageUrl, llm.baseUrl), context: () => `${describeChats(llm)}\n${describeAppRun(pod.app, pod.dir)}` });
      const notes: string[] = [];
      noteMissedLive(notes, c.name, result.replyMissedLive);
      recordPreset({ preset: c.preset, suite: "process-mode", result: "passed", secondsToReady, secondsToFirstReply: result.timings["agent-replied"] / 1000, detail: notes.join("\n") || undefined });
    } catch (error) {
      recordPreset({ preset: c.preset, suite: "process-mode", result: "failed", secondsToReady, detail: (error as Error).message.split("\n")[0] });
      throw error;
    }
    console.log(JSON.stringify({ case: c.name, timings: result.timings, exposedUrls: result.exposedUrls, sandboxRequests: sandboxRequests.slice(0, 3) }, null, 2));
  });

  it("hands the browser the agent server at /sandbox/<port> on the app's own address, and the browser used it", () => {
    expect(result.exposedUrls.AGENT_SERVER).toMatch(c.agentServerUrl);
    const page = new URL(exposure.pageUrl);
    expect(sandboxRequests.length).toBeGreaterThan(0);
    for (const url of sandboxRequests) {
      const u = new URL(url);
      expect(`${u.protocol}//${u.host}`).toBe(`${page.protocol}//${page.host}`);
      expect(u.pathname).toMatch(/^\/sandbox\/80\d\d\//);
    }
  });

  it("offers the agent no browser tool when the image has no Chromium, instead of failing the conversation", () => {
    const toolNames = llm.chatRequests().find((r) => r.answer === "command")!.body!.tools!.map((t) => t.function?.name);
    expect(toolNames).toEqual(expect.arrayContaining(["terminal", "finish"]));
    expect(toolNames.some((name) => /browser/.test(name ?? ""))).toBe(false);
  });

  it("records the conversation's title in the app: the agent server's webhooks arrive", async () => {
    const deadline = Date.now() + 60_000;
    let titles: string[] = [];
    while (Date.now() < deadline) {
      const response = await fetch("http://127.0.0.1:3001/api/v1/app-conversations/search?limit=20");
      const body = (await response.json()) as { items?: { title?: string | null }[] };
      titles = (body.items ?? []).map((item) => item.title ?? "");
      if (titles.includes(title)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(titles).toContain(title);
  });

  it("keeps the app's settings.json in the app's schema: agent servers keep their own state beside their sandbox", () => {
    const stateDir = pod.env.FILE_STORE_PATH;
    expect(pod.env.OH_PERSISTENCE_DIR).toBeUndefined();
    const settings = JSON.parse(readFileSync(path.join(stateDir, "settings.json"), "utf8")) as Record<string, unknown>;
    // Keys only the app's schema has (an agent server's rewrite drops them).
    expect(settings).toHaveProperty("llm_profiles");
    expect(settings).toHaveProperty("user_consents_to_analytics");
    expect(readdirSync(pod.volumeDirs["/tmp/openhands-sandboxes"]).length).toBeGreaterThan(0);
    expect(existsSync(path.join(stateDir, "workspaces.json"))).toBe(false);
  });
});
