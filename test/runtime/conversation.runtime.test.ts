// A real conversation on the real node with the real images, per chart preset: the chart's
// values plus llm.* pointing at the scripted LLM, `helm install --wait`, the agent-server
// image loaded into the pod's Docker daemon (the node reaches no registry), the app reached
// as `kubectl port-forward service/<release>-openhands 3000:3000` would, and the 1.11.0 UI
// driven in Chromium WITHOUT opening the settings page (the chart seeds them from llm.*).
// Then the pod is deleted: its successor still lists the conversation, its events and the
// settings. Adding a preset is one line in `conversationPresets`.
import { randomInt } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets } from "../../ts/lib/presets.ts";
import { openBrowser, reportDir, type BrowserSession } from "../../ts/runtime/browser.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { buildRuntimeImages, type BuiltImage } from "../../ts/runtime/images.ts";
import { waitForHttp } from "../../ts/runtime/net.ts";
import { ctr, importImage, loadIntoPodDocker } from "../../ts/runtime/node/node.ts";
import { answerConsentWhenAsked, openHome, revealText, sendMessage, startConversation, waitForAgentReady, waitForReply } from "../../ts/runtime/ui-flow.ts";
import { eventually, k } from "./kube.ts";
import { recordPreset } from "./report.ts";

interface ConversationPreset {
  /** A preset of ts/lib/presets.ts (`default` or a ci/<name>-values.yaml). */
  preset: string;
  /** Extra `--set` pairs for this run. */
  set?: string[];
}

export const conversationPresets: ConversationPreset[] = [
  { preset: "default" },
];

const suite = "conversation (real images)";
/** The port `kubectl port-forward service/... 3000:3000` gives the user; sandbox URLs carry it. */
const browserPort = 3000;
const modelName = "runtime-suite-model";
const conversationTitle = "Runtime suite marker";

const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

let images: BuiltImage[];
const imageOf = (name: BuiltImage["name"]) => images.find((i) => i.name === name)!;

/** Whether the node's containerd holds `image.ref` with the tar's own config (not another image under that name). */
async function nodeHasImage(image: BuiltImage): Promise<boolean> {
  const { stdout: manifest } = await execa("tar", ["-xOf", image.tar, "manifest.json"]);
  const config = `sha256:${(JSON.parse(manifest) as { Config: string }[])[0].Config.replace(/\.json$/, "")}`;
  const listed = await ctr(["images", "ls", `name==${image.ref}`], { reject: false });
  const digest = listed.stdout.split("\n")[1]?.split(/\s+/)[2];
  if (!digest) return false;
  const content = await ctr(["content", "get", digest], { reject: false });
  return content.exitCode === 0 && (JSON.parse(content.stdout) as { config: { digest: string } }).config.digest === config;
}

beforeAll(async () => {
  const started = Date.now();
  images = await buildRuntimeImages({ only: ["app", "agent-server", "dind", "gateway", "helm-test"] });
  const built = Date.now();
  // The agent server runs in the pod's Docker daemon, not on the node.
  for (const image of images.filter((i) => i.name !== "agent-server")) if (!(await nodeHasImage(image))) await importImage(image.tar);
  for (const image of images.filter((i) => i.name !== "agent-server")) expect(await nodeHasImage(image), `${image.ref} on the node is the built image`).toBe(true);
  console.log(`conversation suite: images ready in ${seconds(started)}s (${images.filter((i) => !i.cached).length} built), imported into the node in ${seconds(built)}s`);
});

describe.each(conversationPresets)("preset $preset holds a conversation", ({ preset: name, set = [] }) => {
  const preset = presets.find((p) => p.name === name);
  if (!preset) throw new Error(`conversationPresets names ${name}, which is not a preset`);
  const release = `conv-${name}`.slice(0, 30);
  const namespace = release;
  const service = `${release}-openhands`;
  const appUrl = `http://localhost:${browserPort}`;
  const marker = randomInt(1000, 9999);
  // The command computes its output, so the output differs from the command text the UI also shows.
  const expectedOutput = `runtime-suite-${marker + 1}-marker`;
  const expectedReply = `The sandbox printed ${expectedOutput}`;
  const apiKey = `sk-runtime-suite-${marker}`;
  let llm: FakeLlm;
  let session: BrowserSession;
  let portForward: ResultPromise | undefined;
  let conversationId = "";
  const entry: { secondsToReady?: number; secondsToFirstReply?: number; failures: string[] } = { failures: [] };

  const pods = async () => {
    const { stdout } = await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}"]);
    return stdout.split("\n").filter((l) => l.trim() && l.trim().split(" ").length === 1).map((l) => l.trim());
  };
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${appUrl}${path}`, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const llmSettings = async () => {
    const body = await api<{ agent_settings: { llm: { model?: string; base_url?: string } }; llm_api_key_set?: boolean }>("/api/v1/settings");
    return { model: body.agent_settings.llm.model, baseUrl: body.agent_settings.llm.base_url, keySet: body.llm_api_key_set };
  };
  const forward = async () => {
    portForward?.kill();
    portForward = execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), "port-forward", "-n", namespace, `service/${service}`, `${browserPort}:3000`], { reject: false });
    await waitForHttp(`${appUrl}/health`, 60_000);
  };
  /** The sandbox containers of the pod's Docker daemon with their last log lines, and the app's log. */
  const sandboxDiagnostics = async () => {
    const [pod] = await pods().catch(() => [] as string[]);
    if (!pod) return "no pod";
    const inDind = (script: string) => k(["exec", "-n", namespace, pod, "-c", "dind", "--", "sh", "-c", script], { reject: false, timeout: 30_000 });
    const { stdout: containers } = await inDind("docker ps -a; for c in $(docker ps -aq); do echo \"--- $c\"; docker logs --tail 40 $c 2>&1; done");
    const { stdout: app } = await k(["logs", "-n", namespace, pod, "-c", "openhands", "--tail", "60"], { reject: false });
    return `--- sandbox containers\n${containers}\n--- app log\n${app}`;
  };
  const diagnostics = async () => {
    const { stdout: state } = await k(["get", "pods", "-n", namespace, "-o", "wide"], { reject: false });
    const { stdout: events } = await k(["get", "events", "-n", namespace, "--sort-by=.lastTimestamp"], { reject: false });
    return `${state}\n${events.split("\n").slice(-20).join("\n")}`;
  };

  beforeAll(async () => {
    mkdirSync(reportDir, { recursive: true });
    llm = await startFakeLlm({
      // Pods reach the host end of the node's link.
      host: inject("hostIp"),
      command: `echo runtime-suite-$((${marker} + 1))-marker`,
      finishMessage: (output) => `The sandbox printed ${output.match(/runtime-suite-\d+-marker/)?.[0] ?? "nothing"}`,
      title: conversationTitle,
    });
    // Screenshots of an earlier run would mix with this run's numbering.
    rmSync(path.join(reportDir, "screenshots", "conversation", name), { recursive: true, force: true });
    session = await openBrowser({ name: `conversation/${name}` });
    await answerConsentWhenAsked(session.page);
  });

  afterAll(async () => {
    recordPreset({
      preset: name,
      suite,
      result: entry.failures.length === 0 && entry.secondsToFirstReply !== undefined ? "passed" : "failed",
      secondsToReady: entry.secondsToReady,
      secondsToFirstReply: entry.secondsToFirstReply,
      detail: entry.failures.join("\n") || undefined,
    });
    portForward?.kill();
    await session?.close();
    await llm?.close();
    await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
    await k(["delete", "namespace", namespace, "--wait=false"], { reject: false });
  });

  /** Runs a step and keeps its failure for the report. */
  const step = (title: string, body: () => Promise<void>, timeout = 600_000) =>
    it(title, async () => {
      // Each step builds on the previous ones; after a failure the rest would only fail again (or delete evidence).
      if (entry.failures.length > 0) throw new Error(`not run: an earlier step failed (${entry.failures[0]})`);
      try {
        await body();
      } catch (error) {
        entry.failures.push(`${title}: ${(error as Error).message.split("\n")[0]}`);
        await session?.shot(`${title.replace(/\W+/g, "-")}-failed`).catch(() => undefined);
        const details = await sandboxDiagnostics().catch((e) => String(e));
        writeFileSync(path.join(reportDir, `conversation-${name}-failure.log`), `${title}\n${(error as Error).message}\n${details}\n`);
        throw error;
      }
    }, timeout);

  step("installs with llm.* pointing at the scripted LLM and becomes Ready", async () => {
    await k(["create", "namespace", namespace]);
    await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${presetLevel(preset)}`]);
    const values = [
      ...preset.valuesFiles.flatMap((f) => ["-f", f]),
      ...set.flatMap((s) => ["--set", s]),
      "--set", `llm.model=openai/${modelName}`,
      "--set", `llm.baseUrl=${llm.baseUrl}`,
      "--set", `llm.apiKey.insecurePlaintextValue=${apiKey}`,
    ];
    const installedAt = Date.now();
    const install = await helm(["install", release, ".", "-n", namespace, "--wait", "--timeout", "600s", ...values]);
    if (install.exitCode !== 0) throw new Error(`helm install failed after ${seconds(installedAt)}s:\n${install.all}\n${await diagnostics()}`);
    entry.secondsToReady = seconds(installedAt);
    expect(await pods()).toHaveLength(1);
  });

  step("the DinD pre-pull fails without a registry, says so in its log, and the daemon keeps running", async () => {
    const [pod] = await pods();
    // The chart's postStart writes the `docker pull` client's output into the container's log.
    const clientError = /^Error response from daemon: .*/m;
    const logs = await eventually(async () => (await k(["logs", "-n", namespace, pod, "-c", "dind"], { reject: false })).stdout, (text) => clientError.test(text), 120);
    expect(logs, `dind log:\n${logs.split("\n").slice(-30).join("\n")}`).toMatch(clientError);
    console.log(`pre-pull as logged by the dind container: ${clientError.exec(logs)?.[0]}`);
    const { stdout: restarts } = await k(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={.status.initContainerStatuses[?(@.name==\"dind\")].restartCount}"]);
    expect(restarts).toBe("0");
  });

  step("loads the agent-server image into the pod's Docker daemon", async () => {
    const [pod] = await pods();
    const agentServer = imageOf("agent-server");
    await loadIntoPodDocker(agentServer.tar, { namespace, name: pod, container: "dind" });
    const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"]);
    expect(stdout.split("\n")).toContain(agentServer.ref);
  });

  step("serves the UI through `kubectl port-forward service/... 3000:3000` with the seeded LLM settings", async () => {
    await forward();
    expect(await llmSettings()).toEqual({ model: `openai/${modelName}`, baseUrl: llm.baseUrl, keySet: true });
    await openHome(session.page, appUrl);
    await session.shot("home");
  });

  step("starts a conversation that reaches READY, runs the agent's command in the sandbox and shows its output", async () => {
    const page = session.page;
    const started = Date.now();
    await startConversation(page, appUrl);
    await session.shot("conversation-started");
    const url = await waitForAgentReady(page, 600_000);
    await session.shot("agent-ready");
    conversationId = new URL(url).pathname.split("/").pop() ?? "";
    console.log(`conversation ${conversationId} ready after ${seconds(started)}s`);
    const sent = Date.now();
    await sendMessage(page, "Please run the marker command.");
    await session.shot("message-sent");
    await waitForReply(page, expectedReply, 300_000);
    entry.secondsToFirstReply = seconds(sent);
    await session.shot("agent-replied");
    // The reply quotes the command's output only when the tool result came back from the sandbox
    // (the scripted LLM answers "printed nothing" otherwise); the page shows it.
    await revealText(page, expectedOutput);
    await session.shot("command-output");
    const chats = llm.chatRequests();
    expect(chats.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
    for (const request of chats) expect(request.apiKey).toBe(apiKey);
  });

  step("the conversation is RUNNING with the LLM's title (the sandbox's webhooks reached the app)", async () => {
    expect(conversationId).not.toBe("");
    type Search = { items: { id: string; title: string | null; sandbox_status: string; execution_status: string | null }[] };
    const found = await eventually(
      async () => (await api<Search>("/api/v1/app-conversations/search?limit=20")).items.find((c) => c.id.replace(/-/g, "") === conversationId.replace(/-/g, "")),
      (c) => c?.title === conversationTitle,
      120,
    );
    expect(found?.sandbox_status).toBe("RUNNING");
    expect(found?.title).toBe(conversationTitle);
    await session.page.reload();
    await session.page.getByText(conversationTitle).first().waitFor({ timeout: 30_000 });
    await session.shot("title");
  });

  step("after the pod is deleted, its successor lists the conversation, its events and the settings", async () => {
    // A setting the user changed must survive too (the seed only touches the LLM part).
    const saved = await fetch(`${appUrl}/api/v1/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ enable_sound_notifications: true }) });
    expect(saved.status, await saved.text()).toBe(200);
    const [old] = await pods();
    const restarted = Date.now();
    await k(["delete", "pod", "-n", namespace, old, "--wait=true", "--timeout=180s"]);
    const successor = await eventually(pods, (p) => p.length === 1 && p[0] !== old, 120);
    expect(successor).toHaveLength(1);
    await k(["wait", "pod", "-n", namespace, successor[0], "--for=condition=Ready", "--timeout=600s"]);
    console.log(`successor Ready ${seconds(restarted)}s after the delete began`);
    // The successor's Docker daemon starts empty (docker-data is an emptyDir) and this node has no
    // registry for its pre-pull; until the image is there the app answers conversation listings
    // with 500 "Error Getting Docker Image", so load it as the pre-pull would have pulled it.
    await loadIntoPodDocker(imageOf("agent-server").tar, { namespace, name: successor[0], container: "dind" });
    await forward();
    type Search = { items: { id: string; title: string | null }[] };
    const listed = (await api<Search>("/api/v1/app-conversations/search?limit=20")).items.find((c) => c.id.replace(/-/g, "") === conversationId.replace(/-/g, ""));
    expect(listed?.title).toBe(conversationTitle);
    const events = await api<{ items: unknown[] }>(`/api/v1/conversation/${conversationId}/events/search?limit=100`);
    expect(JSON.stringify(events.items)).toContain(expectedOutput);
    expect(await llmSettings()).toEqual({ model: `openai/${modelName}`, baseUrl: llm.baseUrl, keySet: true });
    expect((await api<{ enable_sound_notifications?: boolean }>("/api/v1/settings")).enable_sound_notifications).toBe(true);
    await openHome(session.page, appUrl);
    await session.page.getByText(conversationTitle).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await session.shot("after-restart-home");
    await session.page.goto(`${appUrl}/conversations/${conversationId}`);
    await session.page.getByText(expectedReply).first().waitFor({ timeout: 60_000 });
    await session.shot("after-restart-conversation");
  });
});
