// The blog-dind preset (OpenHands 0.28 with a Docker daemon sidecar) holds a conversation on the
// node: `helm install` of ci/blog-dind-values.yaml with the 0.28 app image the preset names and
// llm.* pointing at a scripted LLM on the node's link, the seed-llm-settings init container, the
// 0.28 runtime image loaded into the pod's daemon (which reaches no registry), and a client that
// speaks as 0.28's UI does (its wheel ships none) through `kubectl port-forward`: the app starts
// the runtime in the sidecar's daemon, the agent runs the scripted command there, and its output
// comes back. Two values differ from the preset, both for this machine: the daemon image is the
// suite's Debian dockerd under the chart's default reference, and the state claim takes the
// node's default StorageClass (the preset names Longhorn).
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { chartImageRefs, presetSandboxRef } from "../../ts/runtime/image/refs.ts";
import { freePort, waitForHttp } from "../../ts/runtime/net.ts";
import { importImage, loadIntoPodDocker } from "../../ts/runtime/node/node.ts";
import { holdV0Conversation } from "../../ts/runtime/v0-conversation.ts";
import { k } from "./kube.ts";
import { presetRequested } from "./selection.ts";
import { expectCommandRan, finishV0Release, installV0Release, scriptedAnswers, secondsSince, v0Release } from "./v0-release.ts";

// Like the node-free 0.28 suites, this runs when RUNTIME_PRESETS names blog-dind or all, or is
// unset; .ci/run's default list leaves it out (the images are 1.8 and 2.9 GB).
const runsHere = presetRequested("blog-dind");

const run = v0Release("blog-dind", "blog-dind (0.28, socket.io client)", "blog-dind");
const { release, namespace } = run;
const service = `${release}-openhands`;
const apiKey = "sk-blog-dind-on-the-node";
const command = "echo hello-from-blog-dind $((6 * 7))";

describe.runIf(runsHere)("preset blog-dind (OpenHands 0.28, DinD) holds a conversation on the node", () => {
  let images: BuiltImage[];
  let llmPort: number;
  let appPort: number;
  let pod = "";

  beforeAll(async () => {
    // The builds run in their own process: their long synchronous steps would stall this worker.
    const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "app-0.28,runtime-0.28,dind"], { cwd: repoRoot, stderr: "inherit" });
    images = JSON.parse(build.stdout) as BuiltImage[];
    for (const image of images.filter((i) => i.name !== "runtime-0.28")) await importImage(image.tar);
    llmPort = await freePort();
    appPort = await freePort();
  }, 3_600_000);

  afterAll(() => finishV0Release(run));

  it("installs with the 0.28 app image, seeds llm.* and becomes Ready", async () => {
    await k(["create", "namespace", namespace]);
    await k(["label", "namespace", namespace, "pod-security.kubernetes.io/enforce=privileged"]);
    await k(["create", "secret", "generic", "llm-key", "-n", namespace, `--from-literal=api-key=${apiKey}`]);
    const dindTag = chartImageRefs().dind.split(":").pop()!;
    pod = await installV0Release(run, [
      "-f", "ci/blog-dind-values.yaml",
      // A model 0.28 knows calls functions natively (its CodeActAgent offers tools to those only).
      "--set", "llm.model=openai/gpt-4o",
      "--set", `llm.baseUrl=http://${inject("hostIp")}:${llmPort}/v1`,
      "--set", "llm.apiKey.existingSecret=llm-key",
      "--set", "dind.image.registry=docker.io", "--set", "dind.image.repository=library/docker", "--set", `dind.image.tag=${dindTag}`,
      "--set", "persistence.state.storageClass=",
    ]);
    const { stdout: seedLog } = await k(["logs", "-n", namespace, pod, "-c", "seed-llm-settings"]);
    expect(seedLog).toContain("seeded the LLM settings: model openai/gpt-4o");
    const { stdout: image } = await k(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={.spec.containers[?(@.name==\"openhands\")].image}"]);
    expect(image).toBe("docker.all-hands.dev/all-hands-ai/openhands:0.28");
  }, 900_000);

  it("loads the 0.28 runtime image into the pod's Docker daemon", async () => {
    const runtime = images.find((i) => i.name === "runtime-0.28")!;
    expect(runtime.ref).toBe(presetSandboxRef("blog-dind-values.yaml"));
    const started = Date.now();
    await loadIntoPodDocker(runtime.tar, { namespace, name: pod, container: "dind" });
    console.log(`blog-dind: runtime image loaded into the pod's daemon in ${secondsSince(started)}s`);
    const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"]);
    expect(stdout.split("\n")).toContain(runtime.ref);
  }, 900_000);

  it("holds a conversation: the agent's command runs in the runtime the app started in the pod's daemon, and its output comes back", async () => {
    run.portForward = execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), "port-forward", "-n", namespace, `service/${service}`, `${appPort}:3000`], { reject: false });
    await waitForHttp(`http://127.0.0.1:${appPort}/api/options/config`, 60_000);
    const result = await holdV0Conversation({
      appUrl: `http://127.0.0.1:${appPort}`,
      llmHost: inject("hostIp"),
      llmPort,
      command,
      expectedOutput: "hello-from-blog-dind 42",
      message: "Please print the greeting.",
      appTimeoutSeconds: 60,
      conversationTimeoutSeconds: 600,
    });
    const { stdout: logs } = await k(["logs", "-n", namespace, pod, "-c", "openhands", "--tail", "60"], { reject: false });
    expectCommandRan(run, result, logs);
    // The app's LLM calls carried the chart's model and the Secret's key.
    const withTools = result.llmCalls.filter((c) => c.tools.length > 0);
    expect(withTools.map((c) => c.answer)).toEqual(scriptedAnswers(run));
    for (const call of withTools) expect(call).toMatchObject({ path: "/v1/chat/completions", model: "gpt-4o", apiKey });
    // The runtime ran in the sidecar's daemon, from the preset's sandbox image.
    const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "ps", "-a", "--format", "{{.Image}} {{.Names}}"]);
    expect(stdout).toContain(`${presetSandboxRef("blog-dind-values.yaml")} openhands-runtime-`);
  }, 900_000);
});
