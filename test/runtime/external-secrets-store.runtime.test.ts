// The external-secrets-store preset (OpenHands 1.11.0, DinD sandboxes, a Bedrock model, every
// credential from AWS Secrets Manager) holds a conversation on the node, with nothing of the
// preset's values changed but the sandboxes' Bedrock endpoint:
// - the External Secrets Operator's own controller (ts/lib/external-secrets-operator.ts) runs
//   against the node's API server, which serves its CRDs; its AWS provider talks to an STS and
//   Secrets Manager stand-in (fake-aws-secrets.ts) that holds the preset's remote keys, and
//   fills the Secrets the release reads before its pod can start;
// - `helm install --wait` of ci/external-secrets-store-values.yaml, the seed storing the
//   preset's Bedrock model with the key pair from those Secrets;
// - the 1.11.0 UI in Chromium starts a conversation; the agent server in the pod's Docker
//   daemon calls Bedrock's Converse API, which a scripted stand-in (fake-bedrock.ts) on the
//   host end of the node's link answers (sandbox.env AWS_BEDROCK_RUNTIME_ENDPOINT, which
//   LiteLLM reads, stands where the region's public endpoint would be).
// Every Bedrock call must name the preset's model and be SigV4-signed for llm.bedrock.region
// with the key pair the operator fetched: the recomputed signature proves the secret key too.
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, inject } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { externalSecretsVersion } from "../../ts/lib/external-secrets-operator.ts";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets } from "../../ts/lib/presets.ts";
import { openBrowser, reportDir, type BrowserSession } from "../../ts/runtime/browser.ts";
import { parseSigV4, sigV4SignedWith, startFakeBedrock, type FakeBedrock } from "../../ts/runtime/fake-bedrock.ts";
import { buildRuntimeImages, type BuiltImage } from "../../ts/runtime/images.ts";
import { waitForHttp } from "../../ts/runtime/net.ts";
import { importImage, loadIntoPodDocker, nodeHasImage } from "../../ts/runtime/node/node.ts";
import { answerConsentWhenAsked, noteMissedLive, openHome, sendMessage, startConversation, waitForAgentReady, waitForReply } from "../../ts/runtime/ui-flow.ts";
import { secretData, startOperatorOnNode, type OperatorOnNode } from "./external-secrets-node.ts";
import { eventually, k } from "./kube.ts";
import { appLogWithoutSql, recordConversation, type ConversationRun } from "./report.ts";
import { presetRequested } from "./selection.ts";
import { chainedSteps } from "./steps.ts";

const presetName = "external-secrets-store";
const runsHere = presetRequested(presetName);
const preset = presets.find((p) => p.name === presetName)!;
const values = parse(readFileSync(path.join(repoRoot, "ci", `${presetName}-values.yaml`), "utf8"));
// The Secret keys the chart reads the Bedrock pair from (llm.bedrock.secretKeys, the preset keeps the defaults).
const bedrockKeys: { accessKeyId: string; secretAccessKey: string } = { ...parse(readFileSync(path.join(repoRoot, "values.yaml"), "utf8")).llm.bedrock.secretKeys, ...values.llm.bedrock.secretKeys };
const { awsCredentials, llmApiKey } = values.externalSecrets.secrets;
const presetModel: string = values.llm.model;
const release = "eso-store";
const namespace = release;
const suite = `${presetName} (External Secrets Operator ${externalSecretsVersion}, Bedrock stand-in)`;

const nonce = randomBytes(4).toString("hex");
// What the preset's remote keys hold in the stand-in store: the Bedrock pair read whole, and
// the LiteLLM proxy key as a property of a JSON secret.
const accessKeyId = `AKIAESOSTORE${nonce.toUpperCase()}`;
const secretAccessKey = `served/by+secrets+manager/${nonce}`;
const proxyApiKey = `sk-proxy-${nonce}`;
const marker = Number.parseInt(nonce.slice(0, 4), 16);
const command = `echo eso-store-$((${marker} + 1))-marker`;
const expectedOutput = `eso-store-${marker + 1}-marker`;
const expectedReply = `The sandbox printed ${expectedOutput}`;

const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

describe.runIf(runsHere)(`preset ${presetName} holds a conversation on the node with Secrets the External Secrets Operator filled`, () => {
  const entry: ConversationRun = { failures: [], notes: [] };
  let images: BuiltImage[];
  let eso: OperatorOnNode | undefined;
  let bedrock: FakeBedrock;
  let session: BrowserSession;
  let portForward: ResultPromise | undefined;
  let appUrl = "";
  let pod = "";

  const appLog = async () => appLogWithoutSql((await k(["logs", "-n", namespace, pod, "-c", "openhands"], { reject: false })).stdout);
  // What the pod's daemon ran: the sandbox containers and their logs.
  const sandboxContainers = async () =>
    (await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "sh", "-c", 'docker ps -a; for c in $(docker ps -aq); do echo "--- $c"; docker logs --tail 40 $c 2>&1; done'], { reject: false, timeout: 30_000 })).stdout;
  const secretOf = (name: string) => secretData(namespace, name);

  beforeAll(async () => {
    const started = Date.now();
    images = await buildRuntimeImages({ only: ["app", "agent-server", "dind", "gateway"] });
    for (const image of images.filter((i) => i.name !== "agent-server")) if (!(await nodeHasImage(image))) await importImage(image.tar);
    eso = await startOperatorOnNode(values.externalSecrets.store, {
      [awsCredentials.accessKeyIdRemoteKey]: accessKeyId,
      [awsCredentials.secretAccessKeyRemoteKey]: secretAccessKey,
      [llmApiKey.remoteKey]: JSON.stringify({ [llmApiKey.property]: proxyApiKey, unread: "not for the chart" }),
    });
    // Sandboxes in the pod's Docker daemon reach the host end of the node's link.
    bedrock = await startFakeBedrock(
      { command, finishMessage: (output) => `The sandbox printed ${output.match(/eso-store-\d+-marker/)?.[0] ?? "nothing"}`, title: "External secrets marker" },
      { host: inject("hostIp") },
    );
    rmSync(path.join(reportDir, "screenshots", presetName), { recursive: true, force: true });
    session = await openBrowser({ name: presetName });
    await answerConsentWhenAsked(session.page);
    console.log(`${presetName}: images, CRDs, operator and stand-ins ready in ${seconds(started)}s`);
  }, 3_600_000);

  afterAll(async () => {
    // The operator and its CRDs must go whatever else fails here: later suites share the node.
    try {
      recordConversation(presetName, suite, entry);
      portForward?.kill();
      await session?.close();
      await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
      await k(["delete", "namespace", namespace, "--wait=true", "--timeout=120s"], { reject: false });
      await bedrock?.close();
    } finally {
      await eso?.stop();
    }
  });

  const step = chainedSteps(entry, async (title, error) => {
    await session?.shot(`${title.replace(/\W+/g, "-").slice(0, 60)}-failed`).catch(() => undefined);
    const operatorLog = eso?.logTail(60) ?? "";
    writeFileSync(path.join(reportDir, `${presetName}-failure.log`), `${title}\n${error.message}\n--- app log\n${pod ? await appLog() : "no pod"}\n--- sandbox containers\n${pod ? await sandboxContainers() : "no pod"}\n--- operator log\n${operatorLog}\n`);
  });

  step("installs the preset unchanged but for the sandboxes' Bedrock endpoint; the pod starts once the operator filled its Secrets", async () => {
    await k(["create", "namespace", namespace]);
    await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${presetLevel(preset)}`]);
    const installedAt = Date.now();
    const install = await helm([
      "install", release, ".", "-n", namespace, "--wait", "--timeout", "600s",
      ...preset.valuesFiles.flatMap((f) => ["-f", f]),
      "--set-json", `sandbox.env=${JSON.stringify({ AWS_BEDROCK_RUNTIME_ENDPOINT: bedrock.endpoint.replace("127.0.0.1", inject("hostIp")) })}`,
    ]);
    if (install.exitCode !== 0) {
      const { stdout } = await k(["get", "pods,externalsecrets,secretstores", "-n", namespace, "-o", "wide"], { reject: false });
      throw new Error(`helm install failed after ${seconds(installedAt)}s:\n${install.all}\n${stdout}\n${eso?.logTail(30)}`);
    }
    entry.secondsToReady = seconds(installedAt);
    console.log(`${presetName}: helm install to Ready ${entry.secondsToReady}s`);
    pod = (await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={.items[0].metadata.name}"])).stdout.trim();
    expect(pod).not.toBe("");
  });

  step("the operator filled the Secrets the preset's ExternalSecrets name with the values Secrets Manager served, after assuming externalSecrets.store.role", async () => {
    const bedrockSecret = await eventually(() => secretOf(awsCredentials.targetName), (d) => d !== undefined, 60);
    expect(bedrockSecret).toEqual({ [bedrockKeys.accessKeyId]: accessKeyId, [bedrockKeys.secretAccessKey]: secretAccessKey });
    expect(await secretOf(llmApiKey.targetName)).toEqual({ [llmApiKey.secretKey]: proxyApiKey });
    const reads = eso!.aws.requests.filter((r) => r.operation === "secretsmanager:GetSecretValue");
    expect(new Set(reads.map((r) => r.secretId))).toEqual(new Set([awsCredentials.accessKeyIdRemoteKey, awsCredentials.secretAccessKeyRemoteKey, llmApiKey.remoteKey]));
    for (const r of reads) {
      expect(r).toMatchObject({ assumedRole: values.externalSecrets.store.role, region: values.externalSecrets.store.region });
      expect(r.refused).toBeUndefined();
    }
    const { stdout: seedLog } = await k(["logs", "-n", namespace, pod, "-c", "seed-llm-settings"]);
    expect(seedLog).toContain(`seeded the LLM settings: model ${presetModel}`);
  });

  step("loads the agent-server image into the pod's Docker daemon (a registry pull in real installs)", async () => {
    const agentServer = images.find((i) => i.name === "agent-server")!;
    await loadIntoPodDocker(agentServer.tar, { namespace, name: pod, container: "dind" });
    const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"]);
    expect(stdout.split("\n")).toContain(agentServer.ref);
  }, 900_000);

  step("the UI shows the seeded Bedrock model and holds a conversation: the agent's command runs in the sandbox and its output comes back", async () => {
    // As a user's `kubectl port-forward service/<release>-openhands 3000:3000`: the sandbox URLs
    // the app hands out carry that port.
    portForward = execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), "port-forward", "-n", namespace, `service/${release}-openhands`, "3000:3000"], { reject: false });
    appUrl = "http://localhost:3000";
    await waitForHttp(`${appUrl}/health`, 60_000);
    await openHome(session.page, appUrl);
    const settings = await session.page.evaluate(async (url) => (await fetch(url)).json(), `${appUrl}/api/v1/settings`);
    expect(settings.agent_settings.llm.model, "the seeded model").toBe(presetModel);
    const page = session.page;
    const started = Date.now();
    await startConversation(page, appUrl);
    await waitForAgentReady(page, 600_000);
    console.log(`${presetName}: conversation ready after ${seconds(started)}s`);
    const sent = Date.now();
    await sendMessage(page, "Please run the marker command.");
    noteMissedLive(entry.notes, presetName, (await waitForReply(session, expectedReply, 300_000)).missedLive);
    entry.secondsToFirstReply = seconds(sent);
    await session.shot("agent-replied");
    console.log(`${presetName}: first reply ${entry.secondsToFirstReply}s after sending`);
    expect(bedrock.requests.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
  }, 1_200_000);

  step("every Bedrock call named the preset's model and was SigV4-signed for llm.bedrock.region with the key pair the operator fetched (never the LiteLLM proxy key)", async () => {
    const calls = bedrock.requests;
    expect(calls.length).toBeGreaterThan(0);
    const modelId = presetModel.replace(/^bedrock\//, "");
    const apis = new Set<string>();
    for (const request of calls) {
      // ConverseStream for the agent's turns, Converse for calls that do not stream.
      const [, calledModel, api] = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(decodeURIComponent(request.path)) ?? [];
      expect(calledModel, request.path).toBe(modelId);
      apis.add(api);
      expect(parseSigV4(request.headers.authorization), request.headers.authorization).toMatchObject({ accessKeyId, region: values.llm.bedrock.region, service: "bedrock" });
      expect(sigV4SignedWith(request, secretAccessKey)).toBe(true);
      expect(sigV4SignedWith(request, `${secretAccessKey}x`)).toBe(false);
      expect(JSON.stringify(request.headers)).not.toContain(proxyApiKey);
      expect(request.body).not.toContain(proxyApiKey);
    }
    // The agent's turns stream (ConverseStream, the event stream encoding), not only the calls around them.
    expect(apis).toContain("converse-stream");
    const streamed = calls.filter((r) => r.path.endsWith("/converse-stream")).map((r) => r.answer);
    expect(streamed).toEqual(expect.arrayContaining(["command", "finish"]));
    entry.notes.push(`${calls.length} Bedrock calls (${[...apis].sort().join(", ")}), all signed with the operator-filled key pair for ${values.llm.bedrock.region}`);
  });
});
