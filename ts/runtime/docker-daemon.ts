// A throwaway Docker daemon (Debian's docker.io) in its own network namespace, for checking
// that the built images run, or in the test node's namespace, as the node's own daemon that
// `sandbox.mode: hostDocker` talks to. Nothing it starts is reachable from, or left on, the host.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheDir } from "./image/cache.ts";
import { ensureHostPackages, run } from "./image/host.ts";
import type { MutualTls } from "./tls-cert.ts";

export interface DockerDaemon {
  /** DOCKER_HOST for this daemon. */
  host: string;
  /** Its socket's path on the host. */
  socket: string;
  /** Runs the Docker CLI against this daemon. */
  docker(args: string[], options?: { allowFailure?: boolean }): { status: number; stdout: string; stderr: string };
  /** Runs a command in the daemon's network namespace (where published ports are). */
  inNetns(command: string[]): { status: number; stdout: string; stderr: string };
  /** The daemon's process id (`nsenter --net --target` it for a long-running command). */
  pid(): number;
  /** Loads a docker-archive tar unless the daemon already has that image (without blocking the event loop). */
  load(tar: string, ref: string): Promise<void>;
  stop(): Promise<void>;
}

const dockerCli = "/usr/bin/docker";

export interface DockerDaemonOptions {
  /** A network namespace to join (its path, as /run/netns/<name>) instead of a new one of its own. */
  netns?: string;
  /** Also listen on TCP with TLS client verification (port 2376 on every address of its namespace). */
  tls?: MutualTls;
}

export async function startDockerDaemon(name = "images", options: DockerDaemonOptions = {}): Promise<DockerDaemon> {
  ensureHostPackages({ dockerd: "docker.io", unshare: "util-linux", nsenter: "util-linux", ip: "iproute2" });
  if (!existsSync(dockerCli)) throw new Error(`${dockerCli} (Debian's docker.io) is missing`);
  // Images stay loaded between runs; the runtime state is per process.
  const dataRoot = cacheDir("verify-docker", name);
  const execRoot = `/run/openhands-chart-docker-${name}-${process.pid}`;
  rmSync(execRoot, { recursive: true, force: true });
  mkdirSync(execRoot, { recursive: true });
  const socket = path.join(execRoot, "docker.sock");
  const pidfile = path.join(execRoot, "dockerd.pid");
  const logFile = path.join(dataRoot, "..", `${name}.dockerd.log`);
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  // `unshare --net` / `nsenter --net` rather than `ip netns exec`, which remounts /sys and hides the cgroup mounts.
  const namespace = options.netns ? ["nsenter", `--net=${options.netns}`, "--"] : ["unshare", "--net", "--fork", "--kill-child", "--"];
  const loopback = options.netns ? "" : "ip link set lo up && ";
  const tlsFlags: string[] = [];
  if (options.tls) {
    const tlsDir = path.join(execRoot, "tls");
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(path.join(tlsDir, "ca.pem"), options.tls.ca);
    writeFileSync(path.join(tlsDir, "cert.pem"), options.tls.server.cert);
    writeFileSync(path.join(tlsDir, "key.pem"), options.tls.server.key, { mode: 0o600 });
    tlsFlags.push("--host", "tcp://0.0.0.0:2376", "--tlsverify", "--tlscacert", path.join(tlsDir, "ca.pem"), "--tlscert", path.join(tlsDir, "cert.pem"), "--tlskey", path.join(tlsDir, "key.pem"));
  }
  const daemon: ChildProcess = spawn(
    namespace[0],
    [
      ...namespace.slice(1),
      "sh", "-c",
      `${loopback}d=$1 e=$2 p=$3 s=$4 l=$5 n=$6; shift 6; exec dockerd --data-root "$d" --exec-root "$e" --pidfile "$p" --host "unix://$s" --cgroup-parent "openhands-chart-$n" "$@" >>"$l" 2>&1`,
      "sh", dataRoot, execRoot, pidfile, socket, logFile, name, ...tlsFlags,
    ],
    { stdio: "ignore", detached: true },
  );
  let exited = false;
  daemon.on("exit", () => (exited = true));

  const docker: DockerDaemon["docker"] = (args, options = {}) => {
    const r = spawnSync(dockerCli, args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const result = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    if (!options.allowFailure && result.status !== 0) throw new Error(`docker ${args.join(" ")}: ${result.stderr || result.stdout}`);
    return result;
  };
  const dockerdPid = () => Number(readFileSync(pidfile, "utf8").trim());

  for (let i = 0; ; i++) {
    if (exited) throw new Error(`dockerd exited at start (log: ${logFile})`);
    if (existsSync(pidfile) && existsSync(socket) && docker(["info"], { allowFailure: true }).status === 0) break;
    if (i > 120) throw new Error(`dockerd did not answer within 60 s (log: ${logFile})`);
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    host: env.DOCKER_HOST,
    socket,
    docker,
    inNetns(command) {
      const r = spawnSync("nsenter", ["--net", "--target", String(dockerdPid()), "--", ...command], { encoding: "utf8" });
      return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    },
    pid: dockerdPid,
    async load(tar, ref) {
      const manifest = JSON.parse(run("tar", ["-xOf", tar, "--occurrence=1", "manifest.json"]));
      const id = `sha256:${String(manifest[0].Config).replace(/\.json$/, "")}`;
      const have = docker(["image", "inspect", "--format", "{{.Id}}", ref], { allowFailure: true }).stdout.trim();
      if (have !== id) await execa(dockerCli, ["load", "-i", tar], { env });
    },
    async stop() {
      const ids = docker(["ps", "-aq"], { allowFailure: true }).stdout.trim().split(/\s+/).filter(Boolean);
      if (ids.length) docker(["rm", "-f", ...ids], { allowFailure: true });
      if (!exited && existsSync(pidfile)) {
        try {
          process.kill(dockerdPid(), "SIGTERM");
        } catch {
          /* already gone */
        }
      }
      for (let i = 0; i < 60 && !exited; i++) await new Promise((r) => setTimeout(r, 500));
      if (!exited && daemon.pid) process.kill(-daemon.pid, "SIGKILL");
      // A host-network container leaves the namespace's handle bind-mounted at <exec-root>/netns/default.
      const mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((line) => line.split(" ")[4]).filter((m) => m?.startsWith(`${execRoot}/`));
      for (const mount of mounts.reverse()) spawnSync("umount", ["-l", mount]);
      rmSync(execRoot, { recursive: true, force: true });
    },
  };
}

const capabilityNames = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
  "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
  "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
  "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
  "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
  "CHECKPOINT_RESTORE",
];

/**
 * `docker run` flags for a privileged container. Kubernetes' privileged mode (containerd)
 * grants the capabilities the runtime itself holds; Docker 20.10's `--privileged` asks for
 * every one and fails where the host withholds some (a VM without CAP_SYS_RESOURCE). There
 * the same container is made from its parts: every held capability, no seccomp or AppArmor
 * profile, and a writable cgroup tree.
 */
export function privilegedRunFlags(): string[] {
  const bounding = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "0"}`);
  const missing = capabilityNames.filter((_, bit) => ((bounding >> BigInt(bit)) & 1n) === 0n);
  if (missing.length === 0) return ["--privileged"];
  return [
    "--cap-add", "ALL", ...missing.flatMap((name) => ["--cap-drop", name]),
    "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
    "--security-opt", "systempaths=unconfined",
    "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
  ];
}
