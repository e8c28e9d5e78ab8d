// The OpenHands 0.28 app (GUI server) image that ci/blog-dind-values.yaml names, built here
// (ts/runtime/images.ts, `app-0.28`), holding a real conversation under a Docker daemon of its
// own the way the blog DinD pod runs it: the chart's seed-llm-settings init container (its
// command, in the same image) seeds the state directory, then the app container starts with
// the rendered environment and command, the daemon's socket where the pod's dind sidecar puts
// it, the pod's host.docker.internal alias and the pod's network (the daemon's own namespace,
// as the sidecar shares the pod's). The app starts the 0.28 runtime image in that daemon. A
// client speaks to it as the release's UI does (POST /api/conversations, socket.io with the
// conversation id, a user message as `oh_action`); a scripted LLM runs one shell command and
// finishes. Needs no node.
import path from "node:path";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { render, type K8sObject } from "../../ts/lib/render.ts";
import { clusterApiVersions } from "../../ts/lib/presets.ts";
import { serverDeployment } from "../../ts/lib/workload.ts";
import { kubeletEnvWithSecrets } from "../../ts/runtime/app-probe.ts";
import { containerOf, dockerEnvFlags, mountPathOf } from "../../ts/runtime/container-command.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { presetAppRef, presetSandboxRef } from "../../ts/runtime/image/refs.ts";
import type { V0ConversationResult } from "../../ts/runtime/v0-conversation.ts";
import { presetRequested } from "./selection.ts";

const llmPort = 24680;
const chartKey = "sk-blog-dind-app-key";
const marker = "hello-from-the-0.28-app";
const command = `echo ${marker} $((6 * 7))`;

let daemon: DockerDaemon;
let images: BuiltImage[];
let deployment: K8sObject;
let scratch: string;
let appContainer = "";
let result: V0ConversationResult;
const workspaceBase = "/opt/workspace_base";
let workspaceBaseExisted = true;

/** A container's environment as the kubelet sets it, with the LLM key Secret filled. */
const podEnv = (name: string) => kubeletEnvWithSecrets(deployment, name, { "secret:llm-key/api-key": chartKey });
const envFlags = dockerEnvFlags;
const mountPath = (container: string, volume: string) => mountPathOf(deployment, container, volume);

function appLogs(): string {
  if (!appContainer) return "";
  const r = daemon.docker(["logs", "--tail", "80", appContainer], { allowFailure: true });
  return `${r.stdout}${r.stderr}`;
}

// Like the 0.28 runtime image's suite, this runs when RUNTIME_PRESETS names blog-dind or all,
// or is unset (a plain `npm run test:runtime`); .ci/run's default list leaves it out.
const runsHere = presetRequested("blog-dind");

describe.runIf(runsHere)("the 0.28 app image holds a conversation (RUNTIME_PRESETS blog-dind)", () => {
  beforeAll(async () => {
    // A model 0.28 knows calls functions natively (its CodeActAgent offers tools to those only).
    const values = { llm: { model: "openai/gpt-4o", baseUrl: `http://127.0.0.1:${llmPort}/v1`, apiKey: { existingSecret: "llm-key" } } };
    deployment = serverDeployment((await render({ valuesFiles: ["ci/blog-dind-values.yaml"], values, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects);
    // The builds run in their own process: their long synchronous steps would stall this worker.
    const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "app-0.28,runtime-0.28"], { cwd: repoRoot, stderr: "inherit" });
    images = JSON.parse(build.stdout) as BuiltImage[];
    daemon = await startDockerDaemon("app-v0");
    const loadStarted = Date.now();
    for (const image of images) await daemon.load(image.tar, image.ref);
    console.log(`${images.map((i) => `${i.name}: ${i.cached ? "cached" : "built"} in ${i.seconds}s`).join(", ")}; loaded in ${Math.round((Date.now() - loadStarted) / 1000)}s`);
    scratch = mkdtempSync(path.join(tmpdir(), "app-v0-"));
    // The app's workspace base (the image's WORKSPACE_BASE) is a bind source the daemon creates
    // on its machine; in the pod that is the dind sidecar, here the host. It is removed after.
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

  it("is tagged with the app image the blog DinD preset names", () => {
    const app = images.find((i) => i.name === "app-0.28")!;
    expect(app.ref).toBe(presetAppRef("blog-dind-values.yaml"));
    expect(app.ref).toBe("docker.all-hands.dev/all-hands-ai/openhands:0.28");
    expect(images.find((i) => i.name === "runtime-0.28")!.ref).toBe(presetSandboxRef("blog-dind-values.yaml"));
  });

  it("runs the chart's seed-llm-settings container command, which seeds the state directory", () => {
    const seed = containerOf(deployment, "seed-llm-settings");
    expect(seed.image).toBe(presetAppRef("blog-dind-values.yaml"));
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
    expect(`${r.stdout}${r.stderr}`).toContain("into new settings");
    expect(readdirSync(state).length).toBeGreaterThan(0);
  });

  it("starts as the pod runs it, starts the 0.28 runtime in the daemon, and holds a conversation through socket.io", async () => {
    const app = containerOf(deployment, "openhands");
    const env = podEnv("openhands");
    // The pod's dind sidecar shares its socket through an emptyDir; here the daemon's socket is mounted there.
    const socketInPod = new URL(env.DOCKER_HOST.replace("unix://", "file://")).pathname;
    expect(path.dirname(socketInPod)).toBe(mountPath("openhands", "docker-socket"));
    const aliases = (((deployment as any).spec.template.spec.hostAliases ?? []) as { ip: string; hostnames: string[] }[]).flatMap((a) =>
      a.hostnames.flatMap((h) => ["--add-host", `${h}:${a.ip}`]),
    );
    expect(aliases).toEqual(["--add-host", "host.docker.internal:127.0.0.1"]);
    appContainer = daemon
      .docker([
        "run", "-d", "--name", `openhands-app-${process.pid}`,
        // The pod's network: the one the daemon (the sidecar) publishes the runtime's ports in.
        "--network", "host", ...aliases,
        "-v", `${path.join(scratch, "state")}:${mountPath("openhands", "state")}`,
        "-v", `${daemon.socket}:${socketInPod}`,
        ...envFlags(env),
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
            llmPort,
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
    console.log(`app-0.28: answering ${result.seconds.appReady}s after the driver started, conversation created at ${result.seconds.created}s, ended (${result.ended}) at ${result.seconds.finished}s`);
    expect(result.created.status, JSON.stringify(result.created)).toBe(200);
    expect(result.created.body.status).toBe("ok");
    expect(result.ended, `${JSON.stringify(result.agentStates)}\n${appLogs()}`).toBe("finished");
  }, 900_000);

  it("the scripted command's output comes back as a run observation", () => {
    expect(result, "no conversation was held").toBeDefined();
    const run = result.events.find((e) => e.observation === "run" && e.extras?.command === command);
    expect(run, JSON.stringify(result.events.map((e) => e.action ?? e.observation))).toBeDefined();
    expect(run.content.trim()).toContain(`${marker} 42`);
    expect(run.extras.metadata.exit_code).toBe(0);
    // The command came from the agent, which the LLM told to run it.
    expect(result.events.some((e) => e.action === "run" && e.source === "agent" && e.args?.command === command)).toBe(true);
  });

  it("the agent finishes with the scripted message, and the LLM got the chart's model, key and 0.x's shell tool", () => {
    expect(result, "no conversation was held").toBeDefined();
    const finish = result.events.find((e) => e.action === "finish");
    expect(finish, JSON.stringify(result.events.map((e) => e.action ?? e.observation))).toBeDefined();
    expect(JSON.stringify(finish.args)).toContain(`${marker} 42`);
    expect(result.agentStates).toContain("running");
    expect(result.agentStates.at(-1)).toBe("finished");
    const withTools = result.llmCalls.filter((c) => c.tools.length > 0);
    expect(withTools.map((c) => c.answer)).toEqual(["command", "finish"]);
    for (const call of withTools) {
      expect(call).toMatchObject({ path: "/v1/chat/completions", model: "gpt-4o", apiKey: chartKey });
      expect(call.tools).toContain("execute_bash");
    }
    // The user's message reached the LLM through the app.
    const messages = result.events.filter((e) => e.action === "message" && e.source === "user");
    expect(messages.map((m) => m.args.content)).toContain("Please print the greeting.");
  });

  it("the runtime container the app started runs the preset's sandbox image in the daemon", () => {
    const rows = daemon.docker(["ps", "-a", "--format", "{{.Image}} {{.Names}}"]).stdout.trim().split("\n");
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${presetSandboxRef("blog-dind-values.yaml").replace(/[.]/g, "\\.")} openhands-runtime-`)));
  });
});
