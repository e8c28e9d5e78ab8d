// A local Kubernetes control plane without containers: etcd, kube-apiserver and
// kube-controller-manager built from the Go module proxy at pinned versions, started on
// loopback ports. No kubelet or scheduler: Deployments get ReplicaSets and Pods (which
// PodSecurity admission judges), and the Pods stay Pending.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import path from "node:path";
import { execa } from "execa";
import { repoRoot } from "./helm-binaries.ts";

export const versions = { kubernetes: "v1.35.4", staging: "v0.35.4", etcd: "v3.6.5" } as const;

/** Built binaries and cluster state live here (ignored by git and by helm package). */
export const clusterDir = path.join(repoRoot, ".cluster");
const binDir = path.join(clusterDir, "bin", `k8s-${versions.kubernetes}-etcd-${versions.etcd}`);
export const binaries = {
  etcd: path.join(binDir, "etcd"),
  apiserver: path.join(binDir, "kube-apiserver"),
  controllerManager: path.join(binDir, "kube-controller-manager"),
};

function log(message: string): void {
  process.stderr.write(`[control-plane] ${message}\n`);
}

/** A wrapper module that builds k8s.io/kubernetes commands, with every staging module pinned. */
async function kubernetesModule(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { stdout } = await execa("go", ["mod", "download", "-json", `k8s.io/kubernetes@${versions.kubernetes}`]);
  const goMod = readFileSync(JSON.parse(stdout).GoMod, "utf8");
  // k8s.io/kubernetes points its staging modules at ./staging; pin each to its published version.
  const staging = [...goMod.matchAll(/^\s*(k8s\.io\/[a-z0-9-]+) => \.\/staging/gm)].map((m) => m[1]);
  if (staging.length < 20) throw new Error(`found only ${staging.length} staging modules in k8s.io/kubernetes go.mod`);
  const replace = staging.map((m) => `\t${m} => ${m} ${versions.staging}`).join("\n");
  writeFileSync(path.join(dir, "go.mod"), `module controlplane\n\ngo 1.25.0\n\nrequire k8s.io/kubernetes ${versions.kubernetes}\n\nreplace (\n${replace}\n)\n`);
  writeFileSync(path.join(dir, "tools.go"), `//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n`);
}

/** Builds the binaries once; a second call finds them in .cluster/bin and returns at once. */
export async function build(): Promise<void> {
  if (Object.values(binaries).every((b) => existsSync(b))) {
    log(`binaries cached in ${path.relative(repoRoot, binDir)}`);
    return;
  }
  mkdirSync(binDir, { recursive: true });
  const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
  if (!existsSync(binaries.apiserver) || !existsSync(binaries.controllerManager)) {
    const dir = path.join(clusterDir, "build", "kubernetes");
    await kubernetesModule(dir);
    log(`building kube-apiserver and kube-controller-manager ${versions.kubernetes} (several minutes on a cold cache)`);
    // The version Kubernetes' own build stamps in; Helm and kubectl read it from /version.
    const [major, minor] = versions.kubernetes.slice(1).split(".");
    const ldflags = ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]
      .flatMap((pkg) => [`-X ${pkg}.gitVersion=${versions.kubernetes}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`, `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`])
      .join(" ");
    await execa("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", binDir + "/", "k8s.io/kubernetes/cmd/kube-apiserver", "k8s.io/kubernetes/cmd/kube-controller-manager"], { cwd: dir, env, stdio: "inherit" });
  }
  if (!existsSync(binaries.etcd)) {
    const dir = path.join(clusterDir, "build", "etcd");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "go.mod"), `module etcdbuild\n\ngo 1.25.0\n\nrequire go.etcd.io/etcd/server/v3 ${versions.etcd}\n`);
    writeFileSync(path.join(dir, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n`);
    log(`building etcd ${versions.etcd}`);
    await execa("go", ["build", "-trimpath", "-o", binaries.etcd, "go.etcd.io/etcd/server/v3"], { cwd: dir, env, stdio: "inherit" });
  }
}

export interface RunningControlPlane {
  kubeconfig: string;
  stop(): Promise<void>;
}

/** Starts etcd, kube-apiserver and kube-controller-manager on free loopback ports; resolves once /readyz answers. */
export async function start(): Promise<RunningControlPlane> {
  await build();
  const run = path.join(clusterDir, "run");
  rmSync(run, { recursive: true, force: true });
  mkdirSync(run, { recursive: true });
  const [etcdClient, etcdPeer, apiPort, kcmPort] = await freePorts(4);

  // Credentials: a token for the admin (system:masters) and a key pair for service account tokens.
  const token = randomBytes(24).toString("hex");
  writeFileSync(path.join(run, "tokens.csv"), `${token},admin,admin,system:masters\n`);
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(path.join(run, "sa.key"), privateKey.export({ type: "pkcs1", format: "pem" }));
  writeFileSync(path.join(run, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
  const kubeconfig = path.join(run, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1", "kind: Config", "current-context: local",
      "clusters:", "- name: local", "  cluster:", `    server: https://127.0.0.1:${apiPort}`, "    insecure-skip-tls-verify: true",
      "users:", "- name: admin", "  user:", `    token: ${token}`,
      "contexts:", "- name: local", "  context:", "    cluster: local", "    user: admin",
    ].join("\n") + "\n",
  );

  const processes: ChildProcess[] = [];
  const launch = (name: string, binary: string, args: string[]) => {
    const out = path.join(run, `${name}.log`);
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout!.on("data", (c) => chunks.push(c));
    child.stderr!.on("data", (c) => chunks.push(c));
    child.on("exit", () => writeFileSync(out, Buffer.concat(chunks)));
    processes.push(child);
    return child;
  };

  launch("etcd", binaries.etcd, [
    "--data-dir", path.join(run, "etcd"),
    "--listen-client-urls", `http://127.0.0.1:${etcdClient}`, "--advertise-client-urls", `http://127.0.0.1:${etcdClient}`,
    "--listen-peer-urls", `http://127.0.0.1:${etcdPeer}`, "--initial-advertise-peer-urls", `http://127.0.0.1:${etcdPeer}`,
    "--initial-cluster", `default=http://127.0.0.1:${etcdPeer}`, "--log-level", "warn",
  ]);
  launch("kube-apiserver", binaries.apiserver, [
    "--etcd-servers", `http://127.0.0.1:${etcdClient}`,
    "--bind-address", "127.0.0.1", "--secure-port", String(apiPort), "--advertise-address", "127.0.0.1",
    "--cert-dir", path.join(run, "certs"),
    "--token-auth-file", path.join(run, "tokens.csv"),
    "--authorization-mode", "RBAC",
    "--service-account-issuer", "https://kubernetes.default.svc",
    "--service-account-key-file", path.join(run, "sa.pub"),
    "--service-account-signing-key-file", path.join(run, "sa.key"),
    "--service-cluster-ip-range", "10.96.0.0/16",
    "--enable-priority-and-fairness=false",
    // As on every real cluster that runs Docker-in-Docker; PodSecurity admission still judges it.
    "--allow-privileged=true",
  ]);
  // Stops the controller manager, the API server, then etcd; a process still there after 10 s is killed.
  const stop = async () => {
    for (const p of [...processes].reverse()) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise((r) => p.once("exit", r));
      p.kill("SIGTERM");
      const timer = setTimeout(() => p.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitFor(async () => (await execa(kubectl(), ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz"], { reject: false })).stdout === "ok", 90, "kube-apiserver /readyz");
    launch("kube-controller-manager", binaries.controllerManager, [
      "--kubeconfig", kubeconfig, "--authentication-kubeconfig", kubeconfig, "--authorization-kubeconfig", kubeconfig,
      "--bind-address", "127.0.0.1", "--secure-port", String(kcmPort), "--leader-elect=false",
      "--service-account-private-key-file", path.join(run, "sa.key"),
      "--use-service-account-credentials=false", "--controllers", "*",
    ]);
    // The default ServiceAccount appears once the controller manager runs.
    await waitFor(async () => (await execa(kubectl(), ["--kubeconfig", kubeconfig, "get", "serviceaccount", "default", "-n", "default"], { reject: false })).exitCode === 0, 60, "kube-controller-manager");
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; logs in ${run}`);
  }
  log(`Kubernetes ${versions.kubernetes} with etcd ${versions.etcd} on https://127.0.0.1:${apiPort}`);
  return { kubeconfig, stop };
}

export function kubectl(): string {
  return path.join(repoRoot, ".tools", "kubectl");
}

async function waitFor(check: () => Promise<boolean>, seconds: number, what: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not come up within ${seconds}s`);
}

async function freePorts(count: number): Promise<number[]> {
  const net = await import("node:net");
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import("node:net").Server>((resolve) => {
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import("node:net").AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
