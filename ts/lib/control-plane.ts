// A local Kubernetes control plane without containers: etcd, kube-apiserver and
// kube-controller-manager built from the Go module proxy at pinned versions (ts/lib/go-binaries.ts), started on
// loopback ports. No kubelet or scheduler: Deployments get ReplicaSets and Pods (which
// PodSecurity admission judges), and the Pods stay Pending.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import path from "node:path";
import { execa } from "execa";
import { binaryPath, buildComponents, versions } from "./go-binaries.ts";
import { repoRoot } from "./helm-binaries.ts";

export { versions };

/** Cluster state lives here (ignored by git and by helm package); binaries in the shared cache. */
export const clusterDir = path.join(repoRoot, ".cluster");
export const binaries = {
  etcd: binaryPath("etcd", "etcd"),
  apiserver: binaryPath("kubernetes", "kube-apiserver"),
  controllerManager: binaryPath("kubernetes", "kube-controller-manager"),
};

function log(message: string): void {
  process.stderr.write(`[control-plane] ${message}\n`);
}

/** Builds the binaries once (with the rest of Kubernetes' commands); later calls find them in the cache. */
export async function build(): Promise<void> {
  await buildComponents(["kubernetes", "etcd"]);
}

export interface RunningControlPlane {
  kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * Starts etcd, kube-apiserver and kube-controller-manager on free loopback ports; resolves once
 * /readyz answers. `name` is the state directory under .cluster/, so a suite can run a second
 * control plane of its own beside the shared one.
 */
export async function start(name = "run"): Promise<RunningControlPlane> {
  await build();
  const run = path.join(clusterDir, name);
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
