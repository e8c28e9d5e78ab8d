// The v0-kubernetes-runtime preset on the node: the chart prepares the runtime namespace and
// the Role; the real OpenHands 0.62.0 server (its released code, from its own venv) runs with
// the rendered app container's environment and config.toml, holding nothing but the token of
// the chart's ServiceAccount (as its in-cluster config, in a mount namespace of its own), and
// a new conversation makes it create the runtime's claim, pod, Services and Ingress through
// that Role. The node schedules the pod and binds the claim in its default StorageClass (the
// chart omits an empty pvcStorageClass). The preset's 0.62 runtime image, built here
// (`runtime-0.62`), is in the node's containerd, so the pod starts; the server runs in the node's
// network namespace with the cluster's DNS, as a pod would, reaching the runtime at its
// Service's cluster name, and holds a conversation with a scripted LLM on the node's link.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { getObject, render, type K8sObject } from "../../ts/lib/render.ts";
import { kubeletEnvWithSecrets } from "../../ts/runtime/app-probe.ts";
import { reportDir } from "../../ts/runtime/browser.ts";
import { containerOf } from "../../ts/runtime/container-command.ts";
import { freePort, waitForHttp } from "../../ts/runtime/net.ts";
import { v0AppVenv } from "../../ts/runtime/v0-app-venv.ts";
import type { BuiltImage } from "../../ts/runtime/images.ts";
import { importImage, removeImage } from "../../ts/runtime/node/node.ts";
import { netnsPath, network } from "../../ts/runtime/node/layout.ts";
import { holdV0Conversation } from "../../ts/runtime/v0-conversation.ts";
import { runV0Seed } from "../../ts/runtime/v0-llm-probe.ts";
import { eventually, k } from "./kube.ts";
import { presetRequested } from "./selection.ts";
import { expectCommandRan, finishV0Release, helm, scriptedAnswers, v0Release } from "./v0-release.ts";

const version = "0.62.0";
const release = "v0-k8s";
const namespace = release;
const runtimeNamespace = `${release}-runtimes`;
const service = `${release}-openhands`;
const apiKey = "sk-v0-kubernetes-runtime";
// A model 0.x knows calls functions natively (its CodeActAgent offers tools to those only).
const model = "openai/gpt-4o";
const command = "echo hello-from-the-0.62-runtime-pod $((6 * 7))";
/** The chart's values; the scripted LLM listens on the host end of the node's link. */
const setArgs = (llmPort: number) =>
  [
    `sandbox.kubernetes.namespace=${runtimeNamespace}`,
    // Empty: the cluster's default StorageClass (the node's local-path).
    "sandbox.kubernetes.pvcStorageClass=",
    `llm.model=${model}`,
    `llm.baseUrl=http://${network.hostIp}:${llmPort}/v1`,
    `llm.apiKey.insecurePlaintextValue=${apiKey}`,
  ].flatMap((s) => ["--set", s]);
const run = v0Release("v0-kubernetes-runtime", "v0-kubernetes-runtime (0.62.0 server in the node's network, runtime pod through the chart's Role)", release);

let rendered: K8sObject[];
let scratch: string;
let server: ChildProcess | undefined;
let serverLog = "";
let appUrl = "";
let conversationId = "";
let llmPort = 0;
let runtimeImage: BuiltImage;

/** A container's environment as the kubelet sets it, the chart's LLM key Secret filled. */
function containerEnv(deployment: K8sObject, name: string): Record<string, string> {
  return kubeletEnvWithSecrets(deployment, name, { [`secret:${service}-llm/api-key`]: apiKey });
}

/** Objects of a kind in the runtime namespace, by name. */
async function runtimeObjects(kind: string): Promise<Record<string, any>> {
  const { stdout } = await k(["get", kind, "-n", runtimeNamespace, "-o", "json"]);
  return Object.fromEntries((JSON.parse(stdout).items as any[]).map((o) => [o.metadata.name, o]));
}

// Runs when RUNTIME_PRESETS names v0-kubernetes-runtime or all, or is unset (.ci/run's list
// leaves it out: it builds the 0.62 runtime image and runs for minutes).
const runsHere = presetRequested("v0-kubernetes-runtime");

beforeAll(async () => {
  if (!runsHere) return;
  scratch = mkdtempSync(path.join(tmpdir(), "v0-k8s-"));
  // The builds run in their own process: their long synchronous steps would stall this worker.
  const build = await execa("npx", ["tsx", "ts/runtime/images.ts", "--only", "runtime-0.62"], { cwd: repoRoot, stderr: "inherit" });
  [runtimeImage] = JSON.parse(build.stdout) as BuiltImage[];
  await importImage(runtimeImage.tar);
  llmPort = await freePort();
  ({ objects: rendered } = await render({ releaseName: release, namespace, valuesFiles: ["ci/v0-kubernetes-runtime-values.yaml"], extraArgs: setArgs(llmPort) }));
  await k(["create", "namespace", namespace]);
  // No 0.62 app image on the node: the chart's own pod is not what this suite waits for.
  const install = await helm(["install", release, ".", "-n", namespace, "-f", "ci/v0-kubernetes-runtime-values.yaml", ...setArgs(llmPort)]);
  if (install.exitCode !== 0) throw new Error(`helm install failed:\n${install.all}`);
}, 3_600_000);

afterAll(async () => {
  if (!runsHere) return;
  server?.kill("SIGTERM");
  if (server && server.exitCode === null) await new Promise((resolve) => server!.once("exit", resolve));
  await finishV0Release(run);
  await k(["delete", "namespace", runtimeNamespace, "--wait=true", "--timeout=120s"], { reject: false });
  // 3.2 GB the later suites' images need more: the node imports it again next time.
  if (runtimeImage) await removeImage(runtimeImage.ref);
  if (serverLog) {
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(path.join(reportDir, "v0-kubernetes-runtime-server.log"), serverLog);
  }
  rmSync(scratch, { recursive: true, force: true });
});

describe.runIf(runsHere)("v0-kubernetes-runtime (ci/v0-kubernetes-runtime-values.yaml): OpenHands 0.62.0 creates its runtime through the chart's Role", () => {
  it("the chart creates the runtime namespace with its Pod Security level, and binds the Role to the app's ServiceAccount only", async () => {
    const { stdout } = await k(["get", "namespace", runtimeNamespace, "-o", "jsonpath={.metadata.labels}"]);
    expect(JSON.parse(stdout)["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    const { stdout: bindings } = await k(["get", "rolebinding", "-n", runtimeNamespace, "-o", "json"]);
    const subjects = (JSON.parse(bindings).items as any[]).flatMap((b) => b.subjects);
    expect(subjects).toEqual([{ kind: "ServiceAccount", name: service, namespace }]);
  });

  it("the 0.62.0 server starts with the app container's environment and config.toml, the chart's seed and only the ServiceAccount's token", async () => {
    const deployment = getObject(rendered, "Deployment", service);
    const dir = path.join(scratch, "app");
    const state = path.join(dir, "state");
    const credentials = path.join(scratch, "serviceaccount");
    mkdirSync(path.join(dir, "frontend", "build"), { recursive: true });
    mkdirSync(credentials, { recursive: true });
    // The server mounts the UI's build directory at start; the wheel has none.
    writeFileSync(path.join(dir, "frontend", "build", "index.html"), "");
    // The app reads config.toml from its working directory (/app in the image).
    const config = rendered.find((o) => o.kind === "ConfigMap" && (o as any).data?.["config.toml"]) as any;
    writeFileSync(path.join(dir, "config.toml"), config.data["config.toml"]);
    expect(config.data["config.toml"]).toContain(`namespace = "${runtimeNamespace}"`);
    expect(config.data["config.toml"]).not.toContain("pvc_storage_class");

    // The chart's seed-llm-settings init container, on the state directory.
    const seed = { command: containerOf(deployment, "seed-llm-settings").command ?? [], env: containerEnv(deployment, "seed-llm-settings") };
    expect((await runV0Seed(version, seed, state)).output).toContain(`seeded the LLM settings: model ${model}`);

    // The in-cluster config: the ServiceAccount's token and the cluster's CA at the fixed path,
    // the API server's address in KUBERNETES_SERVICE_HOST/PORT.
    const serviceAccount = (deployment.spec as any).template.spec.serviceAccountName as string;
    expect(serviceAccount).toBe(service);
    const token = (await k(["create", "token", serviceAccount, "-n", namespace, "--duration=1h"])).stdout.trim();
    const kubeconfig = parseYaml(readFileSync(inject("kubeconfig"), "utf8")) as any;
    const cluster = kubeconfig.clusters[0].cluster;
    // The CA a pod gets (kube-root-ca.crt), unless the kubeconfig names one.
    const ca = cluster["certificate-authority-data"]
      ? Buffer.from(cluster["certificate-authority-data"], "base64").toString()
      : cluster["certificate-authority"]
        ? readFileSync(cluster["certificate-authority"], "utf8")
        : (await k(["get", "configmap", "kube-root-ca.crt", "-n", namespace, "-o", "jsonpath={.data.ca\\.crt}"])).stdout;
    writeFileSync(path.join(credentials, "token"), token);
    writeFileSync(path.join(credentials, "ca.crt"), ca);
    writeFileSync(path.join(credentials, "namespace"), namespace);
    const apiServer = new URL(cluster.server);

    const port = await freePort();
    // The cluster's DNS, as a pod's resolv.conf names it: the server finds the runtime's Service by name.
    const resolvConf = path.join(scratch, "resolv.conf");
    writeFileSync(resolvConf, `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${network.dnsIp}\noptions ndots:5\n`);
    const env = {
      ...containerEnv(deployment, "openhands"),
      FILE_STORE_PATH: state,
      HOME: dir,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LITELLM_LOCAL_MODEL_COST_MAP: "True",
      KUBERNETES_SERVICE_HOST: apiServer.hostname,
      KUBERNETES_SERVICE_PORT: apiServer.port || "443",
      SA_DIR: credentials,
      RESOLV_CONF: resolvConf,
    };
    const python = path.join(await v0AppVenv(version), "bin", "python");
    const mountCredentials = 'mkdir -p /run/secrets && mount -t tmpfs tmpfs /run/secrets && mkdir -p /run/secrets/kubernetes.io/serviceaccount && cp "$SA_DIR"/* /run/secrets/kubernetes.io/serviceaccount/ && mount --bind "$RESOLV_CONF" /etc/resolv.conf && exec "$@"';
    // In the node's network namespace (where pods' Service addresses are routed), on the node's address.
    server = spawn("nsenter", [`--net=${netnsPath}`, "--", "unshare", "--mount", "--propagation", "private", "--", "sh", "-c", mountCredentials, "sh", python, "-m", "uvicorn", "openhands.server.listen:app", "--host", network.nodeIp, "--port", String(port)], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (serverLog += d));
    server.stderr!.on("data", (d) => (serverLog += d));
    appUrl = `http://${network.nodeIp}:${port}`;
    await waitForHttp(`${appUrl}/health`, 180_000);
    const settings = (await (await fetch(`${appUrl}/api/settings`)).json()) as any;
    expect(settings).toMatchObject({ llm_model: model, llm_api_key_set: true });
  }, 600_000);

  it("a new conversation: upstream creates the claim, pod, Services and Ingress in the runtime namespace", async () => {
    const response = await fetch(`${appUrl}/api/conversations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({}) });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    conversationId = (JSON.parse(body) as { conversation_id: string }).conversation_id;
    const pod = `openhands-runtime-${conversationId}`;
    const pods = await eventually(() => runtimeObjects("pods"), (p) => pod in p, 120).catch(() => ({}) as Record<string, any>);
    expect(Object.keys(pods), `server log:\n${serverLog.slice(-3000)}`).toContain(pod);
    const created = pods[pod];
    expect(created.spec.containers[0].image).toBe("docker.openhands.dev/openhands/runtime:0.62-nikolaik");
    expect(runtimeImage.ref).toBe(created.spec.containers[0].image);
    // Upstream creates the Services after the pod, while the request may already have answered.
    const services = await eventually(() => runtimeObjects("services"), (s) => Object.keys(s).length >= 2, 60);
    expect(Object.keys(services).sort()).toEqual([`${pod}-svc`, `${pod}-svc-code`]);
    const ingresses = await eventually(() => runtimeObjects("ingresses"), (i) => `${pod}-ingress-code` in i, 60);
    const ingress = ingresses[`${pod}-ingress-code`];
    expect(ingress.spec.rules[0].host).toBe(`${conversationId}.runtime.example.com`);
    expect(ingress.spec.tls[0].secretName).toBe("runtime-wildcard-tls");
  }, 300_000);

  it("the node schedules the runtime pod and binds its claim in the default StorageClass, since the chart leaves pvcStorageClass out when empty", async () => {
    const pod = `openhands-runtime-${conversationId}`;
    const claims = await eventually(() => runtimeObjects("pvc"), (c) => c[`${pod}-pvc`]?.status?.phase === "Bound", 180);
    expect(claims[`${pod}-pvc`]?.spec.storageClassName).toBe("local-path");
    expect(claims[`${pod}-pvc`]?.status.phase).toBe("Bound");
    const pods = await eventually(() => runtimeObjects("pods"), (p) => Boolean(p[pod]?.spec.nodeName), 60);
    expect(pods[pod]?.spec.nodeName, "the node the pod was scheduled to").toBeTruthy();
    expect(pods[pod]?.spec.volumes.find((v: any) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName).toBe(`${pod}-pvc`);
  }, 300_000);

  it("the ServiceAccount's token is all the server had: it may create pods in the runtime namespace, and read no Secret there nor create pods elsewhere", async () => {
    const kubeconfig = parseYaml(readFileSync(inject("kubeconfig"), "utf8")) as any;
    const credentials = path.join(scratch, "serviceaccount");
    const token = readFileSync(path.join(credentials, "token"), "utf8");
    // Only the token: no kubeconfig, so no client certificate beside it.
    const canI = async (ns: string, ...request: string[]) =>
      (await execa(kubectl(), ["--server", kubeconfig.clusters[0].cluster.server, "--certificate-authority", path.join(credentials, "ca.crt"), "--token", token, "auth", "can-i", ...request, "-n", ns], { reject: false, env: { KUBECONFIG: "/dev/null" } })).stdout.trim();
    expect(await canI(runtimeNamespace, "create", "pods")).toBe("yes");
    const refused: [string, ...string[]][] = [
      [runtimeNamespace, "get", "secrets"],
      [runtimeNamespace, "create", "pods", "--subresource=exec"],
      [namespace, "create", "pods"],
      ["default", "create", "pods"],
    ];
    for (const [ns, ...request] of refused) expect(await canI(ns, ...request), `${request.join(" ")} in ${ns}`).toBe("no");
  });

  it("holds a conversation: the runtime pod upstream creates runs the agent's command and its output comes back", async () => {
    // One runtime at a time on this node's two cores: the first conversation's pod goes.
    await k(["delete", "pod", `openhands-runtime-${conversationId}`, "-n", runtimeNamespace, "--wait=true"], { reject: false });
    const result = await holdV0Conversation({
      appUrl,
      llmHost: network.hostIp,
      llmPort,
      command,
      expectedOutput: "hello-from-the-0.62-runtime-pod 42",
      message: "Please print the greeting.",
      appTimeoutSeconds: 30,
      conversationTimeoutSeconds: 600,
    });
    expectCommandRan(run, result, `server log:\n${serverLog.slice(-4000)}`);
    const withTools = result.llmCalls.filter((c) => c.tools.length > 0);
    expect(withTools.map((c) => c.answer)).toEqual(scriptedAnswers(run));
    for (const call of withTools) expect(call).toMatchObject({ path: "/v1/chat/completions", model: "gpt-4o", apiKey });
    // The command ran in the pod upstream created for this conversation, through the chart's Role.
    const pods = await runtimeObjects("pods");
    const pod = pods[`openhands-runtime-${result.conversationId}`];
    expect(pod?.status.phase, Object.keys(pods).join(", ")).toBe("Running");
    expect(pod.spec.containers[0].image).toBe(runtimeImage.ref);
  }, 900_000);
});
