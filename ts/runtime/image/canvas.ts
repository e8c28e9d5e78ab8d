// Agent Canvas' files for its image, prepared on the host the way its Dockerfile prepares
// them: the prebuilt UI and the Node servers from the npm package (checked against its
// published sha512), the servers' two npm dependencies from a committed lock, defaults.env
// generated from the package's config/defaults.json, and the entrypoint kept in canvas/.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, inputHash, isDone, markDone } from "./cache.ts";
import { run } from "./host.ts";
import * as spec from "./specs.ts";

/** The committed inputs: constraints, the servers' dependency lock, the entrypoint. */
export const canvasInputs = path.join(path.dirname(fileURLToPath(import.meta.url)), "canvas");

export interface CanvasFiles {
  /** The unpacked npm package (build/, scripts/, tools/, config/). */
  packageDir: string;
  /** node_modules with the static server's dependencies. */
  serverModules: string;
  defaultsEnv: string;
  entrypoint: string;
  /** What the image's cache key needs from these. */
  key: { npm: string; deps: string; entrypoint: string };
}

export function canvasConstraints(): string {
  return readFileSync(path.join(canvasInputs, `constraints-${spec.canvasVersion}.txt`), "utf8");
}

export function prepareCanvasFiles(log: string): CanvasFiles {
  const dir = cacheDir(`agent-canvas-${spec.canvasVersion}`);
  const entrypoint = readFileSync(path.join(canvasInputs, "entrypoint.sh"), "utf8");
  const entrypointHash = createHash("sha256").update(entrypoint).digest("hex");
  if (entrypointHash !== spec.canvasEntrypointSha256) {
    throw new Error(`${path.join(canvasInputs, "entrypoint.sh")}: sha256 ${entrypointHash}, expected ${spec.canvasEntrypointSha256}`);
  }
  const packageDir = unpackedPackage(dir, log);
  const serverModules = installedServerDeps(dir, log);
  const defaults = JSON.parse(readFileSync(path.join(packageDir, "config", "defaults.json"), "utf8"));
  if (defaults.versions?.agentCanvas !== spec.canvasVersion || defaults.versions?.agentServer !== spec.canvasAgentServerVersion) {
    throw new Error(`the npm package's config/defaults.json pins ${JSON.stringify(defaults.versions)}, not Canvas ${spec.canvasVersion} with agent server ${spec.canvasAgentServerVersion}`);
  }
  return {
    packageDir,
    serverModules,
    defaultsEnv: defaultsEnv(defaults),
    entrypoint,
    key: { npm: spec.canvasNpmSha512, deps: lockHash(), entrypoint: entrypointHash },
  };
}

/**
 * The shell-sourceable defaults the entrypoint reads, generated from config/defaults.json
 * with the keys (and order) of the image's config-gen stage.
 */
export function defaultsEnv(c: any): string {
  const lines = [
    `CONFIG_AGENT_SERVER_PORT=${c.ports.agentServer}`,
    `CONFIG_AUTOMATION_PORT=${c.ports.automation}`,
    `CONFIG_PROXY_PORT=${c.ports.proxy}`,
    `CONFIG_VSCODE_PORT=${c.ports.vscode}`,
    `CONFIG_STATE_SUBDIR=${c.paths.stateSubdir}`,
    `CONFIG_CONVERSATIONS=${c.paths.conversations}`,
    `CONFIG_BASH_EVENTS=${c.paths.bashEvents}`,
    `CONFIG_AUTOMATION_DB=${c.paths.automationDb}`,
    `CONFIG_CANVAS_BASE_PATH=${c.paths.canvasBasePath}`,
    `CONFIG_VSCODE_BASE_PATH=${c.paths.vscodeBasePath}`,
    `CONFIG_POSTHOG_API_KEY=${c.telemetry.posthogApiKey}`,
    `CONFIG_POSTHOG_HOST=${c.telemetry.posthogHost}`,
  ];
  for (const line of lines) if (/=(undefined)?$/.test(line)) throw new Error(`config/defaults.json: no value for ${line}`);
  return `${lines.join("\n")}\n`;
}

/** `npm pack` of the release, checked against its sha512, unpacked once. */
function unpackedPackage(dir: string, log: string): string {
  const packageDir = path.join(dir, "package");
  const key = inputHash(spec.canvasNpmSha512);
  if (isDone(dir, key, "npm") && existsSync(path.join(packageDir, "build", "index.html"))) return packageDir;
  const npmDir = path.join(dir, "npm");
  rmSync(npmDir, { recursive: true, force: true });
  mkdirSync(npmDir, { recursive: true });
  run("npm", ["pack", `@openhands/agent-canvas@${spec.canvasVersion}`, "--pack-destination", npmDir, "--silent"], { cwd: npmDir, log });
  const tarball = readdirSync(npmDir).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack @openhands/agent-canvas@${spec.canvasVersion} wrote no tarball (log: ${log})`);
  const sha512 = `sha512-${createHash("sha512").update(readFileSync(path.join(npmDir, tarball))).digest("base64")}`;
  if (sha512 !== spec.canvasNpmSha512) throw new Error(`${tarball}: ${sha512}, expected ${spec.canvasNpmSha512}`);
  rmSync(packageDir, { recursive: true, force: true });
  run("tar", ["-xzf", path.join(npmDir, tarball), "-C", dir, "--no-same-owner"], { log });
  if (!existsSync(path.join(packageDir, "build", "index.html"))) throw new Error(`${tarball} has no build/index.html`);
  markDone(dir, key, "npm");
  return packageDir;
}

function lockHash(): string {
  return createHash("sha256").update(readFileSync(path.join(canvasInputs, "server-deps", "package-lock.json"))).digest("hex");
}

/** `npm ci` of the committed server-deps lock (no install scripts), once per lock. */
function installedServerDeps(dir: string, log: string): string {
  const work = path.join(dir, "server-deps");
  const modules = path.join(work, "node_modules");
  const key = inputHash(lockHash());
  if (isDone(dir, key, "server-deps") && existsSync(path.join(modules, "sirv"))) return modules;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(canvasInputs, "server-deps", file), path.join(work, file));
  run("npm", ["ci", "--ignore-scripts", "--omit=dev", "--no-audit", "--no-fund"], { cwd: work, log });
  markDone(dir, key, "server-deps");
  return modules;
}

/** The modules the static server imports, by the directory names the Dockerfile copies. */
export const serverModuleDirs = ["httpxy", "sirv", "@polka", "mrmime", "totalist"];

/** Copies the Canvas files into the image's /opt/agent-canvas (the recipe fixes owners and modes). */
export function copyCanvasIntoRootfs(files: CanvasFiles, rootfs: string, log: string): void {
  const opt = path.join(rootfs, "opt", "agent-canvas");
  rmSync(opt, { recursive: true, force: true });
  mkdirSync(path.join(opt, "node_modules"), { recursive: true });
  run("cp", ["-a", path.join(files.packageDir, "build"), path.join(opt, "frontend")], { log });
  run("cp", ["-a", path.join(files.packageDir, "tools"), path.join(opt, "tools")], { log });
  for (const script of ["static-server.mjs", "proxy-utils.mjs", "runtime-services-info.mjs"]) {
    copyFileSync(path.join(files.packageDir, "scripts", script), path.join(opt, script));
  }
  for (const name of serverModuleDirs) run("cp", ["-a", path.join(files.serverModules, name), path.join(opt, "node_modules", name)], { log });
  writeFileSync(path.join(opt, "defaults.env"), files.defaultsEnv);
  writeFileSync(path.join(opt, "entrypoint.sh"), files.entrypoint, { mode: 0o755 });
}
