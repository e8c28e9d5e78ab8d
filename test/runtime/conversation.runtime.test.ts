// A real conversation on the real node with the real images, per chart preset: the chart's
// values plus llm.* pointing at the scripted LLM, `helm install --wait`, the agent-server
// image loaded into the pod's Docker daemon (the node reaches no registry), and the 1.11.0 UI
// driven in Chromium WITHOUT opening the settings page (the chart seeds them from llm.*).
//
// How the browser reaches the release follows its values: without an Ingress as
// `kubectl port-forward service/<release>-openhands 3000:3000` would; with one through an
// ingress stand-in on the node that applies the rendered Ingress rules (TLS, the app host and
// `*.<hostDomain>` sandbox hosts; CoreDNS on the node answers every example.com name with the
// node's address, as wildcard DNS pointing at an ingress would). With oauth2-proxy the browser
// signs in at a local OIDC issuer first.
//
// Then the pod is deleted, and the release upgraded with a value that changes the pod: each
// time the conversation list, its events and the settings survive and the old conversation
// takes another message. Adding a preset is one line in `conversationPresets`; run a subset
// with RUNTIME_PRESETS=name,name.
import { randomInt } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { parse } from "yaml";
import type { WebSocket } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets, presetSandboxMode } from "../../ts/lib/presets.ts";
import type { Deployment } from "../../ts/lib/workload.ts";
import { getObject, render, type K8sObject } from "../../ts/lib/render.ts";
import { openBrowser, reportDir, signInWhenAsked, type BrowserSession, type HostMap } from "../../ts/runtime/browser.ts";
import { containerOf } from "../../ts/runtime/container-command.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { buildRuntimeImages, type BuiltImage } from "../../ts/runtime/images.ts";
import { httpRouteRoutes, ingressRoutes, startIngressStandIn, tunnelRoutes, type IngressStandIn } from "../../ts/runtime/ingress-stand-in.ts";
import { waitForHttp } from "../../ts/runtime/net.ts";
import { importImage, loadIntoPodDocker, nodeHasImage } from "../../ts/runtime/node/node.ts";
import { standinImagesTar } from "../../ts/runtime/node/standin-images.ts";
import { netnsPath, nodeName, stateDir as nodeStateDir } from "../../ts/runtime/node/layout.ts";
import { inNode } from "../../ts/runtime/node/netns.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { startRemoteMachine, type RemoteMachine } from "../../ts/runtime/node/remote-machine.ts";
import { oauth2ProxyBinary } from "../../ts/runtime/oauth2-proxy-binary.ts";
import { startOidcIssuer, type OidcClient, type OidcIssuer } from "../../ts/runtime/oidc-issuer.ts";
import { caSignedCert, type SignedCert } from "../../ts/runtime/tls-cert.ts";
import { answerConsentWhenAsked, noteMissedLive, readVsCodeUrl, sendMessage, startConversation, uiSelectors, waitForAgentReady, waitForReply } from "../../ts/runtime/ui-flow.ts";
import { apply, busyboxPod, eventually, getFromPod, installGatewayApiCrds, k, refusedByNc } from "./kube.ts";
import { heldBy } from "./coverage.ts";
import { appLogWithoutSql, recordConversation, type ConversationRun } from "./report.ts";
import { chainedSteps } from "./steps.ts";

interface ConversationPreset {
  /** A preset of ts/lib/presets.ts (`default` or a ci/<name>-values.yaml). */
  preset: string;
  /** Names the run when one preset runs more than once (default: the preset's name). */
  variant?: string;
  /**
   * Extra `--set` pairs for this run; `{issuer}` becomes the local OIDC issuer's URL,
   * `{llmAddress}` and `{llmPort}` the scripted LLM's address and port, `{issuerPort}` the
   * issuer's port (on the LLM's address).
   */
  set?: string[];
  /** Extra `--set-json` pairs (placeholders as in `set`). */
  setJson?: string[];
}

/** What the test's ingress stand-in needs from a pod that verifies TLS (the app calls sandbox hosts itself). */
const trustTheStandInCa = [
  "openhands.extraEnv[0].name=SSL_CERT_FILE",
  "openhands.extraEnv[0].value=/etc/runtime-suite-ca/ca.crt",
  "openhands.extraVolumes[0].name=runtime-suite-ca",
  "openhands.extraVolumes[0].configMap.name=runtime-suite-ca",
  "openhands.extraVolumeMounts[0].name=runtime-suite-ca",
  "openhands.extraVolumeMounts[0].mountPath=/etc/runtime-suite-ca",
];

export const conversationPresets: ConversationPreset[] = [
  { preset: "default" },
  { preset: "oauth2-proxy", set: ["auth.oauth2Proxy.oidcIssuerUrl={issuer}"] },
  { preset: "v1-dind-gateway", set: ["auth.oauth2Proxy.oidcIssuerUrl={issuer}", ...trustTheStandInCa] },
  // The node's own Docker daemon, with the app in its own network namespace and on the node's.
  { preset: "v1-host-docker" },
  { preset: "v1-host-docker", variant: "v1-host-docker-host-network", set: ["sandbox.hostDocker.hostNetwork=true"] },
  // A Cloudflare Tunnel behind Cloudflare Access: an edge stand-in serves tunnel.hostname over
  // HTTPS to the release's Service (the route docs/tunnel.md has users give the tunnel), and
  // cloudflared's stand-in answers its probes. One node: cloudflared may share it with the app.
  { preset: "tunnel", set: ["tunnel.avoidOpenHandsNode=false"] },
  // A daemon on another machine of the node's LAN, its sandboxes' webhooks through the callback NodePort.
  { preset: "remote-docker" },
  // The LLM listens on a private address here (the host end of the node's link), as a LAN LLM
  // would: it gets one egress rule, the way the values reference tells a user to add one.
  {
    preset: "network-policy",
    set: ["networkPolicy.egress.extraTo[0].to[0].ipBlock.cidr={llmAddress}/32", "networkPolicy.egress.extraTo[0].ports[0].port={llmPort}", "networkPolicy.egress.extraTo[0].ports[0].protocol=TCP"],
  },
  // Gateway API: the node serves the CRDs, and the stand-in is the Gateway's HTTPS listener for
  // the route's hostnames. Sign-in at the local issuer instead of GitHub (no GitHub here).
  {
    preset: "gateway-api",
    set: ["auth.oauth2Proxy.provider=oidc", "auth.oauth2Proxy.oidcIssuerUrl={issuer}"],
    setJson: ["auth.oauth2Proxy.extraArgs=[]"],
  },
  // Process sandboxes in a real pod of a namespace the chart labels `restricted`, behind
  // oauth2-proxy, the Ingress with TLS and the NetworkPolicy: the LLM and the issuer, both on a
  // private address here, get egress rules; agent servers may take long to start on 2 cores.
  {
    preset: "hardened",
    set: [
      "auth.oauth2Proxy.oidcIssuerUrl={issuer}",
      "networkPolicy.egress.extraTo[0].to[0].ipBlock.cidr={llmAddress}/32",
      "networkPolicy.egress.extraTo[0].ports[0].port={llmPort}",
      "networkPolicy.egress.extraTo[0].ports[1].port={issuerPort}",
      "sandbox.process.startTimeoutSeconds=600",
    ],
  },
];

const requested = process.env.RUNTIME_PRESETS?.split(",").map((s) => s.trim()).filter(Boolean);
const selected = requested?.includes("all") ? undefined : requested;
const presetsToRun = selected ? conversationPresets.filter((p) => selected.includes(p.variant ?? p.preset)) : conversationPresets;

const suite = "conversation (real images)";
/** The port `kubectl port-forward service/... 3000:3000` gives the user; sandbox URLs carry it. */
const browserPort = 3000;
const modelName = "runtime-suite-model";
const conversationTitle = "Runtime suite marker";
// In the group the hardened preset's oauth2-proxy admits.
const user = { username: "alice", password: "alice-password", email: "alice@example.com", groups: ["developers", "openhands-users"] };
const oauthClient = { "client-id": "openhands", "client-secret": "runtime-suite-client-secret", "cookie-secret": "0123456789abcdef0123456789abcdef" };

const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

let images: BuiltImage[];
const imageOf = (name: BuiltImage["name"]) => images.find((i) => i.name === name)!;

beforeAll(async () => {
  const started = Date.now();
  // The auth proxy's image is the binary built from its Go module, under the name the chart renders.
  images = await buildRuntimeImages({ only: ["app", "agent-server", "dind", "gateway", "helm-test", "oauth2-proxy"], oauth2ProxyBinary: await oauth2ProxyBinary() });
  const built = Date.now();
  const imagesReady = seconds(started);
  // The agent server runs in the pod's Docker daemon, not on the node.
  for (const image of images.filter((i) => i.name !== "agent-server")) if (!(await nodeHasImage(image))) await importImage(image.tar);
  for (const image of images.filter((i) => i.name !== "agent-server")) expect(await nodeHasImage(image), `${image.ref} on the node is the built image`).toBe(true);
  console.log(`conversation suite: images ready in ${imagesReady}s (${images.filter((i) => !i.cached).length} built), imported into the node in ${seconds(built)}s`);
});

/** An HTTPS request to the ingress stand-in for `host` (no redirects followed, certificate not checked). */
function throughIngress(standIn: IngressStandIn, host: string, pathname: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: standIn.address, port: standIn.port, servername: host, path: pathname, headers: { host }, rejectUnauthorized: false, timeout: 20_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on("timeout", () => req.destroy(new Error(`${host}${pathname}: timed out`)));
    req.on("error", reject);
    req.end();
  });
}

describe.each(presetsToRun.map((p) => ({ ...p, name: p.variant ?? p.preset })))("preset $name holds a conversation", ({ preset: presetName, name, set = [], setJson = [] }) => {
  const preset = presets.find((p) => p.name === presetName);
  if (!preset) throw new Error(`conversationPresets names ${presetName}, which is not a preset`);
  if (heldBy[presetName] !== "conversation") throw new Error(`conversationPresets names ${presetName}; test/runtime/coverage.ts must say the conversation suite holds it`);
  // Where the sandboxes' Docker daemon runs: the pod's DinD sidecar; for hostDocker the node's
  // own daemon (in the node's network namespace, its socket mounted into the pod); for
  // remoteDocker a daemon on another machine of the node's LAN, over TCP with TLS.
  const mode = presetSandboxMode(preset);
  const onNodeDaemon = mode === "hostDocker";
  const onRemoteDaemon = mode === "remoteDocker";
  const outsidePod = onNodeDaemon || onRemoteDaemon;
  // Process sandboxes: agent-server processes in the app's container, no Docker daemon at all.
  const processSandboxes = mode === "process";
  const podDaemon = !outsidePod && !processSandboxes;
  const release = `conv-${name}`.slice(0, 30);
  const namespace = release;
  const service = `${release}-openhands`;
  const marker = randomInt(1000, 9999);
  // The command computes its output, so the output differs from the command text the UI also shows.
  const expectedOutput = `runtime-suite-${marker + 1}-marker`;
  const expectedReply = `The sandbox printed ${expectedOutput}`;
  const apiKey = `sk-runtime-suite-${marker}`;
  let llm: FakeLlm;
  let issuer: OidcIssuer | undefined;
  let cert: SignedCert | undefined;
  let standIn: IngressStandIn | undefined;
  let session: BrowserSession;
  let portForward: ResultPromise | undefined;
  let rendered: K8sObject[];
  let values: string[] = [];
  let appUrl = `http://localhost:${browserPort}`;
  /** The public hostname of the preset's Cloudflare Tunnel, if it runs one. */
  let tunnelHostname: string | undefined;
  /** The Ingress's wildcard sandbox domain (host routing), if any. */
  let sandboxDomain: string | undefined;
  let dockerDataPersists = false;
  /** The node's own Docker daemon (hostDocker), in the node's network namespace. */
  let nodeDaemon: DockerDaemon | undefined;
  /** The other machine with its daemon (remoteDocker). */
  let remote: RemoteMachine | undefined;
  const outsideDaemon = () => nodeDaemon ?? remote!.daemon;
  let conversationId = "";
  const frames: { url: string; payload: string }[] = [];
  let repliesSoFar = 0;
  const entry: ConversationRun = { failures: [], notes: [] };

  const pods = async () => {
    const { stdout } = await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}"]);
    return stdout.split("\n").filter((l) => l.trim() && l.trim().split(" ").length === 1).map((l) => l.trim());
  };
  /** A request from the page, so it carries the browser's session (oauth2-proxy's cookie) and names. */
  const fromPage = async (pathname: string, init?: { method: string; body: string }) =>
    session.page.evaluate(
      async ([url, options]) => {
        const response = await fetch(url, options ? { method: options.method, body: options.body, headers: { "content-type": "application/json" } } : undefined);
        return { status: response.status, text: await response.text() };
      },
      [`${appUrl}${pathname}`, init] as const,
    );
  const api = async <T>(pathname: string): Promise<T> => {
    const { status, text } = await fromPage(pathname);
    if (status !== 200) throw new Error(`GET ${pathname} answered ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const llmSettings = async () => {
    const body = await api<{ agent_settings: { llm: { model?: string; base_url?: string } }; llm_api_key_set?: boolean }>("/api/v1/settings");
    return { model: body.agent_settings.llm.model, baseUrl: body.agent_settings.llm.base_url, keySet: body.llm_api_key_set };
  };
  type Listed = { id: string; title: string | null; sandbox_id: string; sandbox_status: string; execution_status: string | null };
  const listedConversation = async () =>
    (await api<{ items: Listed[] }>("/api/v1/app-conversations/search?limit=20")).items.find((c) => c.id.replace(/-/g, "") === conversationId.replace(/-/g, ""));

  /** The sandbox URLs the app hands out for the conversation's sandbox, by name (AGENT_SERVER, VSCODE, WORKER_1, ...). */
  const sandboxUrls = async (): Promise<Record<string, string>> => {
    const conversation = await listedConversation();
    type Sandbox = { id: string; exposed_urls: { name: string; url: string }[] | null };
    const sandboxes = await api<{ items: Sandbox[] }>("/api/v1/sandboxes/search?limit=50");
    const sandbox = sandboxes.items.find((s) => s.id === conversation?.sandbox_id);
    return Object.fromEntries((sandbox?.exposed_urls ?? []).map((u) => [u.name, u.url]));
  };
  /** Reaches the release the way its values expose it; survives pod replacement with the ingress, re-forwards without. */
  const connect = async () => {
    const ingress = rendered.find((o) => o.kind === "Ingress");
    const route = rendered.find((o) => o.kind === "HTTPRoute");
    if (!ingress && !route && !tunnelHostname) {
      portForward?.kill();
      portForward = execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), "port-forward", "-n", namespace, `service/${service}`, `${browserPort}:3000`], { reject: false });
      await waitForHttp(`${appUrl}/health`, 60_000);
      return;
    }
    if (standIn) return;
    const { stdout: servicesJson } = await k(["get", "services", "-n", namespace, "-o", "json"]);
    const services = (JSON.parse(servicesJson) as { items: never[] }).items;
    // The objects as the API server keeps them, not as rendered. A tunnel's route is the one
    // docs/tunnel.md has users give it in Cloudflare: the hostname to the release's Service.
    const routes = tunnelHostname
      ? tunnelRoutes(tunnelHostname, service, services)
      : ingress
      ? ingressRoutes(JSON.parse((await k(["get", "ingress", "-n", namespace, service, "-o", "json"])).stdout), services)
      : httpRouteRoutes(JSON.parse((await k(["get", "httproute", "-n", namespace, service, "-o", "json"])).stdout), services);
    standIn = await startIngressStandIn({ name: tunnelHostname ? `tunnel-edge-${name}` : `ingress-${name}`, listen: { host: inject("nodeIp"), port: 443 }, routes, tls: cert! });
  };
  /** Opens the app; with oauth2-proxy in front, signs in at the issuer's login form first. */
  const openApp = async (step: string) => {
    const page = session.page;
    await page.goto(`${appUrl}/`);
    if (issuer) await signInWhenAsked(session, issuer.issuer, appUrl, user, step);
    await page.locator(uiSelectors.homeScreen).waitFor({ timeout: 60_000 });
  };
  /**
   * New conversation, then READY; fails fast with the start task's own error (the UI's status
   * line may keep waiting after the task gave up).
   */
  const startRace = /UNIQUE constraint failed: conversation_metadata\.conversation_id/;
  /** The app's log lines since `since` (ms), from the release's pod. */
  const appLogSince = async (since: number) => {
    const [pod] = await pods();
    return (await k(["logs", "-n", namespace, pod, "-c", "openhands", `--since-time=${new Date(since).toISOString()}`], { reject: false })).stdout;
  };
  /**
   * OpenHands 1.11.0 races its own webhook: the agent server reports the new conversation before
   * the start task has stored it, and the task's insert then fails; the task then reads ERROR or
   * stays where it was. A user clicks again; so does the test, once, and the report says so.
   */
  const startAndWaitForReady = async (shot: string): Promise<string> => {
    try {
      return await startOnceAndWaitForReady(shot);
    } catch (error) {
      if (!startRace.test((error as Error).message)) throw error;
      entry.notes.push(`${shot}: upstream 1.11.0 start race (webhook stored the conversation before the start task): started again`);
      return startOnceAndWaitForReady(`${shot}-again`);
    }
  };
  const startOnceAndWaitForReady = async (shot: string): Promise<string> => {
    const page = session.page;
    const startedAt = Date.now();
    await startConversation(page, appUrl);
    await session.shot(`${shot}-started`);
    const taskId = new URL(page.url()).pathname.match(/task-([0-9a-f-]+)/)?.[1];
    let stop = false;
    const taskFailed = (async () => {
      for (let polls = 1; !stop && taskId; polls++) {
        const { status, text } = await fromPage(`/api/v1/app-conversations/start-tasks?ids=${taskId}`).catch(() => ({ status: 0, text: "" }));
        const task = status === 200 ? (JSON.parse(text) as ({ status: string; detail?: string } | null)[])[0] : undefined;
        if (task?.status === "ERROR") {
          const log = await appLogSince(startedAt);
          const cause = startRace.exec(log)?.[0] ?? log.match(/^\S*Error: [^\n]*$/gm)?.at(-1) ?? "";
          throw new Error(`the start task failed: ${task.detail ?? ""} ${cause}`);
        }
        // A task the race left behind never moves on: every 30 s, look for the race in the log.
        if (task?.status !== "READY" && polls % 10 === 0 && startRace.test(await appLogSince(startedAt))) {
          throw new Error(`the start task stalled at ${task?.status} after: ${startRace.source.replace(/\\/g, "")}`);
        }
        await new Promise((r) => setTimeout(r, 3000));
      }
      return new Promise<never>(() => undefined);
    })();
    // Once READY wins, a late failure of the watcher must not surface as an unhandled rejection.
    taskFailed.catch(() => undefined);
    try {
      const url = await Promise.race([waitForAgentReady(page, 600_000), taskFailed]);
      await session.shot(`${shot}-agent-ready`);
      return url;
    } finally {
      stop = true;
    }
  };
  /** Runs a shell script beside the sandboxes' Docker daemon: in the pod's dind container, or on this machine for a daemon outside the pod. */
  const besideDaemon = async (script: string, options: { reject?: boolean; timeout?: number } = {}) => {
    if (outsidePod) return execa("sh", ["-c", script], { env: { ...process.env, DOCKER_HOST: outsideDaemon().host }, reject: options.reject ?? true, timeout: options.timeout });
    const [pod] = await pods();
    return k(["exec", "-n", namespace, pod, "-c", "dind", "--", "sh", "-c", script], options);
  };
  /** The sandbox containers of the Docker daemon with their last log lines, and the app's log. */
  const sandboxDiagnostics = async () => {
    const [pod] = await pods().catch(() => [] as string[]);
    if (!pod) return "no pod";
    const inDind = (script: string) => besideDaemon(script, { reject: false, timeout: 30_000 });
    const { stdout: containers } = await inDind("docker ps -a; for c in $(docker ps -aq); do echo \"--- $c\"; docker logs --tail 40 $c 2>&1; done");
    // The app's whole log goes to its own file; here only its lines that are not SQL statements.
    const { stdout: appLog } = await k(["logs", "-n", namespace, pod, "-c", "openhands"], { reject: false });
    writeFileSync(path.join(reportDir, `conversation-${name}-app.log`), appLog);
    const app = appLogWithoutSql(appLog);
    const { stdout: proxy } = await k(["logs", "-n", namespace, pod, "-c", "oauth2-proxy", "--tail", "20"], { reject: false });
    return `--- sandbox containers\n${containers}\n--- app log\n${app}\n--- oauth2-proxy log\n${proxy}`;
  };
  const diagnostics = async () => {
    const { stdout: state } = await k(["get", "pods", "-n", namespace, "-o", "wide"], { reject: false });
    const { stdout: events } = await k(["get", "events", "-n", namespace, "--sort-by=.lastTimestamp"], { reject: false });
    return `${state}\n${events.split("\n").slice(-20).join("\n")}`;
  };
  /** The agent-server image in the (new) pod's daemon: kept on the docker-data claim, or loaded as a registry pull would bring it. */
  const ensureSandboxImage = async (pod: string, when: string) => {
    if (processSandboxes) return;
    const agentServer = imageOf("agent-server");
    if (outsidePod) {
      // A daemon outside the pod outlives it, with its images and sandbox containers.
      const listed = await besideDaemon("docker image ls --format '{{.Repository}}:{{.Tag}}'");
      expect(listed.stdout.split("\n"), `${when}: the daemon outside the pod keeps ${agentServer.ref}`).toContain(agentServer.ref);
      entry.notes.push(`${when}: sandbox image kept by the daemon outside the pod`);
      return;
    }
    const { stdout } = await eventually(
      () => k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"], { reject: false }),
      (r) => r.exitCode === 0,
      60,
    );
    const kept = stdout.split("\n").includes(agentServer.ref);
    if (dockerDataPersists) {
      // With docker-data on its claim the daemon keeps its images and containers: nothing to pull again.
      expect(kept, `${when}: ${agentServer.ref} is still in the daemon (docker-data is persistent)`).toBe(true);
      entry.notes.push(`${when}: sandbox image kept on the docker-data claim`);
    } else {
      // docker-data in an emptyDir: the new daemon starts empty; a real install's pre-pull fetches the image from its registry, this node has none.
      expect(kept, `${when}: the new daemon starts without images (docker-data is an emptyDir)`).toBe(false);
      await loadIntoPodDocker(agentServer.tar, { namespace, name: pod, container: "dind" });
      entry.notes.push(`${when}: sandbox image loaded again (emptyDir docker-data; a registry pull in real installs)`);
    }
  };
  /** After the pod was replaced: the list, events and settings are there, and the old conversation takes another message. */
  const survives = async (when: string) => {
    const [pod] = await pods();
    await ensureSandboxImage(pod, when);
    await connect();
    await openApp(when);
    const listed = await eventually(() => listedConversation().catch(() => undefined), (c) => c !== undefined, 60);
    expect(listed?.title, `${when}: the conversation is listed with its title`).toBe(conversationTitle);
    const events = await api<{ items: unknown[] }>(`/api/v1/conversation/${conversationId}/events/search?limit=100`);
    expect(JSON.stringify(events.items), `${when}: the events keep the command's output`).toContain(expectedOutput);
    expect(await llmSettings()).toEqual({ model: `openai/${modelName}`, baseUrl: llm.baseUrl, keySet: true });
    expect((await api<{ enable_sound_notifications?: boolean }>("/api/v1/settings")).enable_sound_notifications).toBe(true);
    await session.shot(`${when}-home`);
    // Opening it resumes the sandbox (the UI resumes a PAUSED one; a MISSING one is archived, read-only).
    await session.page.goto(`${appUrl}/conversations/${conversationId}`);
    await session.page.getByText(expectedReply).first().waitFor({ timeout: 60_000 });
    await session.shot(`${when}-conversation`);
    if (processSandboxes) {
      // Upstream keeps process sandboxes in memory only: the successor knows none of them, the
      // old conversation is shown archived (docs/process-mode.md), and a new one gets a new agent server.
      const old = await eventually(() => listedConversation().then((c) => c?.sandbox_status), (s) => s !== undefined, 60);
      expect(old, `${when}: the old conversation's process sandbox is gone with the old pod`).toBe("MISSING");
      await session.page.getByText("This conversation is archived").first().waitFor({ timeout: 30_000 });
      await openApp(`${when}-new`);
      await startAndWaitForReady(`${when}-new`);
      await sendMessage(session.page, `Please run the marker command (${when}).`);
      noteMissedLive(entry.notes, `${name}: ${when}`, (await waitForReply(session, expectedReply, 300_000)).missedLive);
      await session.shot(`${when}-new-replied`);
      return;
    }
    const status = await eventually(() => listedConversation().then((c) => c?.sandbox_status), (s) => s === "RUNNING" || s === "MISSING" || s === "ERROR", 300);
    expect(status, `${when}: the old conversation's sandbox resumes (MISSING means archived: the sandbox container is gone)`).toBe("RUNNING");
    await waitForAgentReady(session.page, 300_000);
    const before = llm.chatRequests().length;
    await sendMessage(session.page, `Please run it again (${when}).`);
    await eventually(async () => session.page.locator(uiSelectors.agentMessage, { hasText: expectedReply }).count(), (n) => n > repliesSoFar, 300);
    repliesSoFar = await session.page.locator(uiSelectors.agentMessage, { hasText: expectedReply }).count();
    expect(repliesSoFar, `${when}: the resumed conversation answered again`).toBeGreaterThanOrEqual(2);
    expect(llm.chatRequests().length).toBeGreaterThan(before);
    await session.shot(`${when}-replied-again`);
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
    // Pods and the browser both reach the issuer at the host end of the node's link.
    const needsIssuer = [...set, ...setJson].some((s) => s.includes("{issuer"));
    // The issuer reads its client list on each request; the client is added once the redirect URL is rendered.
    const clients: OidcClient[] = [];
    if (needsIssuer) issuer = await startOidcIssuer({ host: inject("hostIp"), users: [user], clients });
    if (onNodeDaemon) nodeDaemon = await startDockerDaemon("node", { netns: netnsPath });
    if (onRemoteDaemon) remote = await startRemoteMachine();
    // Its data root is kept between runs (images load once); sandboxes of earlier runs are not.
    if (outsidePod) await besideDaemon("ids=$(docker ps -aq); [ -z \"$ids\" ] || docker rm -f $ids");
    // hostDocker: the daemon's socket, the node's address and name, and a node directory for projects.
    const nodeDaemonArgs = onNodeDaemon
      ? [
          `sandbox.hostDocker.socketPath=${nodeDaemon!.socket}`,
          `sandbox.hostDocker.nodeAddress=${inject("nodeIp")}`,
          `sandbox.hostDocker.workspaceHostPath=${path.join(nodeStateDir, `workspace-${release}`)}`,
          `nodeSelector.kubernetes\\.io/hostname=${nodeName}`,
        ]
      : [];
    // remoteDocker: the other machine's daemon and published ports, a directory there for
    // projects, and the node's address for the callback NodePort the preset names.
    const remoteDaemonArgs = onRemoteDaemon
      ? [
          `sandbox.remoteDocker.host=${remote!.dockerHost}`,
          `sandbox.remoteDocker.publishedHost=${remote!.ip}`,
          `sandbox.remoteDocker.workspaceHostPath=${path.join(nodeStateDir, `workspace-${release}`)}`,
          `sandbox.remoteDocker.callback.address=${inject("nodeIp")}`,
        ]
      : [];
    const placeholders = (s: string) =>
      s
        .replace("{issuer}", issuer?.issuer ?? "")
        .replace("{issuerPort}", issuer ? new URL(issuer.issuer).port : "")
        .replace("{llmAddress}", new URL(llm.baseUrl).hostname)
        .replace("{llmPort}", new URL(llm.baseUrl).port);
    const setArgs = [
      ...[...nodeDaemonArgs, ...remoteDaemonArgs, ...set].flatMap((s) => ["--set", placeholders(s)]),
      ...setJson.flatMap((s) => ["--set-json", placeholders(s)]),
      "--set", `llm.model=openai/${modelName}`,
      "--set", `llm.baseUrl=${llm.baseUrl}`,
      "--set", `llm.apiKey.insecurePlaintextValue=${apiKey}`,
    ];
    values = [...preset.valuesFiles.flatMap((f) => ["-f", f]), ...setArgs];
    // The node serves the Gateway API's CRDs when the preset has a route (installed below).
    ({ objects: rendered } = await render({ releaseName: release, namespace, valuesFiles: preset.valuesFiles, extraArgs: setArgs, apiVersions: ["gateway.networking.k8s.io/v1/HTTPRoute"] }));
    if (rendered.some((o) => o.kind === "HTTPRoute")) await installGatewayApiCrds();
    dockerDataPersists = rendered.some((o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === `${service}-docker`);
    const deployment = getObject(rendered, "Deployment", service);
    const proxy = (deployment.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec.containers.some((c) => c.name === "oauth2-proxy") ? containerOf(deployment, "oauth2-proxy") : undefined;
    if (proxy && issuer) {
      const redirect = (proxy.args ?? []).find((a) => a.startsWith("--redirect-url="))?.slice("--redirect-url=".length);
      if (!redirect) throw new Error("the oauth2-proxy container renders no --redirect-url");
      clients.push({ clientId: oauthClient["client-id"], clientSecret: oauthClient["client-secret"], redirectUris: [redirect] });
    }
    const hosts: HostMap = {};
    const ingress = rendered.find((o) => o.kind === "Ingress") as (K8sObject & { spec: { rules: { host: string }[] } }) | undefined;
    const route = rendered.find((o) => o.kind === "HTTPRoute") as (K8sObject & { spec: { hostnames: string[] } }) | undefined;
    if (ingress || route) {
      const names = ingress ? ingress.spec.rules.map((r) => r.host) : route!.spec.hostnames;
      for (const host of names) hosts[host] = inject("nodeIp");
      appUrl = `https://${names.find((h) => !h.startsWith("*."))}`;
      sandboxDomain = names.find((h) => h.startsWith("*."))?.slice(2);
      cert = await caSignedCert(names);
    }
    // A Cloudflare Tunnel: the edge stand-in serves the public hostname, and cloudflared's
    // stand-in (no edge to connect to) only answers its probes.
    const tunnel = rendered.find((o) => o.kind === "Deployment" && o.metadata.name === `${service}-tunnel`) as Deployment | undefined;
    if (tunnel) {
      tunnelHostname = preset.valuesFiles.map((f) => parse(readFileSync(path.join(repoRoot, f), "utf8"))?.tunnel?.hostname as string | undefined).reduce((h, v) => v ?? h, undefined);
      if (!tunnelHostname) throw new Error(`${presetName} runs a tunnel without tunnel.hostname in its values files`);
      hosts[tunnelHostname] = inject("nodeIp");
      appUrl = `https://${tunnelHostname}`;
      cert = await caSignedCert([tunnelHostname]);
      await importImage(await standinImagesTar(tunnel.spec.template.spec.containers.map((c) => c.image as string)));
    }
    // Screenshots of an earlier run would mix with this run's numbering.
    rmSync(path.join(reportDir, "screenshots", "conversation", name), { recursive: true, force: true });
    session = await openBrowser({ name: `conversation/${name}`, hosts, ignoreHttpsErrors: true });
    await answerConsentWhenAsked(session.page);
    // Every event the agent server streams to the page, as the page receives it.
    session.page.on("websocket", (socket: WebSocket) => {
      socket.on("framereceived", (frame) => frames.push({ url: socket.url(), payload: typeof frame.payload === "string" ? frame.payload : frame.payload.toString("utf8") }));
    });
  });

  afterAll(async () => {
    recordConversation(name, suite, entry);
    portForward?.kill();
    await standIn?.stop();
    await session?.close();
    await llm?.close();
    await issuer?.close();
    await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
    await k(["delete", "namespace", namespace, "--wait=false"], { reject: false });
    // Uninstalling leaves a daemon's sandboxes outside the pod running, as on a real machine.
    if (nodeDaemon) await nodeDaemon.stop();
    if (remote) await remote.stop();
  });

  /** Runs a step and keeps its failure for the report, with a screenshot and the sandboxes' and app's logs. */
  const step = chainedSteps(entry, async (title, error) => {
    await session?.shot(`${title.replace(/\W+/g, "-").slice(0, 60)}-failed`).catch(() => undefined);
    const details = await sandboxDiagnostics().catch((e) => String(e));
    writeFileSync(path.join(reportDir, `conversation-${name}-failure.log`), `${title}\n${error.message}\n${details}\n`);
  });

  step("installs with llm.* pointing at the scripted LLM and becomes Ready", async () => {
    await k(["create", "namespace", namespace]);
    const chartNamespace = rendered.find((o) => o.kind === "Namespace");
    if (chartNamespace) {
      // namespace.create: the chart owns the namespace and its Pod Security labels. `helm install`
      // keeps its release record in the namespace, so it must exist first, marked for Helm to adopt
      // (Argo CD and `kubectl apply` create it from the chart).
      await k(["label", "namespace", namespace, "app.kubernetes.io/managed-by=Helm"]);
      await k(["annotate", "namespace", namespace, `meta.helm.sh/release-name=${release}`, `meta.helm.sh/release-namespace=${namespace}`]);
    } else await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${presetLevel(preset)}`]);
    // openhands.jwtSecret.existingSecret, as a real install creates it beforehand.
    const jwtEnv = (containerOf(getObject(rendered, "Deployment", service), "openhands").env ?? []).find((e) => e.name === "JWT_SECRET") as { valueFrom?: { secretKeyRef?: { name: string; key: string } } } | undefined;
    const jwtRef = jwtEnv?.valueFrom?.secretKeyRef;
    if (jwtRef && !rendered.some((o) => o.kind === "Secret" && o.metadata.name === jwtRef.name)) {
      await k(["create", "secret", "generic", jwtRef.name, "-n", namespace, `--from-literal=${jwtRef.key}=runtime-suite-jwt-${marker}`]);
    }
    // What the values reference and a real install creates beforehand: the auth proxy's client and the ingress CA (for the pods that call sandbox hosts).
    const secretRef = rendered.flatMap((o) => JSON.stringify(o).match(/"secretKeyRef":\{"name":"([^"]+)","key":"cookie-secret"\}/)?.slice(1) ?? [])[0];
    if (secretRef) await k(["create", "secret", "generic", secretRef, "-n", namespace, ...Object.entries(oauthClient).map(([key, v]) => `--from-literal=${key}=${v}`)]);
    if (cert) await k(["create", "configmap", "runtime-suite-ca", "-n", namespace, "--from-literal", `ca.crt=${cert.ca}`]);
    // The tunnel token, as tunnel.token.existingSecret names it (the stand-in never uses it).
    if (tunnelHostname) {
      const tokenEnv = (containerOf(getObject(rendered, "Deployment", `${service}-tunnel`), "cloudflared").env ?? []).find((e) => e.name === "TUNNEL_TOKEN") as { valueFrom?: { secretKeyRef?: { name: string; key: string } } } | undefined;
      const tokenRef = tokenEnv?.valueFrom?.secretKeyRef;
      if (!tokenRef) throw new Error("the cloudflared container reads TUNNEL_TOKEN from no Secret");
      await k(["create", "secret", "generic", tokenRef.name, "-n", namespace, `--from-literal=${tokenRef.key}=runtime-suite-tunnel-token-${marker}`]);
    }
    // remoteDocker: the client certificate for the other machine's daemon, as sandbox.remoteDocker.tlsSecretName names it.
    const tlsSecret = (getObject<Deployment>(rendered, "Deployment", service).spec.template.spec.volumes ?? []).find((v) => v.name === "docker-tls") as { secret?: { secretName: string } } | undefined;
    if (remote && tlsSecret?.secret) {
      await k(["create", "secret", "generic", tlsSecret.secret.secretName, "-n", namespace, `--from-literal=ca.pem=${remote.tls.ca}`, `--from-literal=cert.pem=${remote.tls.client.cert}`, `--from-literal=key.pem=${remote.tls.client.key}`]);
    }
    const installedAt = Date.now();
    const install = await helm(["install", release, ".", "-n", namespace, "--wait", "--timeout", "600s", ...values]);
    if (install.exitCode !== 0) throw new Error(`helm install failed after ${seconds(installedAt)}s:\n${install.all}\n${await diagnostics()}`);
    entry.secondsToReady = seconds(installedAt);
    console.log(`${name}: helm install to Ready ${entry.secondsToReady}s`);
    expect(await pods()).toHaveLength(1);
    const { stdout: labels } = await k(["get", "namespace", namespace, "-o", "jsonpath={.metadata.labels}"]);
    expect(JSON.parse(labels)["pod-security.kubernetes.io/enforce"], "the namespace enforces the preset's Pod Security level").toBe(presetLevel(preset));
  });

  if (podDaemon) step("the DinD pre-pull fails without a registry, says so in its log, and the daemon keeps running", async () => {
    const [pod] = await pods();
    // The chart's postStart writes the `docker pull` client's output into the container's log.
    const clientError = /^Error response from daemon: .*/m;
    const logs = await eventually(async () => (await k(["logs", "-n", namespace, pod, "-c", "dind"], { reject: false })).stdout, (text) => clientError.test(text), 120);
    expect(logs, `dind log:\n${logs.split("\n").slice(-30).join("\n")}`).toMatch(clientError);
    const { stdout: restarts } = await k(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={.status.initContainerStatuses[?(@.name==\"dind\")].restartCount}"]);
    expect(restarts).toBe("0");
  });

  if (podDaemon)
    step("loads the agent-server image into the pod's Docker daemon", async () => {
      const [pod] = await pods();
      const agentServer = imageOf("agent-server");
      await loadIntoPodDocker(agentServer.tar, { namespace, name: pod, container: "dind" });
      const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"]);
      expect(stdout.split("\n")).toContain(agentServer.ref);
    });

  if (onRemoteDaemon)
    step("reaches the other machine's daemon over TLS; its containers reach the app's webhook routes on the callback Service and nothing else", async () => {
      const agentServer = imageOf("agent-server");
      await remote!.daemon.load(agentServer.tar, agentServer.ref);
      const [pod] = await pods();
      // The app's Docker client, with the Secret's client certificate, reaches the daemon at DOCKER_HOST.
      const info = await k(["exec", "-n", namespace, pod, "-c", "openhands", "--", "python3", "-c", "import docker; print(docker.from_env().info()['Name'])"]);
      expect(info.stdout.trim(), "the daemon the app's Docker client reaches").toBe((await besideDaemon("docker info --format '{{.Name}}'")).stdout.trim());
      // Without the client certificate the daemon's TCP port refuses the request.
      const anonymous = await besideDaemon(`docker run --rm --entrypoint python3 ${agentServer.ref} -c "import ssl, urllib.request; ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE; urllib.request.urlopen('https://${remote!.ip}:2376/info', context=ctx, timeout=10)"`, { reject: false, timeout: 120_000 });
      expect(anonymous.exitCode, "the daemon answered a client without a certificate").not.toBe(0);
      // A container of that daemon, as a sandbox sees the app: host.docker.internal is the callback address.
      const env = getObject<Deployment>(rendered, "Deployment", service).spec.template.spec.containers.find((c) => c.name === "openhands")!.env ?? [];
      const hostPort = env.find((e) => e.name === "OH_SANDBOX_HOST_PORT")?.value;
      const extraHosts = JSON.parse(env.find((e) => e.name === "OH_SANDBOX_EXTRA_HOSTS")?.value ?? "{}") as Record<string, string>;
      expect(extraHosts["host.docker.internal"], "OH_SANDBOX_EXTRA_HOSTS maps host.docker.internal to the callback address").toBe(inject("nodeIp"));
      const probe = (method: string, pathname: string) =>
        besideDaemon(
          `docker run --rm --add-host host.docker.internal:${extraHosts["host.docker.internal"]} --entrypoint python3 ${agentServer.ref} -c "import urllib.request, urllib.error
try:
    r = urllib.request.urlopen(urllib.request.Request('http://host.docker.internal:${hostPort}${pathname}', method='${method}', data=b'{}' if '${method}' == 'POST' else None, headers={'content-type': 'application/json'}), timeout=10); print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)"`,
          { reject: false, timeout: 120_000 },
        ).then((r) => Number(r.stdout.trim()) || 0);
      // The webhook route reaches the app, which wants the sandbox's session key.
      expect(await probe("POST", "/api/v1/webhooks/conversations"), "a webhook without the sandbox's key").toBe(401);
      for (const pathname of ["/api/v1/settings", "/mcp/mcp", "/api/v1/webhooks/secrets", "/"]) {
        const status = await probe("GET", pathname);
        expect([403, 404], `${pathname} through the callback listener answered ${status}`).toContain(status);
      }
      entry.notes.push(`remote daemon ${remote!.dockerHost}; callback host.docker.internal -> ${extraHosts["host.docker.internal"]}:${hostPort}`);
    });

  if (onNodeDaemon)
    step("mounts the node daemon's socket and publishes the app's port on the node's Docker bridge only (or runs on the node's network)", async () => {
      const agentServer = imageOf("agent-server");
      await nodeDaemon!.load(agentServer.tar, agentServer.ref);
      expect((await besideDaemon("docker image ls --format '{{.Repository}}:{{.Tag}}'")).stdout.split("\n")).toContain(agentServer.ref);
      const [pod] = await pods();
      // The app talks to the node's daemon through the mounted socket.
      const info = await k(["exec", "-n", namespace, pod, "-c", "openhands", "--", "python3", "-c", "import docker; print(docker.from_env().info()['Name'])"]);
      expect(info.stdout.trim(), "the daemon the app's Docker client reaches").toBe((await besideDaemon("docker info --format '{{.Name}}'")).stdout.trim());
      // The daemon's bridge (docker0 in the node's namespace) is where the chart binds the app's hostPort.
      const bridge = (await inNode("ip", ["-4", "-o", "addr", "show", "docker0"])).stdout.match(/inet (\d+\.\d+\.\d+\.\d+)/)?.[1];
      const app = getObject<Deployment>(rendered, "Deployment", service).spec.template.spec.containers.find((c) => c.name === "openhands")!;
      const published = (app.ports as { containerPort: number; hostPort?: number; hostIP?: string }[] | undefined)?.find((p) => p.hostPort === 3000);
      const hostNetwork = (await k(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={.spec.hostNetwork}"])).stdout === "true";
      if (hostNetwork) expect(published, "with host networking the app's port needs no hostPort").toBeUndefined();
      else expect(published?.hostIP, "the app's hostPort is bound to the daemon's bridge address").toBe(bridge);
      // A sandbox's view: host.docker.internal (the bridge) answers on 3000 with the app's /health.
      const fromSandboxNetwork = await besideDaemon(`docker run --rm --add-host host.docker.internal:host-gateway --entrypoint python3 ${agentServer.ref} -c "import urllib.request; print(urllib.request.urlopen('http://host.docker.internal:3000/health', timeout=10).status)"`, { reject: false, timeout: 120_000 });
      expect(fromSandboxNetwork.stdout.trim(), `host.docker.internal:3000 from a container of the node's daemon (bridge ${bridge}): ${fromSandboxNetwork.stderr.slice(-300)}`).toBe("200");
      // The node's own address does not carry the app's port without host networking.
      const onNodeAddress = await fetch(`http://${inject("nodeIp")}:3000/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
      if (hostNetwork) expect(onNodeAddress, "hostNetwork: the app answers on the node's address").toBe(200);
      else expect(onNodeAddress, `without hostNetwork the app's port is on ${bridge} only, not on the node's address`).toBe(0);
      entry.notes.push(`node daemon: bridge ${bridge}, hostNetwork ${hostNetwork}, app on node address: ${onNodeAddress || "refused"}`);
    });

  step("serves the UI at the release's entry point (signing in where oauth2-proxy is on) with the seeded LLM settings", async () => {
    await connect();
    await openApp("open");
    if (issuer) expect(issuer.signIns).toContain(user.username);
    expect(await llmSettings()).toEqual({ model: `openai/${modelName}`, baseUrl: llm.baseUrl, keySet: true });
    await session.shot("home");
  });

  step("starts a conversation that reaches READY; the command's output reaches the browser over the websocket", async () => {
    const page = session.page;
    const started = Date.now();
    const url = await startAndWaitForReady("conversation");
    conversationId = new URL(url).pathname.split("/").pop() ?? "";
    console.log(`${name}: conversation ${conversationId} ready after ${seconds(started)}s`);
    const sent = Date.now();
    await sendMessage(page, "Please run the marker command.");
    await session.shot("message-sent");
    noteMissedLive(entry.notes, name, (await waitForReply(session, expectedReply, 300_000)).missedLive);
    entry.secondsToFirstReply = seconds(sent);
    repliesSoFar = 1;
    console.log(`${name}: first reply ${entry.secondsToFirstReply}s after sending`);
    await session.shot("agent-replied");
    // The terminal tool's observation, streamed by the agent server to the page: the computed
    // output appears nowhere else before it (the command text only has the arithmetic).
    const events = frames.filter((f) => f.url.includes("/sockets/events/")).flatMap((f) => {
      try {
        return [JSON.parse(f.payload) as { kind?: string; observation?: { kind?: string } }];
      } catch {
        return [];
      }
    });
    const observation = events.find((e) => e.kind === "ObservationEvent" && JSON.stringify(e.observation).includes(expectedOutput));
    expect(observation, `an ObservationEvent with ${expectedOutput} among ${events.length} websocket events (${[...new Set(events.map((e) => e.kind))].join(", ")})`).toBeDefined();
    const socketUrl = frames.find((f) => f.url.includes("/sockets/events/"))!.url;
    console.log(`${name}: ${observation!.observation?.kind} with the output arrived over ${socketUrl.replace(/session_api_key=[^&]+/, "session_api_key=...")}`);
    // Over the sandbox URL the app hands out: through the page's host and the gateway, or a sandbox host.
    const socketHost = new URL(socketUrl).hostname;
    if (sandboxDomain) expect(socketHost.endsWith(`.${sandboxDomain}`), socketUrl).toBe(true);
    else if (onNodeDaemon) expect(socketHost, "hostDocker: straight to the port the node's daemon published").toBe(inject("nodeIp"));
    else expect(socketHost).toBe(new URL(appUrl).hostname);
    const chats = llm.chatRequests();
    expect(chats.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
    for (const request of chats) expect(request.apiKey).toBe(apiKey);
  });

  step("the conversation is RUNNING with the LLM's title (the sandbox's webhooks reached the app)", async () => {
    expect(conversationId).not.toBe("");
    const found = await eventually(() => listedConversation(), (c) => c?.title === conversationTitle, 120);
    expect(found?.sandbox_status).toBe("RUNNING");
    expect(found?.title).toBe(conversationTitle);
    await session.page.reload();
    await session.page.getByText(conversationTitle).first().waitFor({ timeout: 30_000 });
    await session.shot("title");
  });

  if (!processSandboxes) step("the sandbox keeps its conversation in its own container; the shared workspace holds the project only", async () => {
    const app = getObject<Deployment>(rendered, "Deployment", service).spec.template.spec.containers.find((c) => c.name === "openhands")!;
    // The legacy SANDBOX_VOLUMES, or the Docker sandbox service's own mount (OH_SANDBOX_KIND).
    const env = Object.fromEntries((app.env ?? []).map((e) => [e.name, e.value]));
    const shared = env.SANDBOX_VOLUMES?.split(":")[0] ?? env.OH_SANDBOX_MOUNTS_0_HOST_PATH;
    expect(shared, "SANDBOX_VOLUMES or OH_SANDBOX_MOUNTS_0_HOST_PATH names the shared workspace").toBeTruthy();
    const inDind = async (script: string) => (await besideDaemon(script, { timeout: 60_000 })).stdout;
    const sandboxes = (await inDind("docker ps -q --filter name=oh-agent-server-")).split("\n").filter(Boolean);
    expect(sandboxes, "one running sandbox container").toHaveLength(1);
    const own = await inDind(`docker exec ${sandboxes[0]} ls -a /home/openhands/.agent-server/conversations /home/openhands/.agent-server`);
    expect(own.replaceAll("-", ""), `the sandbox's own conversations directory:\n${own}`).toContain(conversationId.replaceAll("-", ""));
    const workspace = (await inDind(`ls -a ${shared}`)).split("\n").filter(Boolean);
    expect(workspace, `the shared workspace ${shared}`).toContain("project");
    expect(workspace, `the shared workspace ${shared}`).not.toContain("conversations");
    expect(workspace, `the shared workspace ${shared}`).not.toContain("bash_events");
    entry.notes.push(`shared workspace ${shared} holds ${workspace.filter((f) => !f.startsWith(".")).join(", ")}; the conversation is in its sandbox`);
  });

  type RenderedPolicy = K8sObject & { spec: { policyTypes: string[]; ingress: { from: { namespaceSelector?: { matchLabels: Record<string, string> } }[] }[] } };
  if (presetName === "network-policy")
    step("the NetworkPolicy, enforced by the node: only the ingress controller's namespace reaches the Service's port, and the sandbox reaches the LLM but no other private address", async () => {
      const renderedPolicy = rendered.find((o) => o.kind === "NetworkPolicy") as RenderedPolicy | undefined;
      expect(renderedPolicy?.spec.policyTypes, "the preset restricts ingress and egress").toEqual(["Ingress", "Egress"]);
      const controllerNamespace = renderedPolicy!.spec.ingress[0].from.flatMap((f) => Object.values(f.namespaceSelector?.matchLabels ?? {}))[0];
      expect(controllerNamespace, "the preset's ingress controller namespace").toBe("traefik");
      // Pods of the controller's namespace and of another one, each able to open a TCP connection.
      const probes: Record<string, string> = { [controllerNamespace]: `probe-${release}`.slice(0, 40), default: `probe-${release}`.slice(0, 40) };
      await k(["create", "namespace", controllerNamespace], { reject: false });
      for (const [ns, pod] of Object.entries(probes)) await apply(busyboxPod(ns, pod, "sleep 3600"));
      for (const [ns, pod] of Object.entries(probes)) await k(["wait", "pod", "-n", ns, pod, "--for=condition=Ready", "--timeout=120s"]);
      try {
        const [appPod] = await pods();
        const podIp = (await k(["get", "pod", "-n", namespace, appPod, "-o", "jsonpath={.status.podIP}"])).stdout;
        const serviceIp = (await k(["get", "service", "-n", namespace, service, "-o", "jsonpath={.spec.clusterIP}"])).stdout;
        const ports = getObject<Deployment>(rendered, "Deployment", service).spec.template.spec.containers.flatMap((c) => (c.ports ?? []) as { name?: string; containerPort: number }[]);
        const gatewayPort = ports.find((p) => p.name === "gateway")!.containerPort;
        const get = (ns: string, address: string, port: number) => getFromPod(ns, probes[ns], address, port, "/health");
        const ok = /^HTTP\/1\.[01] 200/;
        // kube-router takes a moment to put a new probe pod into its sets; a refusal by the policy
        // never turns into an answer.
        const answers = (ns: string, address: string, port: number) => eventually(() => get(ns, address, port), (r) => ok.test(r), 60);
        // The controller's namespace gets the Service (the gateway); the app's own port stays closed to it.
        expect(await answers(controllerNamespace, serviceIp, 3000), "the Service from the controller's namespace").toMatch(ok);
        expect(await answers(controllerNamespace, podIp, gatewayPort), `the gateway port ${gatewayPort} at the pod's address from the controller's namespace`).toMatch(ok);
        const appPort = ports.find((p) => p.name === "http")!.containerPort;
        expect(await get(controllerNamespace, podIp, appPort), `the app's own port ${appPort} from the controller's namespace`).toMatch(refusedByNc);
        // Any other namespace gets nothing, while the same pod reaches the API server (nothing polices it).
        expect(await get("default", serviceIp, 3000), "the Service from another namespace").toMatch(refusedByNc);
        const apiServer = (await k(["get", "service", "-n", "default", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"])).stdout;
        // (a plain-HTTP request to its TLS port gets the API server's 400)
        expect(await get("default", apiServer, 443), "the API server from an unpoliced pod").toMatch(/^HTTP\/1\.[01] 400/);
        // The sandbox container (in the pod's Docker daemon, its traffic leaving as the pod's).
        const sandbox = (await besideDaemon("docker ps -q --filter name=oh-agent-server-")).stdout.trim().split("\n")[0];
        expect(sandbox, "a running sandbox").toBeTruthy();
        const fromSandbox = async (url: string) => {
          const r = await besideDaemon(`docker exec ${sandbox} curl -sk -m 5 -o /dev/null -w '%{http_code}' '${url}'; echo " $?"`, { reject: false, timeout: 60_000 });
          const [code, exit] = r.stdout.trim().split(" ");
          return { code, exit: Number(exit) };
        };
        // Another port on the LLM's own address: this machine gets an answer, the sandbox does not.
        const other = createServer((_req, res) => res.end("reached")).listen(0, inject("hostIp"));
        await new Promise((r) => other.once("listening", r));
        try {
          const otherUrl = `http://${inject("hostIp")}:${(other.address() as AddressInfo).port}/`;
          expect((await fetch(otherUrl)).status, "the other port from this machine").toBe(200);
          expect(await fromSandbox(`${llm.baseUrl}/models`), "the LLM from the sandbox (the extraTo rule)").toEqual({ code: "200", exit: 0 });
          // curl's 7 (refused: rejected by the policy) or 28 (timed out: dropped); both answer elsewhere.
          for (const [what, url] of [["another port of the LLM's address", otherUrl], ["the API server", `https://${apiServer}/version`]]) {
            const r = await fromSandbox(url);
            expect(r.code, `${what} from the sandbox`).toBe("000");
            expect([7, 28], `${what} from the sandbox: curl exit ${r.exit}`).toContain(r.exit);
          }
        } finally {
          other.close();
        }
        entry.notes.push(`NetworkPolicy enforced: ${controllerNamespace} reaches the gateway only; the sandbox reaches the LLM, not ${apiServer}:443 or another port of ${inject("hostIp")}`);
      } finally {
        for (const [ns, pod] of Object.entries(probes)) await k(["delete", "pod", "-n", ns, pod, "--wait=false"], { reject: false });
      }
    });

  // A setting the user changed must survive too (the seed only touches the LLM part).
  let settingSaved = false;
  const saveUserSetting = async () => {
    if (settingSaved) return;
    const saved = await fromPage("/api/v1/settings", { method: "POST", body: JSON.stringify({ enable_sound_notifications: true }) });
    expect(saved.status, saved.text).toBe(200);
    settingSaved = true;
  };

  // A deleted pod's successor starts while the old pod still stops: with DinD both daemons meet on
  // the docker-data claim, and process sandboxes are lost with the pod. Elsewhere the upgrade
  // below replaces the pod the same way (same claims, same daemon), so each preset's run does it
  // once.
  if (presetName === "default" || processSandboxes) step("after the pod is deleted, its successor keeps the conversation, its events and the settings, and the conversation resumes", async () => {
    await saveUserSetting();
    const [old] = await pods();
    const restarted = Date.now();
    await k(["delete", "pod", "-n", namespace, old, "--wait=true", "--timeout=180s"]);
    // Every container must act on the stop signal: one that ignores it (as upstream's entrypoint
    // does without the chart's preStop hook) holds the pod for the whole grace period.
    const stopped = seconds(restarted);
    const grace = getObject<Deployment>(rendered, "Deployment", service).spec.template.spec.terminationGracePeriodSeconds ?? 30;
    entry.notes.push(`the old pod stopped ${stopped}s after the delete (grace period ${grace}s)`);
    expect(stopped, `the old pod took ${stopped}s of its ${grace}s grace period to stop`).toBeLessThan(grace * 0.75);
    const successor = await eventually(pods, (p) => p.length === 1 && p[0] !== old, 120);
    expect(successor).toHaveLength(1);
    await k(["wait", "pod", "-n", namespace, successor[0], "--for=condition=Ready", "--timeout=600s"]);
    console.log(`${name}: successor Ready ${seconds(restarted)}s after the delete began`);
    await survives("after-restart");
  });

  step("after `helm upgrade` with a value that changes the pod, the same holds", async () => {
    await saveUserSetting();
    const [old] = await pods();
    const upgradedAt = Date.now();
    const upgrade = await helm(["upgrade", release, ".", "-n", namespace, "--wait", "--timeout", "600s", ...values, "--set", "podAnnotations.runtime-suite/upgraded=yes"]);
    if (upgrade.exitCode !== 0) throw new Error(`helm upgrade failed after ${seconds(upgradedAt)}s:\n${upgrade.all}\n${await diagnostics()}`);
    const successor = await eventually(pods, (p) => p.length === 1 && p[0] !== old, 120);
    expect(successor, "the upgrade replaced the pod").toHaveLength(1);
    expect(successor[0]).not.toBe(old);
    console.log(`${name}: upgrade to Ready ${seconds(upgradedAt)}s`);
    await survives("after-upgrade");
  });

  step("through the ingress, sandbox hosts serve sandbox ports only: never the app, its internal port, the auth proxy or the Docker socket", async () => {
    if (!sandboxDomain) {
      entry.notes.push("no sandbox hosts (path routing)");
      return;
    }
    const urls = await sandboxUrls();
    expect(urls.AGENT_SERVER, `sandbox URLs: ${JSON.stringify(urls)}`).toBeDefined();
    const agentHost = new URL(urls.AGENT_SERVER).hostname;
    const alive = await throughIngress(standIn!, agentHost, "/alive");
    expect(alive.status, `${agentHost}/alive: ${alive.body}`).toBe(200);
    // Every port outside the pod's published range is refused, whatever listens there.
    for (const port of [3000, 3001, 4180, 2375, 2376, 8080]) {
      const probe = await throughIngress(standIn!, `${port}.${sandboxDomain}`, "/api/v1/settings");
      expect(probe.status, `${port}.${sandboxDomain}: ${probe.body.slice(0, 200)}`).toBe(403);
    }
    // Other names under the domain, and app paths on a sandbox host, never reach the app.
    for (const host of [`app.${sandboxDomain}`, `x.4${agentHost.slice(1)}`, sandboxDomain]) {
      const probe = await throughIngress(standIn!, host, "/api/v1/settings");
      expect(probe.body, host).not.toContain("agent_settings");
      expect([403, 404]).toContain(probe.status);
    }
    const appPath = await throughIngress(standIn!, agentHost, "/api/v1/settings");
    expect(appPath.body).not.toContain("agent_settings");
    // The app host without a session goes to the sign-in, not to the app.
    const app = await throughIngress(standIn!, new URL(appUrl).hostname, "/api/v1/settings");
    expect([302, 401, 403], app.body.slice(0, 200)).toContain(app.status);
    expect(app.body).not.toContain("agent_settings");
  });

  // Upstream turns VS Code off in process sandboxes.
  if (!processSandboxes) step("the VS Code URL the app hands out points at the sandbox's published port through the release's entry", async () => {
    const urls = await sandboxUrls();
    const vscode = urls.VSCODE;
    const agent = urls.AGENT_SERVER;
    expect(agent, `sandbox URLs: ${JSON.stringify(urls)}`).toBeDefined();
    expect(vscode, `sandbox URLs: ${JSON.stringify(urls)}`).toBeDefined();
    const shown = await readVsCodeUrl(session.page);
    await session.shot("vscode-tab");
    console.log(`${name}: VS Code tab ${JSON.stringify(shown)}; exposed ${vscode}`);
    // The tab shows what the app handed out (the UI may put the page's host for localhost).
    expect(shown.url, shown.note).not.toBeNull();
    const vscodeUrl = new URL(shown.url!);
    if (onNodeDaemon) {
      // hostDocker: the node's address and the port its daemon published for the sandbox's VS Code.
      expect(vscodeUrl.hostname).toBe(inject("nodeIp"));
      expect(vscodeUrl.searchParams.get("tkn")).toBeTruthy();
      expect(vscodeUrl.port).not.toBe(new URL(agent).port);
      const sandbox = (await besideDaemon("docker ps -q --filter name=oh-agent-server-")).stdout.trim().split("\n")[0];
      const published = (await besideDaemon(`docker port ${sandbox}`)).stdout;
      expect(published, "the VS Code port is one the daemon publishes for the sandbox").toContain(`:${vscodeUrl.port}`);
      expect(published).toContain(`:${new URL(agent).port}`);
      const alive = await fetch(`${agent.replace(/\/$/, "")}/alive`, { signal: AbortSignal.timeout(10_000) });
      expect(alive.status, "the agent server at its URL on the node's address").toBe(200);
      return;
    }
    if (sandboxDomain) {
      expect(vscodeUrl.hostname).toMatch(new RegExp(`^4\\d{4}\\.${sandboxDomain.replace(/\./g, "\\.")}$`));
    } else {
      expect(vscodeUrl.hostname).toBe(new URL(appUrl).hostname);
      expect(vscodeUrl.pathname).toMatch(/^\/sandbox\/4\d{4}\//);
    }
    // The session key rides along as the upstream URL carries it; the port is the sandbox's VS Code port, not the agent server's.
    expect(vscodeUrl.searchParams.get("tkn")).toBeTruthy();
    expect(vscodeUrl.host + vscodeUrl.pathname).not.toBe(new URL(agent).host + new URL(agent).pathname);
    // Through the same entry the gateway forwards that port to the sandbox (nginx answers 502-504:
    // the locally built sandbox image has no openvscode-server listening there), where any
    // port outside the published range would get 403.
    const vscodeProbe = sandboxDomain
      ? await throughIngress(standIn!, vscodeUrl.hostname, `${vscodeUrl.pathname}${vscodeUrl.search}`).then((r) => ({ status: r.status, text: r.body }))
      : await fromPage(`${vscodeUrl.pathname}${vscodeUrl.search}`);
    expect([502, 503, 504], `${vscodeProbe.status}: ${vscodeProbe.text.slice(0, 200)}`).toContain(vscodeProbe.status);
    // The agent server answers at its own sandbox URL through the same entry.
    if (sandboxDomain) {
      const alive = await throughIngress(standIn!, new URL(agent).hostname, "/alive");
      expect(alive.status, alive.body).toBe(200);
    } else {
      const alive = await fromPage(`${new URL(agent).pathname.replace(/\/$/, "")}/alive`);
      expect(alive.status, alive.text).toBe(200);
    }
  });
});
