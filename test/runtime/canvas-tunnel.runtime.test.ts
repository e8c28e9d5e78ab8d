// The canvas-tunnel preset (Agent Canvas behind a Cloudflare Tunnel and Cloudflare Access, its
// tunnel token and both Canvas keys from AWS Secrets Manager through External Secrets, the
// NetworkPolicy on) holds a conversation on the node:
// - the External Secrets Operator's own controller fills the three Secrets from an STS and
//   Secrets Manager stand-in holding the preset's remote keys (external-secrets-node.ts);
// - no real cloudflared and no Cloudflare edge can run here: cloudflared's stand-in (under the
//   chart's cloudflared reference) answers its probes, and an edge stand-in serves
//   `https://<tunnel.hostname>` to the release's Service, the route docs/tunnel.md has users
//   give the tunnel;
// - in Chromium the page there (Canvas' key-free entry) carries no session key and asks for
//   it; with the key Secrets Manager served, it connects, and a conversation with the profile
//   the chart seeds from llm.* (the scripted LLM, the only values added) runs the agent's
//   command in the Canvas container and replies with its computed output.
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, inject } from "vitest";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets } from "../../ts/lib/presets.ts";
import { getObject, render, type K8sObject } from "../../ts/lib/render.ts";
import type { Deployment } from "../../ts/lib/workload.ts";
import { openBrowser, reportDir, stepper, type BrowserSession } from "../../ts/runtime/browser.ts";
import { declineTelemetryWhenAsked, openCanvas, revealEventText, startConversation, waitForReply } from "../../ts/runtime/canvas-flow.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { buildRuntimeImages } from "../../ts/runtime/images.ts";
import { startIngressStandIn, tunnelRoutes, type IngressStandIn } from "../../ts/runtime/ingress-stand-in.ts";
import { markerConversation } from "../../ts/runtime/marker-conversation.ts";
import { importImage, nodeHasImage } from "../../ts/runtime/node/node.ts";
import { standinImagesTar } from "../../ts/runtime/node/standin-images.ts";
import { caSignedCert } from "../../ts/runtime/tls-cert.ts";
import { secretData, startOperatorOnNode, type OperatorOnNode } from "./external-secrets-node.ts";
import { eventually, k } from "./kube.ts";
import { recordConversation, type ConversationRun } from "./report.ts";
import { presetRequested } from "./selection.ts";
import { chainedSteps } from "./steps.ts";

const presetName = "canvas-tunnel";
const runsHere = presetRequested(presetName);
const preset = presets.find((p) => p.name === presetName)!;
const values = parse(readFileSync(path.join(repoRoot, "ci", `${presetName}-values.yaml`), "utf8"));
const { tunnelToken, canvasSessionKey, canvasSecretKey } = values.externalSecrets.secrets;
const hostname: string = values.tunnel.hostname;
const release = presetName;
const namespace = presetName;
const service = `${release}-openhands`;
const appUrl = `https://${hostname}`;
const suite = "canvas-tunnel (real Canvas image, External Secrets Operator, stand-ins for cloudflared and the edge)";

// What Secrets Manager holds for the preset's remote keys.
const served: Record<string, string> = {
  [tunnelToken.remoteKey]: `tunnel-token-${randomBytes(8).toString("hex")}`,
  [canvasSessionKey.remoteKey]: randomBytes(32).toString("hex"),
  [canvasSecretKey.remoteKey]: randomBytes(32).toString("hex"),
};
const sessionKey = served[canvasSessionKey.remoteKey];
const marker = markerConversation("canvas-tunnel", "Canvas tunnel marker");
const v = marker.uiFlow(appUrl, "");
const chartProfileKey = `sk-chart-${randomBytes(8).toString("hex")}`;

const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

describe.runIf(runsHere)(`preset ${presetName}: Agent Canvas behind the tunnel's hostname, its keys from the External Secrets Operator`, () => {
  const entry: ConversationRun = { failures: [], notes: [] };
  let eso: OperatorOnNode | undefined;
  let llm: FakeLlm;
  let standIn: IngressStandIn | undefined;
  let session: BrowserSession;
  let flow: ReturnType<typeof stepper>;
  let rendered: K8sObject[];
  let valueArgs: string[];
  let pod = "";

  beforeAll(async () => {
    const started = Date.now();
    const images = await buildRuntimeImages({ only: ["canvas"] });
    for (const image of images) if (!(await nodeHasImage(image))) await importImage(image.tar);
    llm = await startFakeLlm({ ...marker.script, host: inject("hostIp") });
    // The scripted LLM as llm.* (the chart seeds it as the `chart` profile); one node, which
    // cloudflared may share with Canvas.
    const sets = [`llm.model=openai/${marker.modelName}`, `llm.baseUrl=${llm.baseUrl}`, `llm.apiKey.insecurePlaintextValue=${chartProfileKey}`, "tunnel.avoidOpenHandsNode=false"];
    valueArgs = [...preset.valuesFiles.flatMap((f) => ["-f", f]), ...sets.flatMap((s) => ["--set", s])];
    ({ objects: rendered } = await render({ releaseName: release, namespace, valuesFiles: preset.valuesFiles, extraArgs: sets.flatMap((s) => ["--set", s]), apiVersions: ["external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/SecretStore"] }));
    const tunnel = getObject<Deployment>(rendered, "Deployment", `${service}-tunnel`);
    await importImage(await standinImagesTar(tunnel.spec.template.spec.containers.map((c) => c.image as string)));
    eso = await startOperatorOnNode(values.externalSecrets.store, served);
    rmSync(path.join(reportDir, "screenshots", presetName), { recursive: true, force: true });
    session = await openBrowser({ name: presetName, hosts: { [hostname]: inject("nodeIp") }, ignoreHttpsErrors: true });
    await declineTelemetryWhenAsked(session.page);
    flow = stepper(session);
    console.log(`${presetName}: image, operator and stand-ins ready in ${seconds(started)}s`);
  }, 3_600_000);

  afterAll(async () => {
    // The operator and its CRDs must go whatever else fails here: later suites share the node.
    try {
      recordConversation(presetName, suite, entry);
      await standIn?.stop();
      await session?.close();
      await llm?.close();
      await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
      await k(["delete", "namespace", namespace, "--wait=true", "--timeout=120s"], { reject: false });
    } finally {
      await eso?.stop();
    }
  });

  const step = chainedSteps(entry, async (_title, error) => {
    if (!pod) return;
    const { stdout } = await k(["logs", "-n", namespace, pod, "-c", "canvas", "--tail", "120"], { reject: false });
    error.message += `\n--- canvas log ---\n${stdout}\n--- operator log ---\n${eso?.logTail(30) ?? ""}`;
  });

  step("installs the preset with llm.* for the scripted LLM; the pod starts once the operator filled the tunnel token and both Canvas keys", async () => {
    await k(["create", "namespace", namespace]);
    await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${presetLevel(preset)}`]);
    const started = Date.now();
    const install = await helm(["install", release, ".", "-n", namespace, "--wait", "--timeout", "600s", ...valueArgs]);
    if (install.exitCode !== 0) {
      const { stdout } = await k(["get", "pods,externalsecrets,secretstores", "-n", namespace, "-o", "wide"], { reject: false });
      throw new Error(`helm install failed after ${seconds(started)}s:\n${install.all}\n${stdout}\n${eso?.logTail(30)}`);
    }
    entry.secondsToReady = seconds(started);
    console.log(`${presetName}: helm install to Ready ${entry.secondsToReady}s`);
    pod = (await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={.items[0].metadata.name}"])).stdout.trim();
    expect(pod).not.toBe("");
    for (const secret of [tunnelToken, canvasSessionKey, canvasSecretKey] as { targetName?: string; remoteKey: string }[]) {
      const es = rendered.find((o) => o.kind === "ExternalSecret" && (o.spec as { data: { remoteRef: { key: string } }[] }).data[0].remoteRef.key === secret.remoteKey) as K8sObject & { spec: { target: { name: string }; data: { secretKey: string }[] } };
      const data = await eventually(() => secretData(namespace, es.spec.target.name), (d) => d !== undefined, 60);
      expect(data, `Secret ${es.spec.target.name}`).toEqual({ [es.spec.data[0].secretKey]: served[secret.remoteKey] });
    }
    const reads = eso!.aws.requests.filter((r) => r.operation === "secretsmanager:GetSecretValue");
    expect(new Set(reads.map((r) => r.secretId))).toEqual(new Set(Object.keys(served)));
    for (const r of reads) expect(r).toMatchObject({ assumedRole: values.externalSecrets.store.role, region: values.externalSecrets.store.region });
  });

  /** Status of Canvas' settings API through the tunnel's hostname, from the page, with `key` as X-Session-API-Key (none when undefined). */
  const settingsStatus = (key?: string) =>
    session.page.evaluate(async ([url, k]) => (await fetch(url, { headers: k === null ? {} : { "X-Session-API-Key": k } })).status, [`${appUrl}/api/settings`, key ?? null] as const);

  step("the tunnel's hostname serves Canvas' key-free entry: the page carries no session key and asks for it, and the API refuses requests without the key or with a wrong one", async () => {
    const { stdout: servicesJson } = await k(["get", "services", "-n", namespace, "-o", "json"]);
    standIn = await startIngressStandIn({ name: "tunnel-edge-canvas", listen: { host: inject("nodeIp"), port: 443 }, routes: tunnelRoutes(hostname, service, JSON.parse(servicesJson).items), tls: await caSignedCert([hostname]) });
    const opened = await flow.step("key-free-entry", () => openCanvas(session.page, appUrl));
    expect(opened.askedForKey, "the page asks for the session key").toBe(true);
    expect(opened.injectedKey, "no key written into the page").toBeUndefined();
    expect(await session.page.content()).not.toContain(sessionKey);
    expect([401, 403], "the API without a key").toContain(await settingsStatus());
    expect([401, 403], "the API with a wrong key").toContain(await settingsStatus(randomBytes(32).toString("hex")));
  });

  step("with the session key Secrets Manager served, the page connects to its backend", async () => {
    await flow.step("key-entered", () => openCanvas(session.page, appUrl, sessionKey));
    expect(await settingsStatus(sessionKey), "the API with the served key").toBe(200);
  });

  step("holds a conversation with the profile the chart seeds from llm.*: the command runs in the Canvas container and the reply carries its computed output", async () => {
    const { stdout: log } = await eventually(() => k(["logs", "-n", namespace, pod, "-c", "canvas-llm-profile"], { reject: false }), (r) => r.stdout.includes("canvas-llm-profile: done"), 120);
    expect(log).toContain("profile chart is the active profile");
    const sent = Date.now();
    await flow.step("conversation-started", () => startConversation(session.page, appUrl, v.message));
    await flow.step("agent-replied", () => waitForReply(session.page, v.expectReply, 300_000));
    entry.secondsToFirstReply = seconds(sent);
    console.log(`${presetName}: first reply ${entry.secondsToFirstReply}s after sending`);
    await flow.step("command-output", () => revealEventText(session.page, "Run the requested command", v.expectOutput));
    const chats = llm.chatRequests();
    expect(chats.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
    for (const request of chats) expect(request.apiKey, "the chart profile's key").toBe(chartProfileKey);
    entry.notes.push(`tunnel hostname ${hostname} through the edge stand-in; keys from the operator`);
  }, 900_000);
});
