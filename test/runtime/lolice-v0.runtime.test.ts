// The OpenHands 0.27 app and runtime images that ci/lolice-values.yaml names, built here
// (ts/runtime/images.ts, `app-0.27` and `runtime-0.27`), holding a real conversation under a
// Docker daemon of its own the way the lolice pod runs it: the chart's seed-llm-settings init
// container (its command, in the same image) seeds the Bedrock model and a placeholder key into
// the state directory, then the app container starts with the rendered environment (the
// Secret's AWS key pair filled with test values) and command, the daemon's socket at the path
// the preset's hostDocker mode mounts the node's socket, and the pod's host network (here the
// daemon's own namespace, which the daemon publishes the runtime's ports in). The app starts the
// 0.27 runtime image in that daemon. A client speaks to it as the release's UI does; a scripted
// stand-in for the Bedrock runtime endpoint (fake-bedrock.ts, reached through LiteLLM's
// AWS_BEDROCK_RUNTIME_ENDPOINT) answers the Converse calls: one `execute_bash` tool use, then
// `finish`. Needs no node.
import path from "node:path";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { parse } from "yaml";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { render, type K8sObject } from "../../ts/lib/render.ts";
import { clusterApiVersions } from "../../ts/lib/presets.ts";
import { serverDeployment } from "../../ts/lib/workload.ts";
import { kubeletEnvWithSecrets } from "../../ts/runtime/app-probe.ts";
import { containerOf, dockerEnvFlags, mountPathOf } from "../../ts/runtime/container-command.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { presetAppRef, presetSandboxRef } from "../../ts/runtime/image/refs.ts";
import { parseSigV4, sigV4SignedWith } from "../../ts/runtime/fake-bedrock.ts";
import type { V0ConversationResult } from "../../ts/runtime/v0-conversation.ts";
import { presetRequested } from "./selection.ts";

const presetFile = "lolice-values.yaml";
const preset = parse(readFileSync(path.join(repoRoot, "ci", presetFile), "utf8"));
const presetModel: string = preset.llm.model;
const presetRegion: string = preset.llm.bedrock.region;
const bedrockPort = 24681;
const accessKeyId = "AKIALOLICECONVERSATION";
const secretAccessKey = "fake/secret+access+key/for+the+lolice+conversation";
const secretValues: Record<string, string> = {
  "secret:parameter-reader-credentials/AWS_ACCESS_KEY_ID": accessKeyId,
  "secret:parameter-reader-credentials/AWS_SECRET_ACCESS_KEY": secretAccessKey,
};
// What the test adds to the app container: the stand-in's address, the cost map in the image
// (the daemon's namespace has no way out), and no instance metadata lookups.
const testEnv = {
  AWS_BEDROCK_RUNTIME_ENDPOINT: `http://127.0.0.1:${bedrockPort}`,
  LITELLM_LOCAL_MODEL_COST_MAP: "True",
  AWS_EC2_METADATA_DISABLED: "true",
};
const marker = "hello-from-the-0.27-app";
const command = `echo ${marker} $((6 * 7))`;

let daemon: DockerDaemon;
let images: BuiltImage[];
let deployment: K8sObject;
let scratch: string;
let appContainer = "";
let result: V0ConversationResult;
const workspaceBase = "/opt/workspace_base";
let workspaceBaseExisted = true;

/** A container's environment as the kubelet sets it, with the AWS key Secret filled. */
const podEnv = (name: string) => kubeletEnvWithSecrets(deployment, name, secretValues);
const envFlags = dockerEnvFlags;
const mountPath = (container: string, volume: string) => mountPathOf(deployment, container, volume);

/** A hostPath volume's path on the node. */
function hostPathOf(volume: string): string {
  const found = ((deployment as any).spec.template.spec.volumes ?? []).find((v: any) => v.name === volume);
  if (!found?.hostPath) throw new Error(`the pod has no hostPath volume ${volume}`);
  return found.hostPath.path;
}

function appLogs(): string {
  if (!appContainer) return "";
  const r = daemon.docker(["logs", "--tail", "80", appContainer], { allowFailure: true });
  return `${r.stdout}${r.stderr}`;
}

// Like the 0.28 app image's suite, this runs when RUNTIME_PRESETS names lolice or all, or is
// unset (a plain `npm run test:runtime`); .ci/run's default list leaves it out.
const runsHere = presetRequested("lolice");

describe.runIf(runsHere)("the 0.27 app image holds a Bedrock conversation as the lolice pod runs it (RUNTIME_PRESETS lolice)", () => {
  beforeAll(async () => {
    deployment = serverDeployment((await render({ valuesFiles: [`ci/${presetFile}`], apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects);
    // The builds run in their own process: their long synchronous steps would stall this worker.
    const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "app-0.27,runtime-0.27"], { cwd: repoRoot, stderr: "inherit" });
    images = JSON.parse(build.stdout) as BuiltImage[];
    daemon = await startDockerDaemon("lolice-v0");
    const loadStarted = Date.now();
    for (const image of images) await daemon.load(image.tar, image.ref);
    console.log(`${images.map((i) => `${i.name}: ${i.cached ? "cached" : "built"} in ${i.seconds}s`).join(", ")}; loaded in ${Math.round((Date.now() - loadStarted) / 1000)}s`);
    scratch = mkdtempSync(path.join(tmpdir(), "lolice-v0-"));
    // The workspace hostPath (and the runtime's bind source) is a node directory; here the
    // daemon's machine is the host. It is removed after when the test made it.
    workspaceBaseExisted = existsSync(workspaceBase);
  }, 3600_000);

  afterAll(async () => {
    if (process.env.KEEP_APP_LOGS) console.log(appLogs());
    try {
      await daemon?.stop();
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      if (!workspaceBaseExisted && existsSync(workspaceBase) && readdirSync(workspaceBase).length === 0) rmSync(workspaceBase, { recursive: true });
    }
  });

  it("is tagged with the app and runtime images the lolice preset names", () => {
    const app = images.find((i) => i.name === "app-0.27")!;
    expect(app.ref).toBe(presetAppRef(presetFile));
    expect(app.ref).toBe("docker.all-hands.dev/all-hands-ai/openhands:0.27");
    const runtime = images.find((i) => i.name === "runtime-0.27")!;
    expect(runtime.ref).toBe(presetSandboxRef(presetFile));
    expect(runtime.ref).toBe("docker.all-hands.dev/all-hands-ai/runtime:0.27-nikolaik");
    // The app starts the runtime the chart names.
    expect(podEnv("openhands").SANDBOX_RUNTIME_CONTAINER_IMAGE).toBe(runtime.ref);
  });

  it("runs the chart's seed-llm-settings container command, which seeds the preset's Bedrock model and a placeholder key", () => {
    const seed = containerOf(deployment, "seed-llm-settings");
    expect(seed.image).toBe(presetAppRef(presetFile));
    const state = path.join(scratch, "state");
    mkdirSync(state);
    const r = daemon.docker([
      "run", "--rm", "--network", "none",
      "-v", `${state}:${mountPath("seed-llm-settings", "state")}`,
      "-v", `${path.join(repoRoot, "files")}:${mountPath("seed-llm-settings", "chart-scripts")}:ro`,
      ...envFlags(podEnv("seed-llm-settings")),
      ...(seed.command ? ["--entrypoint", seed.command[0]!] : []),
      seed.image!, ...(seed.command ?? []).slice(1), ...(seed.args ?? []),
    ]);
    expect(`${r.stdout}${r.stderr}`).toContain(`seeded the LLM settings: model ${presetModel}`);
    const stored = JSON.parse(readFileSync(path.join(state, "settings.json"), "utf8"));
    expect(stored).toMatchObject({ llm_model: presetModel, llm_base_url: null });
  });

  it("starts as the pod runs it, starts the 0.27 runtime in the daemon, and holds a conversation through socket.io with Bedrock", async () => {
    const pod = (deployment as any).spec.template.spec;
    const app = containerOf(deployment, "openhands");
    const env = podEnv("openhands");
    for (const name of Object.keys(testEnv)) expect(env, `the chart sets ${name}`).not.toHaveProperty(name);
    // hostDocker: the node's socket, mounted where DOCKER_HOST points; the pod on the node's network.
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostAliases).toBeUndefined();
    const socketInPod = new URL(env.DOCKER_HOST.replace("unix://", "file://")).pathname;
    expect(socketInPod).toBe(mountPath("openhands", "docker-socket"));
    expect(hostPathOf("docker-socket")).toBe(preset.sandbox.hostDocker.socketPath);
    expect(hostPathOf("workspace")).toBe(workspaceBase);
    appContainer = daemon
      .docker([
        "run", "-d", "--name", `openhands-app-${process.pid}`,
        // The node's network: the daemon's own namespace, where it publishes the runtime's ports.
        "--network", "host",
        "-v", `${path.join(scratch, "state")}:${mountPath("openhands", "state")}`,
        "-v", `${daemon.socket}:${socketInPod}`,
        "-v", `${hostPathOf("workspace")}:${mountPath("openhands", "workspace")}`,
        ...envFlags({ ...env, ...testEnv }),
        ...(app.command ? ["--entrypoint", app.command[0]!] : []),
        app.image!, ...(app.command ?? []).slice(1), ...(app.args ?? []),
      ])
      .stdout.trim();

    const driver = await execa(
      "nsenter",
      ["--net", "--target", String(daemon.pid()), "--", path.join(repoRoot, "node_modules/.bin/tsx"), "ts/runtime/v0-conversation.ts"],
      {
        cwd: repoRoot,
        reject: false,
        env: {
          V0_CONVERSATION: JSON.stringify({
            appUrl: "http://127.0.0.1:3000",
            llmPort: bedrockPort,
            llm: "bedrock",
            command,
            message: "Please print the greeting.",
            appTimeoutSeconds: 180,
            conversationTimeoutSeconds: 600,
          }),
        },
      },
    );
    expect(driver.exitCode, `${driver.stderr}\n${appLogs()}`).toBe(0);
    result = JSON.parse(driver.stdout) as V0ConversationResult;
    console.log(`app-0.27: answering ${result.seconds.appReady}s after the driver started, conversation created at ${result.seconds.created}s, ended (${result.ended}) at ${result.seconds.finished}s`);
    expect(result.created.status, JSON.stringify(result.created)).toBe(200);
    expect(result.created.body.status).toBe("ok");
    expect(result.ended, `${JSON.stringify(result.agentStates)}\n${JSON.stringify(result.llmCalls)}\n${appLogs()}`).toBe("finished");
  }, 900_000);

  it("the scripted command's output comes back as a run observation", () => {
    expect(result, "no conversation was held").toBeDefined();
    const run = result.events.find((e) => e.observation === "run" && e.extras?.command === command);
    expect(run, JSON.stringify(result.events.map((e) => e.action ?? e.observation))).toBeDefined();
    expect(run.content.trim()).toContain(`${marker} 42`);
    expect(run.extras.metadata.exit_code).toBe(0);
    // The command came from the agent, which the model told to run it.
    expect(result.events.some((e) => e.action === "run" && e.source === "agent" && e.args?.command === command)).toBe(true);
  });

  it("the agent finishes with the scripted message after the tool result", () => {
    expect(result, "no conversation was held").toBeDefined();
    const finish = result.events.find((e) => e.action === "finish");
    expect(finish, JSON.stringify(result.events.map((e) => e.action ?? e.observation))).toBeDefined();
    expect(JSON.stringify(finish.args)).toContain(`${marker} 42`);
    expect(result.agentStates).toContain("running");
    expect(result.agentStates.at(-1)).toBe("finished");
    const withTools = result.llmCalls.filter((c) => c.tools.length > 0);
    expect(withTools.map((c) => c.answer)).toEqual(["command", "finish"]);
    for (const call of withTools) expect(call.tools).toEqual(expect.arrayContaining(["execute_bash", "finish"]));
    const messages = result.events.filter((e) => e.action === "message" && e.source === "user");
    expect(messages.map((m) => m.args.content)).toContain("Please print the greeting.");
  });

  it("every Bedrock request was a Converse call naming the preset's model, SigV4-signed for its region with the Secret's key pair", () => {
    expect(result, "no conversation was held").toBeDefined();
    const requests = result.bedrockRequests ?? [];
    expect(requests.length).toBeGreaterThanOrEqual(2);
    const modelId = presetModel.replace(/^bedrock\//, "");
    for (const request of requests) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe(`/model/${modelId}/converse`);
      expect(parseSigV4(request.headers.authorization)).toMatchObject({ accessKeyId, region: presetRegion, service: "bedrock" });
      expect(sigV4SignedWith(request, secretAccessKey)).toBe(true);
      // The check tells another key apart.
      expect(sigV4SignedWith(request, `${secretAccessKey}x`)).toBe(false);
    }
    expect(presetRegion).toBe("ap-northeast-1");
    expect(modelId).toBe("us.anthropic.claude-3-7-sonnet-20250219-v1:0");
    // The tool's result went back to Bedrock as a toolResult block of the execute_bash tool use.
    const finishRequest = requests.find((r) => r.answer === "finish")!;
    const results = JSON.parse(finishRequest.body).messages.flatMap((m: any) => (m.content ?? []).filter((b: any) => b.toolResult));
    expect(JSON.stringify(results)).toContain(`${marker} 42`);
  });

  it("the runtime container the app started runs the preset's sandbox image in the daemon", () => {
    const rows = daemon.docker(["ps", "-a", "--format", "{{.Image}} {{.Names}}"]).stdout.trim().split("\n");
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${presetSandboxRef(presetFile).replace(/[.]/g, "\\.")} openhands-runtime-`)));
  });
});
