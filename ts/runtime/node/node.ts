// A real single-node Kubernetes on this machine: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, containerd, kubelet, kube-proxy, kube-router (NetworkPolicy only), CoreDNS
// and local-path-provisioner, all inside one network namespace. The API server answers at
// https://<nodeIp>:6443 from the host too.
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { kubectl } from "../../lib/control-plane.ts";
import { binaryPath, buildComponents } from "../../lib/go-binaries.ts";
import { ensureHostPackages } from "./host-packages.ts";
import { adminKubeconfig, containerdSocket, dirs, network, netnsPath, nodeName, renderConfig } from "./layout.ts";
import { createNetns, deleteNetns, inNode, netnsExists, type RunOptions, type RunResult } from "./netns.ts";
import { componentKubeconfigs, generatePki, kubeconfigPath } from "./pki.ts";
import { launch, logFile, pidsWithArgument, runningDaemons, sleep, stopDaemon, stopPid, waitFor } from "./processes.ts";
import { systemImageTars } from "./system-images.ts";

export interface RunningNode {
  kubeconfig: string;
  nodeIp: string;
  /** The host end of the node's link: a process listening here is reachable from pods. */
  hostIp: string;
  netnsPath: string;
  /** Runs a command inside the node's network namespace (ClusterIPs and pod IPs are reachable there). */
  runInNode(command: string, args?: string[], options?: RunOptions): Promise<RunResult>;
  /** Imports a docker-archive (or OCI) tar into the node's containerd under its own references. */
  importImage(tarPath: string): Promise<void>;
  /** Loads an image tar into the Docker daemon of a running pod's container. */
  loadIntoPodDocker(tarPath: string, pod: { namespace: string; name: string; container?: string }): Promise<void>;
  kubectl(args: string[], options?: RunOptions): Promise<RunResult>;
  stop(): Promise<void>;
}

const daemonsInStopOrder = ["kube-router", "kube-proxy", "kubelet", "containerd", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"] as const;

function log(message: string): void {
  process.stderr.write(`[node] ${message}\n`);
}

function k8sBin(name: string): string {
  return binaryPath("kubernetes", name);
}

export function ctr(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return execa("ctr", ["--address", containerdSocket, "-n", "k8s.io", ...args], options);
}

export async function importImage(tarPath: string): Promise<void> {
  if (!existsSync(tarPath)) throw new Error(`image tar ${tarPath} does not exist`);
  await ctr(["images", "import", tarPath]);
}

/**
 * Removes an image from the node's containerd with every other name of it (the CRI also names
 * each image by its ID, `sha256:<config>`), so its content and unpacked layers are freed now.
 */
export async function removeImage(ref: string): Promise<void> {
  const { stdout } = await ctr(["images", "ls"], { reject: false });
  const rows = stdout.split("\n").slice(1).map((line) => line.split(/\s+/)).filter((cols) => cols.length > 2);
  const digest = rows.find((cols) => cols[0] === ref)?.[2];
  if (!digest) return;
  const names = rows.filter((cols) => cols[2] === digest).map((cols) => cols[0]);
  await ctr(["images", "rm", "--sync", ...names], { reject: false });
}

/** Whether the node's containerd holds `ref` with the tar's own config (not another image under that name). */
export async function nodeHasImage(image: { ref: string; tar: string }): Promise<boolean> {
  const { stdout: manifest } = await execa("tar", ["-xOf", image.tar, "manifest.json"]);
  const config = `sha256:${(JSON.parse(manifest) as { Config: string }[])[0].Config.replace(/\.json$/, "")}`;
  const listed = await ctr(["images", "ls", `name==${image.ref}`], { reject: false });
  const digest = listed.stdout.split("\n")[1]?.split(/\s+/)[2];
  if (!digest) return false;
  const content = await ctr(["content", "get", digest], { reject: false });
  return content.exitCode === 0 && (JSON.parse(content.stdout) as { config: { digest: string } }).config.digest === config;
}

export function nodeKubectl(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return execa(kubectl(), ["--kubeconfig", adminKubeconfig, ...args], options);
}

export async function loadIntoPodDocker(tarPath: string, pod: { namespace: string; name: string; container?: string }): Promise<void> {
  // The chart's Docker daemon reaches no registry; images arrive through kubectl exec's stdin.
  await nodeKubectl(["exec", "-i", "-n", pod.namespace, pod.name, "-c", pod.container ?? "dind", "--", "docker", "load"], { inputFile: tarPath });
}

function writeConfigs(): void {
  mkdirSync(dirs.config, { recursive: true });
  mkdirSync(path.join(dirs.state, "cni", "net.d"), { recursive: true });
  mkdirSync(path.join(dirs.state, "local-path"), { recursive: true });
  writeFileSync(path.join(dirs.config, "containerd.toml"), renderConfig("config/containerd.toml"));
  writeFileSync(path.join(dirs.config, "kubelet.yaml"), renderConfig("config/kubelet.yaml"));
  writeFileSync(path.join(dirs.config, "kube-proxy.yaml"), renderConfig("config/kube-proxy.yaml"));
  writeFileSync(path.join(dirs.state, "cni", "net.d", "10-bridge.conflist"), renderConfig("config/10-bridge.conflist"));
  // Pods with dnsPolicy Default (CoreDNS itself) resolve nothing outside the cluster: the
  // machine reaches no public DNS, and CoreDNS forwards nothing.
  writeFileSync(path.join(dirs.config, "resolv.conf"), `nameserver ${network.dnsIp}\n`);
}

async function startControlPlane(): Promise<void> {
  const pki = (f: string) => path.join(dirs.pki, f);
  launch("etcd", binaryPath("etcd", "etcd"), [
    "--data-dir", path.join(dirs.state, "etcd"),
    "--listen-client-urls", "http://127.0.0.1:2379", "--advertise-client-urls", "http://127.0.0.1:2379",
    "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
    "--initial-cluster", "default=http://127.0.0.1:2380", "--log-level", "warn",
  ]);
  launch("kube-apiserver", k8sBin("kube-apiserver"), [
    "--etcd-servers", "http://127.0.0.1:2379",
    "--bind-address", "0.0.0.0", "--secure-port", "6443", "--advertise-address", network.nodeIp,
    "--tls-cert-file", pki("apiserver.crt"), "--tls-private-key-file", pki("apiserver.key"), "--client-ca-file", pki("ca.crt"),
    "--token-auth-file", pki("tokens.csv"), "--authorization-mode", "Node,RBAC", "--enable-admission-plugins", "NodeRestriction",
    "--kubelet-client-certificate", pki("apiserver-kubelet-client.crt"), "--kubelet-client-key", pki("apiserver-kubelet-client.key"),
    "--kubelet-certificate-authority", pki("ca.crt"),
    // The node's name resolves nowhere; logs, exec and port-forward go to its address.
    "--kubelet-preferred-address-types", "InternalIP",
    "--service-account-issuer", "https://kubernetes.default.svc", "--service-account-key-file", pki("sa.pub"), "--service-account-signing-key-file", pki("sa.key"),
    "--service-cluster-ip-range", network.serviceCidr, "--enable-priority-and-fairness=false", "--allow-privileged=true",
  ]);
  await waitFor("kube-apiserver /readyz", 120, async () => (await nodeKubectl(["get", "--raw", "/readyz"], { reject: false })).stdout === "ok", logFile("kube-apiserver"));
  const kcm = kubeconfigPath("kube-controller-manager");
  launch("kube-controller-manager", k8sBin("kube-controller-manager"), [
    "--kubeconfig", kcm, "--authentication-kubeconfig", kcm, "--authorization-kubeconfig", kcm,
    "--bind-address", "127.0.0.1", "--secure-port", "10257", "--leader-elect=false",
    "--service-account-private-key-file", pki("sa.key"), "--root-ca-file", pki("ca.crt"),
    "--use-service-account-credentials=true", "--controllers", "*",
    "--allocate-node-cidrs=true", "--cluster-cidr", network.podCidr, "--node-cidr-mask-size", "24", "--service-cluster-ip-range", network.serviceCidr,
  ]);
  const sched = kubeconfigPath("kube-scheduler");
  launch("kube-scheduler", k8sBin("kube-scheduler"), [
    "--kubeconfig", sched, "--authentication-kubeconfig", sched, "--authorization-kubeconfig", sched,
    "--bind-address", "127.0.0.1", "--secure-port", "10259", "--leader-elect=false",
  ]);
  await waitFor("default ServiceAccount (kube-controller-manager)", 90, async () => (await nodeKubectl(["get", "serviceaccount", "default", "-n", "default"], { reject: false })).exitCode === 0, logFile("kube-controller-manager"));
}

async function startWorker(): Promise<void> {
  // Pod network namespaces our containerd creates are the cni-* ones absent now.
  mkdirSync(dirs.run, { recursive: true });
  writeFileSync(path.join(dirs.run, "netns-before"), listNetns().join("\n"));
  launch("containerd", "containerd", ["--config", path.join(dirs.config, "containerd.toml")]);
  await waitFor("containerd", 30, async () => (await ctr(["version"], { reject: false })).exitCode === 0, logFile("containerd"));
  for (const tar of await systemImageTars()) await importImage(tar);
  launch("kubelet", k8sBin("kubelet"), [
    "--config", path.join(dirs.config, "kubelet.yaml"), "--kubeconfig", kubeconfigPath("kubelet"),
    "--root-dir", path.join(dirs.state, "kubelet"), "--hostname-override", nodeName, "--node-ip", network.nodeIp, "--v=1",
  ]);
  launch("kube-proxy", k8sBin("kube-proxy"), ["--config", path.join(dirs.config, "kube-proxy.yaml"), "--v=1"]);
  await waitFor("node Ready", 180, async () => (await nodeKubectl(["get", "node", nodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"], { reject: false })).stdout === "True", logFile("kubelet"));
  // kube-router exits when its Node object does not exist yet, so it starts after registration.
  launch("kube-router", binaryPath("kubeRouter", "kube-router"), [
    "--kubeconfig", kubeconfigPath("kube-router"), "--run-router=false", "--run-service-proxy=false", "--run-firewall=true",
    `--hostname-override=${nodeName}`, "--health-port=20244", "--metrics-port=0", "--v=1",
  ]);
}

async function startAddons(): Promise<void> {
  for (const manifest of ["manifests/coredns.yaml", "manifests/local-path.yaml"]) {
    await nodeKubectl(["apply", "-f", "-"], { input: renderConfig(manifest) });
  }
  await nodeKubectl(["-n", "kube-system", "rollout", "status", "deploy/coredns", "--timeout=180s"]);
  // Service routing can lag a pod's readiness by a few seconds (kube-proxy's sync).
  await waitFor("cluster DNS", 60, async () => (await inNode("busybox", ["nslookup", "kubernetes.default.svc.cluster.local", network.dnsIp], { reject: false })).stdout.includes(network.apiServiceIp), logFile("kube-proxy"));
  await nodeKubectl(["-n", "local-path-storage", "rollout", "status", "deploy/local-path-provisioner", "--timeout=180s"]);
}

/** Everything the node needs on the machine: Debian packages, binaries, image tars (cached). */
export async function prepareNode(): Promise<void> {
  await ensureHostPackages();
  await buildComponents(["kubernetes", "etcd", "kubeRouter"]);
  await systemImageTars();
}

/** Starts the node from a clean state; refuses while another node runs on this machine. */
export async function startNode(): Promise<RunningNode> {
  if (process.getuid?.() !== 0) throw new Error("the node runs as root (network namespaces, containerd, kubelet)");
  const started = Date.now();
  const at = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  await prepareNode();
  log(`binaries and images ready (${at()})`);
  // One node per machine: never take over a node someone else is running.
  const running = runningDaemons();
  if (running.length > 0) throw new Error(`a node is already running (${running.join(", ")}); \`npm run node -- down\` stops it`);
  await stopNode(); // what a crashed run left behind
  rmSync(dirs.state, { recursive: true, force: true });
  mkdirSync(dirs.state, { recursive: true });
  if (!existsSync(containerLogLinks)) writeFileSync(createdLogLinksMarker(), "");
  await generatePki();
  writeConfigs();
  await createNetns();
  try {
    await startControlPlane();
    log(`control plane ready (${at()})`);
    await startWorker();
    log(`node ${nodeName} Ready (${at()})`);
    await startAddons();
    log(`CoreDNS and local-path-provisioner ready (${at()})`);
  } catch (error) {
    await stopNode();
    throw new Error(`${(error as Error).message}; logs in ${dirs.logs}`);
  }
  return nodeHandle();
}

export function nodeHandle(): RunningNode {
  return {
    kubeconfig: adminKubeconfig,
    nodeIp: network.nodeIp,
    hostIp: network.hostIp,
    netnsPath,
    runInNode: (command, args = [], options = {}) => inNode(command, args, options),
    importImage,
    loadIntoPodDocker,
    kubectl: nodeKubectl,
    stop: stopNode,
  };
}

/** The kubelet links every container's log here (a fixed path); the links point into our state. */
const containerLogLinks = "/var/log/containers";
const createdLogLinksMarker = () => path.join(dirs.state, "created-var-log-containers");

function ourLogLinks(): string[] {
  if (!existsSync(containerLogLinks)) return [];
  return readdirSync(containerLogLinks)
    .map((f) => path.join(containerLogLinks, f))
    .filter((f) => {
      try {
        return readlinkSync(f).startsWith(`${dirs.state}/`);
      } catch {
        return false;
      }
    });
}

function listNetns(): string[] {
  return existsSync("/run/netns") ? readdirSync("/run/netns") : [];
}

function ourMounts(): string[] {
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((m): m is string => !!m && [dirs.state, dirs.run].some((d) => m === d || m.startsWith(`${d}/`)));
}

/** The kubelet's pod cgroups (cgroupfs driver), in every v1 hierarchy. */
function kubepodsCgroups(): string[] {
  const root = "/sys/fs/cgroup";
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(path.join(dir, entry.name));
    found.push(dir);
  };
  for (const controller of readdirSync(root)) {
    const dir = path.join(root, controller, "kubepods");
    if (existsSync(dir)) walk(dir);
  }
  return found; // children before parents
}

/**
 * Tears the node down: pods first (so the kubelet releases their networks and mounts), then
 * the daemons, leftover shims of our containerd, mounts under our directories, the pod
 * network namespaces our containerd made, the kubelet's cgroups and the node's namespace.
 * Safe to call when nothing runs.
 */
export async function stopNode(): Promise<void> {
  const running = runningDaemons();
  if (running.includes("kubelet") && running.includes("kube-apiserver")) {
    const k = (args: string[]) => nodeKubectl(["--request-timeout=10s", ...args], { reject: false });
    // Cordoned first, so the pods controllers recreate stay Pending without containers; the
    // pods go with a one-second grace (a controller's own delete would wait their full grace).
    await k(["cordon", nodeName]);
    await k(["delete", "pods", "--all", "-A", "--grace-period=1", "--wait=false"]);
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && (await ctr(["tasks", "ls", "-q"], { reject: false })).stdout.trim() !== "") await sleep(500);
  }
  for (const name of ["kube-router", "kube-proxy", "kubelet"]) await stopDaemon(name);
  if (running.includes("containerd")) {
    const { stdout } = await ctr(["tasks", "ls", "-q"], { reject: false });
    for (const task of stdout.split("\n").filter(Boolean)) await ctr(["tasks", "kill", "-s", "SIGKILL", task], { reject: false });
  }
  await stopDaemon("containerd");
  for (const pid of pidsWithArgument(path.join(dirs.run, "containerd", "containerd.sock"))) await stopPid(pid, 2);
  for (const name of daemonsInStopOrder.slice(4)) await stopDaemon(name);
  for (const mount of ourMounts().sort().reverse()) await execa("umount", ["-l", mount], { reject: false });
  const before = existsSync(path.join(dirs.run, "netns-before")) ? readFileSync(path.join(dirs.run, "netns-before"), "utf8").split("\n") : undefined;
  if (before) {
    for (const ns of listNetns().filter((n) => n.startsWith("cni-") && !before.includes(n))) {
      await execa("umount", [`/run/netns/${ns}`], { reject: false });
      rmSync(`/run/netns/${ns}`, { force: true });
    }
  }
  for (const link of ourLogLinks()) rmSync(link, { force: true });
  if (existsSync(createdLogLinksMarker()) && existsSync(containerLogLinks) && readdirSync(containerLogLinks).length === 0) rmdirSync(containerLogLinks);
  for (const cgroup of kubepodsCgroups()) {
    try {
      rmdirSync(cgroup);
    } catch {
      // a process still inside; reported by status
    }
  }
  if (netnsExists()) await deleteNetns();
  rmSync(dirs.run, { recursive: true, force: true });
}

export interface NodeStatus {
  daemons: string[];
  netns: boolean;
  mounts: number;
  shims: number;
  kubepodsCgroups: number;
  containerLogLinks: number;
}

export function nodeStatus(): NodeStatus {
  return {
    daemons: runningDaemons(),
    netns: netnsExists(),
    mounts: ourMounts().length,
    shims: pidsWithArgument(path.join(dirs.run, "containerd", "containerd.sock")).length,
    kubepodsCgroups: kubepodsCgroups().length,
    containerLogLinks: ourLogLinks().length,
  };
}

export { componentKubeconfigs };
