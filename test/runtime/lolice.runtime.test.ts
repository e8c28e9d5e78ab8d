// The lolice preset (OpenHands 0.27, the node's own Docker daemon, host networking, Bedrock)
// holds a conversation on the node: `helm install` of ci/lolice-values.yaml with the 0.27 app
// image the preset names, the seed-llm-settings init container storing the preset's Bedrock
// model, the pod on the node's network with a Docker daemon of the node's own (in the node's
// network namespace) mounted as hostDocker mounts one, and the 0.27 runtime image loaded into
// that daemon. The app starts the runtime there, on the node's ports; the agent's Bedrock calls,
// signed with the key pair of the Secret the preset's ExternalSecret fills, reach a scripted
// Converse stand-in (fake-bedrock.ts) through LiteLLM's AWS_BEDROCK_RUNTIME_ENDPOINT. A client
// speaks to the app as 0.27's UI does, at the node's address on port 3000 (host networking).
//
// What differs from the preset, all for this machine: no External Secrets operator and no
// Cloudflare edge here, so the test creates the Secret the ExternalSecret would write and turns
// the tunnel off; the daemon's socket, the node's name and a node directory for the workspace
// replace golyat-1's; the state claim takes the node's default StorageClass (the preset names
// Longhorn); the app gets the stand-in's endpoint through openhands.env.
import path from "node:path";
import { readFileSync } from "node:fs";
import { execa } from "execa";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { parseSigV4, sigV4SignedWith } from "../../ts/runtime/fake-bedrock.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { presetAppRef, presetSandboxRef } from "../../ts/runtime/image/refs.ts";
import { freePort, waitForHttp } from "../../ts/runtime/net.ts";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { startDockerDaemon, type DockerDaemon } from "../../ts/runtime/docker-daemon.ts";
import { importImage } from "../../ts/runtime/node/node.ts";
import { netnsPath, nodeName, stateDir as nodeStateDir } from "../../ts/runtime/node/layout.ts";
import { holdV0Conversation } from "../../ts/runtime/v0-conversation.ts";
import { k } from "./kube.ts";
import { presetRequested } from "./selection.ts";
import { expectCommandRan, finishV0Release, installV0Release, scriptedAnswers, secondsSince, v0Release } from "./v0-release.ts";


const presetFile = "lolice-values.yaml";
const preset = parse(readFileSync(path.join(repoRoot, "ci", presetFile), "utf8"));
const presetModel: string = preset.llm.model;
const presetRegion: string = preset.llm.bedrock.region;
const accessKeyId = "AKIALOLICEONTHENODE";
const secretAccessKey = "fake/secret+access+key/for+lolice+on+the+node";
const marker = "hello-from-lolice-on-the-node";
// The command counts its runs in the runtime, and the script expects the second: the agent
// runs it twice, so every run shows that 0.27 takes the same command again and returns its new
// output (what the scripts rely on when 0.x's shell returns an empty result, script-step.ts).
const command = `mkdir -p /tmp/runs && mktemp -p /tmp/runs >/dev/null && echo ${marker} $((6 * 7)) run $(ls /tmp/runs | wc -l)`;
const expectedOutput = `${marker} 42 run 2`;

// The preset's host networking, and the pod on the pod network (sandbox.hostDocker.hostNetwork
// false), where the app reaches the runtime at the node's address and the client through
// `kubectl port-forward`.
// Like blog-dind, each runs when RUNTIME_PRESETS names it (lolice, lolice-pod-network) or all,
// or is unset; .ci/run's list names the preset as it is.
const variants = [
  { release: "lolice", hostNetwork: true },
  { release: "lolice-pod-network", hostNetwork: false },
].filter(({ release }) => presetRequested(release));

describe.runIf(variants.length > 0).each(variants)("preset lolice (OpenHands 0.27, the node's Docker daemon, Bedrock) holds a conversation on the node: $release", ({ release, hostNetwork }) => {
  const run = v0Release("lolice", `lolice (0.27, node's daemon, Bedrock stand-in${hostNetwork ? "" : ", pod network"})`, release);
  const { namespace } = run;
  let images: BuiltImage[];
  let daemon: DockerDaemon;
  let bedrockPort: number;
  let pod = "";
  const appLogs = async () => (await k(["logs", "-n", namespace, pod, "-c", "openhands", "--tail", "80"], { reject: false })).stdout;
  // The runtime's own log (its action server's shell) for a failed conversation.
  const runtimeLogs = () => daemon.docker(["ps", "-a", "--filter", "name=openhands-runtime-", "--format", "{{.Names}}"], { allowFailure: true }).stdout.split("\n").filter(Boolean)
    .map((name) => { const { stdout, stderr } = daemon.docker(["logs", "--tail", "60", name], { allowFailure: true }); return `--- ${name} ---\n${stdout}${stderr}`; }).join("\n");

  beforeAll(async () => {
    // The builds run in their own process: their long synchronous steps would stall this worker.
    const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "app-0.27,runtime-0.27"], { cwd: repoRoot, stderr: "inherit" });
    images = JSON.parse(build.stdout) as BuiltImage[];
    await importImage(images.find((i) => i.name === "app-0.27")!.tar);
    daemon = await startDockerDaemon("node", { netns: netnsPath });
    // Its data root is kept between runs (images load once); runtimes of earlier runs are not.
    daemon.docker(["rm", "-f", ...daemon.docker(["ps", "-aq"]).stdout.split("\n").filter(Boolean)], { allowFailure: true });
    bedrockPort = await freePort();
  }, 3_600_000);

  afterAll(async () => {
    await finishV0Release(run);
    if (daemon) {
      daemon.docker(["rm", "-f", ...daemon.docker(["ps", "-aq"]).stdout.split("\n").filter(Boolean)], { allowFailure: true });
      await daemon.stop();
    }
  });

  it("loads the preset's 0.27 runtime image into the node's Docker daemon", async () => {
    const runtime = images.find((i) => i.name === "runtime-0.27")!;
    expect(runtime.ref).toBe(presetSandboxRef(presetFile));
    const started = Date.now();
    await daemon.load(runtime.tar, runtime.ref);
    console.log(`${release}: runtime image in the node's daemon after ${secondsSince(started)}s`);
    expect(daemon.docker(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split("\n")).toContain(runtime.ref);
  }, 1_800_000);

  it(`installs with the 0.27 app image ${hostNetwork ? "on the node's network" : "on the pod network"}, seeds the Bedrock model and becomes Ready`, async () => {
    await k(["create", "namespace", namespace]);
    // hostPath and host networking: the preset's pod is privileged in Pod Security's terms.
    await k(["label", "namespace", namespace, "pod-security.kubernetes.io/enforce=privileged"]);
    // What the preset's ExternalSecret writes (its target name and the keys llm.bedrock.secretKeys names).
    await k(["create", "secret", "generic", preset.externalSecrets.secrets.awsCredentials.targetName, "-n", namespace,
      `--from-literal=${preset.llm.bedrock.secretKeys.accessKeyId}=${accessKeyId}`,
      `--from-literal=${preset.llm.bedrock.secretKeys.secretAccessKey}=${secretAccessKey}`]);
    pod = await installV0Release(run, [
      "-f", `ci/${presetFile}`,
      "--set", "externalSecrets.enabled=false",
      "--set", `llm.bedrock.existingSecret=${preset.externalSecrets.secrets.awsCredentials.targetName}`,
      "--set", "tunnel.enabled=false",
      "--set-json", "affinity=null",
      "--set", `nodeSelector.kubernetes\\.io/hostname=${nodeName}`,
      "--set", `sandbox.hostDocker.socketPath=${daemon.socket}`,
      "--set", `sandbox.hostDocker.nodeAddress=${inject("nodeIp")}`,
      "--set", `sandbox.hostDocker.workspaceHostPath=${path.join(nodeStateDir, `workspace-${release}`)}`,
      "--set", "persistence.state.storageClass=",
      "--set", `sandbox.hostDocker.hostNetwork=${hostNetwork}`,
      "--set-json", `openhands.env=${JSON.stringify({
        AWS_BEDROCK_RUNTIME_ENDPOINT: `http://${inject("hostIp")}:${bedrockPort}`,
        // The node reaches no cost map online, nor instance metadata.
        LITELLM_LOCAL_MODEL_COST_MAP: "True",
        AWS_EC2_METADATA_DISABLED: "true",
      })}`,
    ]);
    const { stdout: seedLog } = await k(["logs", "-n", namespace, pod, "-c", "seed-llm-settings"]);
    expect(seedLog).toContain(`seeded the LLM settings: model ${presetModel}`);
    const { stdout: spec } = await k(["get", "pod", "-n", namespace, pod, "-o", "json"]);
    const podSpec = JSON.parse(spec).spec;
    expect(podSpec.hostNetwork ?? false).toBe(hostNetwork);
    expect(podSpec.nodeName).toBe(nodeName);
    expect(podSpec.containers.find((c: { name: string }) => c.name === "openhands").image).toBe(presetAppRef(presetFile));
  }, 900_000);

  it("holds a conversation: the runtime starts in the node's daemon, the agent's command runs there and its output comes back", async () => {
    expect(pod, "the release did not install").not.toBe("");
    // Host networking: the app listens on the node's own address; otherwise through the Service.
    let appUrl = `http://${inject("nodeIp")}:3000`;
    if (!hostNetwork) {
      const port = await freePort();
      run.portForward = execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), "port-forward", "-n", namespace, `service/${release}-openhands`, `${port}:${preset.service.port}`], { reject: false });
      appUrl = `http://127.0.0.1:${port}`;
      await waitForHttp(`${appUrl}/api/options/config`, 60_000);
    }
    const result = await holdV0Conversation({
      appUrl,
      llm: "bedrock",
      llmHost: inject("hostIp"),
      llmPort: bedrockPort,
      command,
      expectedOutput,
      message: "Please print the greeting.",
      appTimeoutSeconds: 120,
      conversationTimeoutSeconds: 600,
    });
    expectCommandRan(run, result, `${JSON.stringify(result.llmCalls)}\n${await appLogs()}\n${runtimeLogs()}`);
    // The runtime is a container of the node's daemon, from the preset's sandbox image, with its
    // ports published on the node (where the app on the node's network reaches them).
    const rows = daemon.docker(["ps", "--format", "{{.Image}} {{.Names}} {{.Ports}}"]).stdout.trim().split("\n");
    const runtimeRow = rows.find((r) => r.startsWith(`${presetSandboxRef(presetFile)} openhands-runtime-`));
    expect(runtimeRow, rows.join("\n")).toBeDefined();
    expect(runtimeRow, "the runtime's ports are published on the node's addresses").toMatch(/ 0\.0\.0\.0:(\d+)->\1\/tcp/);
    console.log(`${release}: ${runtimeRow}`);
  }, 900_000);

  it("every Bedrock call named the preset's model and was SigV4-signed for its region with the Secret's key pair", () => {
    expect(run.result, "no conversation was held").toBeDefined();
    const requests = run.result!.bedrockRequests ?? [];
    expect(requests.map((r) => r.answer).filter((a) => a !== "text")).toEqual(scriptedAnswers(run));
    const modelId = presetModel.replace(/^bedrock\//, "");
    for (const request of requests) {
      expect(request.path).toBe(`/model/${modelId}/converse`);
      expect(parseSigV4(request.headers.authorization)).toMatchObject({ accessKeyId, region: presetRegion, service: "bedrock" });
      expect(sigV4SignedWith(request, secretAccessKey)).toBe(true);
      expect(sigV4SignedWith(request, `${secretAccessKey}x`)).toBe(false);
    }
  });
});
