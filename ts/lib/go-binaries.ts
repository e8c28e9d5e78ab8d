// Binaries built from the Go module proxy at pinned versions, kept in a cache outside the
// clone keyed by component and version, so a fresh clone finds them at once. Each component
// is built from a small wrapper module that requires the upstream module and imports the
// commands (Go's own module and build caches are outside the clone too).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cachePath } from "./cache-root.ts";
import { repoRoot } from "./helm-binaries.ts";

export const versions = {
  kubernetes: "v1.35.4",
  staging: "v0.35.4",
  etcd: "v3.6.5",
  coredns: "v1.14.7",
  kubeRouter: "v2.1.0",
  localPath: "v0.0.30",
  externalSecrets: "v0.16.2",
} as const;

const binRoot = cachePath("node-bin");
const moduleRoot = cachePath("go-modules");

interface Component {
  /** Cache key: name and version. */
  key: string;
  /** go.mod contents of the wrapper module (without the module line). */
  goMod: () => Promise<string>;
  /** Packages to build; the binary name is the last path element. */
  packages: string[];
  /** Extra files of the wrapper module (a main package of our own, for example). */
  files?: Record<string, string>;
  ldflags?: string;
  tags?: string;
  /** Names of the resulting binaries when they differ from the package's last element. */
  outputs?: Record<string, string>;
}

const kubernetesCommands = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy"] as const;

/** k8s.io/kubernetes points its staging modules at ./staging; pin each to its published version. */
async function kubernetesGoMod(): Promise<string> {
  const { stdout } = await execa("go", ["mod", "download", "-json", `k8s.io/kubernetes@${versions.kubernetes}`]);
  const goMod = readFileSync(JSON.parse(stdout).GoMod, "utf8");
  const staging = [...goMod.matchAll(/^\s*(k8s\.io\/[a-z0-9-]+) => \.\/staging/gm)].map((m) => m[1]);
  if (staging.length < 20) throw new Error(`found only ${staging.length} staging modules in k8s.io/kubernetes go.mod`);
  const replace = staging.map((m) => `\t${m} => ${m} ${versions.staging}`).join("\n");
  return `require k8s.io/kubernetes ${versions.kubernetes}\n\nreplace (\n${replace}\n)\n`;
}

/** The version Kubernetes' own build stamps in; Helm and kubectl read it from /version. */
function kubernetesLdflags(): string {
  const [major, minor] = versions.kubernetes.slice(1).split(".");
  return ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]
    .flatMap((pkg) => [`-X ${pkg}.gitVersion=${versions.kubernetes}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`, `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`])
    .join(" ");
}

/** A module's own go.mod replace directives, which only its own build honours: the wrapper repeats them. */
async function upstreamReplaces(module: string, version: string): Promise<string> {
  const { stdout } = await execa("go", ["mod", "download", "-json", `${module}@${version}`]);
  const goMod = readFileSync(JSON.parse(stdout).GoMod, "utf8");
  const single = [...goMod.matchAll(/^replace\s+([^(\s].*)$/gm)].map((m) => m[1].trim());
  const blocks = [...goMod.matchAll(/^replace\s*\(([\s\S]*?)^\)/gm)].flatMap((m) => m[1].split("\n").map((l) => l.replace(/\/\/.*$/, "").trim()).filter(Boolean));
  const lines = [...single, ...blocks];
  return lines.length === 0 ? "" : `\nreplace (\n${lines.map((l) => `\t${l}`).join("\n")}\n)\n`;
}

const pauseSource = readFileSync(path.join(repoRoot, "ts", "runtime", "node", "pause.go"), "utf8");

export const components = {
  kubernetes: {
    key: `kubernetes-${versions.kubernetes}`,
    goMod: kubernetesGoMod,
    packages: kubernetesCommands.map((c) => `k8s.io/kubernetes/cmd/${c}`),
    ldflags: kubernetesLdflags(),
  },
  etcd: {
    key: `etcd-${versions.etcd}`,
    goMod: async () => `require go.etcd.io/etcd/server/v3 ${versions.etcd}\n`,
    packages: ["go.etcd.io/etcd/server/v3"],
    outputs: { v3: "etcd" },
  },
  coredns: {
    key: `coredns-${versions.coredns}`,
    goMod: async () => `require github.com/coredns/coredns ${versions.coredns}\n`,
    packages: ["github.com/coredns/coredns"],
  },
  kubeRouter: {
    key: `kube-router-${versions.kubeRouter}`,
    goMod: async () => `require github.com/cloudnativelabs/kube-router/v2 ${versions.kubeRouter}\n`,
    packages: ["github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"],
  },
  localPath: {
    key: `local-path-provisioner-${versions.localPath}`,
    goMod: async () => `require github.com/rancher/local-path-provisioner ${versions.localPath}\n`,
    packages: ["github.com/rancher/local-path-provisioner"],
  },
  // The External Secrets Operator's controller (its repository's root command), run out of cluster.
  externalSecrets: {
    key: `external-secrets-${versions.externalSecrets}`,
    goMod: async () => `require github.com/external-secrets/external-secrets ${versions.externalSecrets}\n${await upstreamReplaces("github.com/external-secrets/external-secrets", versions.externalSecrets)}`,
    packages: ["github.com/external-secrets/external-secrets"],
    ldflags: "-s -w",
  },
  // The pod sandbox's process: sleeps and reaps orphans. Keyed by its source.
  pause: {
    key: `pause-${createHash("sha256").update(pauseSource).digest("hex").slice(0, 12)}`,
    goMod: async () => "",
    packages: ["./"],
    files: { "main.go": pauseSource },
    ldflags: "-s -w",
    outputs: { "./": "pause" },
  },
} satisfies Record<string, Component>;

export type ComponentName = keyof typeof components;

function log(message: string): void {
  process.stderr.write(`[go-binaries] ${message}\n`);
}

function outputName(c: Component, pkg: string): string {
  return c.outputs?.[pkg.split("/").pop()!] ?? c.outputs?.[pkg] ?? pkg.split("/").pop()!;
}

/** Path of one built binary of a component (it exists once `buildComponent` ran). */
export function binaryPath(name: ComponentName, binary: string): string {
  return path.join(binRoot, components[name].key, binary);
}

/** Builds a component once; later calls find its binaries in the cache and return at once. */
export async function buildComponent(name: ComponentName): Promise<string> {
  const c: Component = components[name];
  const dir = path.join(binRoot, c.key);
  const outputs = c.packages.map((p) => outputName(c, p));
  if (outputs.every((o) => existsSync(path.join(dir, o)))) return dir;
  const started = Date.now();
  const mod = path.join(moduleRoot, c.key);
  mkdirSync(mod, { recursive: true });
  writeFileSync(path.join(mod, "go.mod"), `module build\n\ngo 1.25.0\n\n${await c.goMod()}`);
  for (const [file, text] of Object.entries(c.files ?? {})) writeFileSync(path.join(mod, file), text);
  const imports = c.packages.filter((p) => !p.startsWith("."));
  if (imports.length > 0) writeFileSync(path.join(mod, "tools.go"), `//go:build tools\n\npackage tools\n\nimport (\n${imports.map((p) => `\t_ "${p}"`).join("\n")}\n)\n`);
  // Built into a scratch directory and renamed, so an interrupted build never looks complete.
  const scratch = `${dir}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  log(`building ${c.key} (minutes on a cold Go cache)`);
  const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
  const args = ["build", "-trimpath"];
  if (c.ldflags) args.push("-ldflags", c.ldflags);
  if (c.tags) args.push("-tags", c.tags);
  if (c.packages.length === 1) args.push("-o", path.join(scratch, outputs[0]), c.packages[0]);
  else args.push("-o", scratch + "/", ...c.packages);
  await execa("go", args, { cwd: mod, env, stdio: ["ignore", "inherit", "inherit"] });
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  log(`built ${c.key} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return dir;
}

/** Builds several components one after another (the machine has few cores; go build uses them all). */
export async function buildComponents(names: ComponentName[]): Promise<void> {
  for (const name of names) await buildComponent(name);
}
