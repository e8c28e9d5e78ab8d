// Builds (or finds in the cache) the images a runtime suite runs on a real node, each as a
// docker-archive tar tagged with the exact reference the chart renders by default. Nothing
// comes from a container registry: Debian packages (debootstrap + apt), PyPI, the npm
// registry and the release's UI source.
//
//   npm run images -- [--only app,agent-server,canvas,...] [--oauth2-proxy-binary PATH]
//
// Without --only it builds the images of the default app (app: openhands); Agent Canvas'
// image is built when named.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeDockerArchive, type ImageConfig } from "./image/archive.ts";
import { cacheDir, inputHash, isDone, markDone } from "./image/cache.ts";
import { buildFrontend, frontendNodeVersion } from "./image/frontend.ts";
import { ensureHostPackages, hostPython, hostPython313, run } from "./image/host.ts";
import { withLock } from "./image/lock.ts";
import { chartImageRefs, presetAppRef, presetSandboxRef, tagOf } from "./image/refs.ts";
import { baseSuite, copyBase, debianBase, runInRootfs, trimApt } from "./image/rootfs.ts";
import * as spec from "./image/specs.ts";
import { buildVenv, constraintsFromPoetryLock, copyVenvIntoRootfs } from "./image/venv.ts";
import { canvasConstraints, copyCanvasIntoRootfs, prepareCanvasFiles } from "./image/canvas.ts";
import { repoRoot } from "../lib/helm-binaries.ts";
import { releasePoetryLock, releasePyproject, v0AppVenv, v0PythonMinor, v0RuntimeVenv } from "./v0-app-venv.ts";

export type ImageName = "agent-server" | "app" | "canvas" | "canvas-agent-server" | "dind" | "gateway" | "helm-test" | "oauth2-proxy" | "runtime-0.28" | "app-0.28" | "runtime-0.27" | "app-0.27" | "runtime-0.62";
export const imageNames: ImageName[] = ["agent-server", "app", "canvas", "canvas-agent-server", "dind", "gateway", "helm-test", "oauth2-proxy", "runtime-0.28", "app-0.28", "runtime-0.27", "app-0.27", "runtime-0.62"];
/**
 * What a build without `only` makes: the default app's images (Canvas' and the 0.x app's and
 * runtime's are large and built when named).
 */
export const defaultImageNames: ImageName[] = imageNames.filter((name) => !name.startsWith("canvas") && !/-0\.\d+$/.test(name));

export interface BuiltImage {
  name: ImageName;
  /** The reference the chart renders by default; the tar's RepoTags carry exactly this. */
  ref: string;
  /** A docker-archive tar for `docker load` or `ctr -n k8s.io images import`. */
  tar: string;
  /** Whether this call found it in the cache instead of building it. */
  cached: boolean;
  seconds: number;
}

export interface BuildOptions {
  only?: ImageName[];
  /** A static oauth2-proxy binary; without it that image is not built. */
  oauth2ProxyBinary?: string;
  /** The OpenHands release archive with frontend/ and containers/app/. */
  upstreamArchive?: string;
  log?: (line: string) => void;
}

const recipesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "image", "recipes");
const recipe = (file: string) => readFileSync(path.join(recipesDir, file), "utf8");

/** The release archive: given, OPENHANDS_UPSTREAM_ARCHIVE, or the shared folder beside the clone. */
export function findUpstreamArchive(given?: string): string {
  const name = `openhands-${spec.appVersion}-frontend-and-image.tar.gz`;
  const candidates = [given, process.env.OPENHANDS_UPSTREAM_ARCHIVE, path.join(repoRoot, "..", "shared", "upstream", name)];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`the OpenHands ${spec.appVersion} release archive (${name}) was not found; set OPENHANDS_UPSTREAM_ARCHIVE`);
  return found;
}

export async function buildRuntimeImages(options: BuildOptions = {}): Promise<BuiltImage[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const refs = chartImageRefs();
  const wanted = new Set(options.only ?? defaultImageNames);
  const oauth2ProxyBinary = options.oauth2ProxyBinary ?? process.env.OAUTH2_PROXY_BINARY;
  if (wanted.has("oauth2-proxy") && !oauth2ProxyBinary) {
    if (options.only?.includes("oauth2-proxy")) throw new Error("oauth2-proxy: pass the binary (oauth2ProxyBinary or OAUTH2_PROXY_BINARY)");
    wanted.delete("oauth2-proxy");
  }
  ensureHostPackages({ debootstrap: "debootstrap", chroot: "coreutils", mountpoint: "util-linux" });

  const builders: Record<ImageName, () => Omit<BuiltImage, "seconds">> = {
    "agent-server": () => buildAgentServer(refs.agentServer, log),
    app: () => buildApp(refs.app, findUpstreamArchive(options.upstreamArchive), log),
    canvas: () => buildCanvas(refs.canvas, log),
    "canvas-agent-server": () => buildCanvasAgentServer(refs.canvasAgentServer, log),
    dind: () =>
      buildDebianImage({ name: "dind", ref: refs.dind, packages: spec.dindPackages, recipe: "dind.sh", files: ["dockerd-entrypoint.sh"], config: spec.dindConfig }, log),
    gateway: () =>
      buildDebianImage({ name: "gateway", ref: refs.gateway, packages: spec.gatewayPackages, recipe: "gateway.sh", files: ["nginx.conf"], config: spec.gatewayConfig }, log),
    "helm-test": () =>
      buildDebianImage({ name: "helm-test", ref: refs.helmTest, packages: spec.helmTestPackages, recipe: "curl.sh", files: ["curl-entrypoint.sh"], config: spec.helmTestConfig }, log),
    "oauth2-proxy": () => buildOauth2Proxy(refs.oauth2Proxy, oauth2ProxyBinary!, log),
    "runtime-0.28": () => buildV0Runtime(presetSandboxRef("blog-dind-values.yaml"), spec.v0RuntimeVersion, log),
    "app-0.28": () => buildV0App(presetAppRef("blog-dind-values.yaml"), spec.v0AppVersion, log),
    "runtime-0.27": () => buildV0Runtime(presetSandboxRef("lolice-values.yaml"), spec.v0LoliceVersion, log),
    "app-0.27": () => buildV0App(presetAppRef("lolice-values.yaml"), spec.v0LoliceVersion, log),
    "runtime-0.62": () => buildV0Runtime(presetSandboxRef("v0-kubernetes-runtime-values.yaml"), spec.v0KubernetesRuntimeVersion, log),
  };
  const built: BuiltImage[] = [];
  for (const name of imageNames) {
    if (!wanted.has(name)) continue;
    const started = Date.now();
    // The 0.x runtime's venv is built (or found) before its image's lock is taken.
    if (name === "runtime-0.28") v0Venvs.set(spec.v0RuntimeVersion, await v0RuntimeVenv(spec.v0RuntimeVersion, log));
    if (name === "app-0.28") v0AppVenvs.set(spec.v0AppVersion, await v0AppVenv(spec.v0AppVersion, log));
    if (name === "runtime-0.27") v0Venvs.set(spec.v0LoliceVersion, await v0RuntimeVenv(spec.v0LoliceVersion, log));
    if (name === "app-0.27") v0AppVenvs.set(spec.v0LoliceVersion, await v0AppVenv(spec.v0LoliceVersion, log));
    if (name === "runtime-0.62") v0Venvs.set(spec.v0KubernetesRuntimeVersion, await v0RuntimeVenv(spec.v0KubernetesRuntimeVersion, log));
    const image = await withLock(cacheDir("images", ".locks"), name, async () => builders[name]());
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    log(`${name}: ${image.ref} ${image.cached ? "cached" : "built"} in ${seconds}s -> ${image.tar}`);
    built.push({ ...image, seconds });
  }
  return built;
}

interface DebianImage {
  name: ImageName;
  ref: string;
  packages: string[];
  recipe: string;
  /** Recipe helper files, placed in /tmp for the recipe. */
  files?: string[];
  config: ImageConfig;
  /** Host-built inputs (their cache keys) that hostSteps copies in. */
  inputs?: unknown;
  hostSteps?: (rootfs: string, log: string) => void;
}

function buildDebianImage(image: DebianImage, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const dir = cacheDir("images", `${image.name}-${tagOf(image.ref)}`);
  const tar = path.join(dir, "image.tar");
  const key = inputHash(baseSuite, image.ref, image.packages, recipe(image.recipe), (image.files ?? []).map(recipe), image.config, image.inputs ?? null);
  if (isDone(dir, key) && existsSync(tar)) return { name: image.name, ref: image.ref, tar, cached: true };
  const log = path.join(dir, "build.log");
  writeFileSync(log, "");
  say(`${image.name}: building (log: ${log})`);
  const base = debianBase(baseSuite, log);
  const rootfs = path.join(dir, "rootfs");
  copyBase(base, rootfs);
  runInRootfs(rootfs, `apt-get update -q\napt-get install -y -q --no-install-recommends ${image.packages.join(" ")}\napt-get clean\n`, {}, log);
  for (const file of image.files ?? []) copyFileSync(path.join(recipesDir, file), path.join(rootfs, "tmp", file));
  image.hostSteps?.(rootfs, log);
  runInRootfs(rootfs, recipe(image.recipe), {}, log);
  trimApt(rootfs);
  rmSync(path.join(rootfs, "tmp"), { recursive: true, force: true });
  mkdirSync(path.join(rootfs, "tmp"));
  chmodSync(path.join(rootfs, "tmp"), 0o1777);
  writeDockerArchive(rootfs, image.ref, image.config, tar, log);
  run("rm", ["-rf", rootfs]);
  markDone(dir, key);
  return { name: image.name, ref: image.ref, tar, cached: false };
}

/** The app release's poetry.lock, from its wheel (the PyPI release carries it). */
function appPoetryLock(log: string): string {
  const dir = cacheDir(`app-${spec.appVersion}`, "wheel");
  const wheel = path.join(dir, `openhands_ai-${spec.appVersion}-py3-none-any.whl`);
  if (!existsSync(wheel)) {
    run(hostPython313(), ["-m", "pip", "download", "-q", "--no-deps", "-d", dir, `openhands-ai==${spec.appVersion}`], {
      log,
      env: { ...process.env, PIP_FIND_LINKS: "" },
    });
  }
  return run("unzip", ["-p", wheel, "openhands/poetry.lock"]);
}

/** A venv cached under `<cacheName>/venv`, rebuilt only when its inputs change. */
function cachedVenv(cacheName: string, requirements: string[], constraints: string, say: (line: string) => void): { venv: string; key: string } {
  const dir = cacheDir(cacheName);
  const python = hostPython313();
  const pythonVersion = run(python, ["-c", "import sys; print(sys.version.split()[0])"]).trim();
  const key = inputHash(pythonVersion, requirements, constraints);
  const venv = path.join(dir, "venv");
  if (isDone(dir, key, "venv") && existsSync(path.join(venv, "bin", "python"))) return { venv, key };
  const log = path.join(dir, "venv.log");
  writeFileSync(log, "");
  say(`${cacheName}: pip install ${requirements.join(" ")} with Python ${pythonVersion} (log: ${log})`);
  buildVenv(python, venv, requirements, constraints, log);
  markDone(dir, key, "venv");
  return { venv, key };
}

function buildAgentServer(ref: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const lock = appPoetryLock(path.join(cacheDir(`app-${spec.appVersion}`), "wheel.log"));
  const venv = cachedVenv(`agent-server-${spec.agentServerVersion}`, spec.agentServerRequirements, constraintsFromPoetryLock(lock), say);
  return agentServerImage("agent-server", ref, venv, say);
}

/** The agent-server Dockerfile's image around a cached venv of the agent server. */
function agentServerImage(name: ImageName, ref: string, { venv, key }: { venv: string; key: string }, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  return buildDebianImage(
    {
      name,
      ref,
      packages: spec.agentServerPackages,
      recipe: "agent-server.sh",
      config: spec.agentServerConfig,
      inputs: { venv: key },
      hostSteps: (rootfs, log) => copyVenvIntoRootfs(venv, rootfs, "/agent-server/.venv", "/usr/bin/python3", log),
    },
    say,
  );
}

/** Agent Canvas the way its Dockerfile assembles it, on the agent-server base with Node. */
function buildCanvas(ref: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const dir = cacheDir(`agent-canvas-${spec.canvasVersion}`);
  const log = path.join(dir, "files.log");
  writeFileSync(log, "");
  const files = prepareCanvasFiles(log);
  const { venv, key } = cachedVenv(`agent-canvas-${spec.canvasVersion}`, spec.canvasRequirements, canvasConstraints(), say);
  return buildDebianImage(
    {
      name: "canvas",
      ref,
      packages: spec.canvasPackages,
      recipe: "canvas.sh",
      files: ["agent-server.sh"],
      config: spec.canvasConfig,
      inputs: { venv: key, ...files.key, defaultsEnv: files.defaultsEnv },
      hostSteps: (rootfs, log) => {
        copyVenvIntoRootfs(venv, rootfs, "/agent-server/.venv", "/usr/bin/python3", log);
        copyCanvasIntoRootfs(files, rootfs, log);
      },
    },
    say,
  );
}

/**
 * The agent server Canvas pins, as its `-python` image: the agent-server recipe with Canvas'
 * venv (the agent server, tools and workspace at Canvas' version, under its constraints).
 * Canvas' Docker runtime runs one per conversation.
 */
function buildCanvasAgentServer(ref: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  return agentServerImage("canvas-agent-server", ref, cachedVenv(`agent-canvas-${spec.canvasVersion}`, spec.canvasRequirements, canvasConstraints(), say), say);
}

/** The cached OpenHands ${appVersion} venv (what the app image runs), built when missing; its path. */
export async function appVenv(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  return withLock(cacheDir("images", ".locks"), "app", async () => {
    const lock = appPoetryLock(path.join(cacheDir(`app-${spec.appVersion}`), "wheel.log"));
    return cachedVenv(`app-${spec.appVersion}`, [`openhands-ai==${spec.appVersion}`], constraintsFromPoetryLock(lock), log).venv;
  });
}

function buildApp(ref: string, archive: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const appDir = cacheDir(`app-${spec.appVersion}`);
  const lock = appPoetryLock(path.join(appDir, "wheel.log"));
  const { venv, key: venvKey } = cachedVenv(`app-${spec.appVersion}`, [`openhands-ai==${spec.appVersion}`], constraintsFromPoetryLock(lock), say);

  const archiveHash = createHash("sha256").update(readFileSync(archive)).digest("hex");
  const frontendKey = inputHash(archiveHash, frontendNodeVersion);
  const frontendBuild = path.join(appDir, "frontend-build");
  if (!(isDone(appDir, frontendKey, "frontend") && existsSync(path.join(frontendBuild, "index.html")))) {
    const log = path.join(appDir, "frontend.log");
    writeFileSync(log, "");
    say(`app: building the ${spec.appVersion} UI with Node ${frontendNodeVersion} (log: ${log})`);
    buildFrontend(archive, path.join(appDir, "frontend-src"), frontendBuild, log);
    markDone(appDir, frontendKey, "frontend");
  }
  // A working directory for running the app straight from the cache: it serves ./frontend/build.
  const workdir = path.join(appDir, "workdir", "frontend");
  mkdirSync(workdir, { recursive: true });
  if (!existsSync(path.join(workdir, "build"))) symlinkSync("../../frontend-build", path.join(workdir, "build"));

  const entrypoint = run("sh", ["-c", `tar -xzf "$1" -O --wildcards '*/containers/app/entrypoint.sh'`, "sh", archive]);
  return buildDebianImage(
    {
      name: "app",
      ref,
      packages: spec.appPackages,
      recipe: "app.sh",
      config: spec.appConfig,
      inputs: { venv: venvKey, frontend: frontendKey, entrypoint },
      hostSteps: (rootfs, log) => {
        copyVenvIntoRootfs(venv, rootfs, "/app/.venv", "/usr/bin/python3", log);
        mkdirSync(path.join(rootfs, "app", "frontend"), { recursive: true });
        run("cp", ["-a", frontendBuild, path.join(rootfs, "app", "frontend", "build")], { log });
        writeFileSync(path.join(rootfs, "app", "entrypoint.sh"), entrypoint, { mode: 0o770 });
        writeFileSync(path.join(rootfs, "app", "poetry.lock"), lock);
      },
    },
    say,
  );
}

const v0Venvs = new Map<string, string>();

/**
 * The runtime image OpenHands 0.x's DockerRuntime starts (see spec.v0RuntimeConfig): a Debian
 * rootfs, the host's CPython 3.12 as the `openhands` environment, the release's venv (the app
 * plus its runtime group), the stand-ins for micromamba and poetry, and Debian's chromium.
 * 0.62's (spec.v0KubernetesRuntimeConfig, the image its KubernetesRuntime runs) adds its own
 * recipe, a micromamba stand-in with `shell hook`, uv in /openhands/bin and the
 * openvscode-server stand-in.
 */
function buildV0Runtime(ref: string, version: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const is62 = version === spec.v0KubernetesRuntimeVersion;
  const uv = is62 ? uvBinaries(spec.v0KubernetesRuntimeUvVersion, say) : null;
  const micromamba = is62 ? "runtime-v0-62-micromamba.sh" : "runtime-v0-micromamba.sh";
  const files = is62 ? [micromamba, "runtime-v0-poetry.sh", "runtime-v0-62-openvscode-server.sh"] : [micromamba, "runtime-v0-poetry.sh"];
  const venv = v0Venvs.get(version);
  if (!venv) throw new Error(`runtime ${version}: its venv was not built`);
  const paths = spec.v0RuntimePaths;
  const python = hostPython(v0PythonMinor);
  const prefix = run(python, ["-c", "import sys; print(sys.base_prefix)"]).trim();
  const pythonVersion = run(python, ["-c", "import sys; print(sys.version.split()[0])"]).trim();
  const wheelLog = path.join(cacheDir(`app-${version}`), "wheel.log");
  const lock = releasePoetryLock(version, wheelLog);
  const pyproject = releasePyproject(version, wheelLog);
  const venvKey = readFileSync(path.join(cacheDir(`app-${version}`), ".done-runtime-venv"), "utf8").trim();
  const name = `runtime-${version.split(".").slice(0, 2).join(".")}` as ImageName;
  return buildDebianImage(
    {
      name,
      ref,
      packages: is62 ? spec.v0KubernetesRuntimePackages : spec.v0RuntimePackages,
      recipe: is62 ? "runtime-v0-62.sh" : "runtime-v0.sh",
      files,
      config: is62 ? spec.v0KubernetesRuntimeConfig : spec.v0RuntimeConfig,
      inputs: is62 ? { venv: venvKey, python: pythonVersion, paths, uv: uv!.key } : { venv: venvKey, python: pythonVersion, paths },
      hostSteps: (rootfs, log) => {
        // The interpreter's prefix, without its test suite; its libpython is found through ld.so.conf.
        const target = path.join(rootfs, paths.pythonPrefix);
        mkdirSync(path.dirname(target), { recursive: true });
        run("cp", ["-a", prefix, target], { log });
        run("rm", ["-rf", path.join(target, "lib", `python${v0PythonMinor}`, "test")]);
        writeFileSync(path.join(rootfs, "etc/ld.so.conf.d/openhands-python.conf"), `${paths.pythonPrefix}/lib\n`);
        run("chroot", [rootfs, "/sbin/ldconfig"], { log });
        const imagePython = `${paths.pythonPrefix}/bin/python${v0PythonMinor}`;
        copyVenvIntoRootfs(venv, rootfs, paths.venv, imagePython, log);
        const bin = path.join(rootfs, "openhands/micromamba/bin");
        mkdirSync(bin, { recursive: true });
        copyFileSync(path.join(recipesDir, micromamba), path.join(bin, "micromamba"));
        chmodSync(path.join(bin, "micromamba"), 0o755);
        copyFileSync(path.join(recipesDir, "runtime-v0-poetry.sh"), path.join(target, "bin", "poetry"));
        chmodSync(path.join(target, "bin", "poetry"), 0o755);
        // /openhands/code: the release's pyproject.toml and poetry.lock, and its package (the venv's copy).
        const code = path.join(rootfs, paths.code);
        mkdirSync(code, { recursive: true });
        writeFileSync(path.join(code, "pyproject.toml"), pyproject);
        writeFileSync(path.join(code, "poetry.lock"), lock);
        symlinkSync(`${paths.venv}/lib/python${v0PythonMinor}/site-packages/openhands`, path.join(code, "openhands"));
        if (uv) {
          const ohBin = path.join(rootfs, "openhands/bin");
          mkdirSync(ohBin, { recursive: true });
          for (const exe of ["uv", "uvx"]) {
            copyFileSync(path.join(uv.dir, exe), path.join(ohBin, exe));
            chmodSync(path.join(ohBin, exe), 0o755);
          }
          const vscodeBin = path.join(rootfs, "openhands/.openvscode-server/bin");
          mkdirSync(vscodeBin, { recursive: true });
          copyFileSync(path.join(recipesDir, "runtime-v0-62-openvscode-server.sh"), path.join(vscodeBin, "openvscode-server"));
          chmodSync(path.join(vscodeBin, "openvscode-server"), 0o755);
        }
      },
    },
    say,
  );
}

/** uv and uvx from the PyPI wheel of `version`, extracted once into the cache; their folder and cache key. */
function uvBinaries(version: string, say: (line: string) => void): { dir: string; key: string } {
  const dir = cacheDir(`uv-${version}`);
  const key = inputHash(version, process.arch);
  const bin = path.join(dir, "bin");
  if (isDone(dir, key) && existsSync(path.join(bin, "uvx"))) return { dir: bin, key };
  const log = path.join(dir, "download.log");
  writeFileSync(log, "");
  say(`uv ${version}: from its wheel (log: ${log})`);
  run("rm", ["-rf", path.join(dir, "wheel"), bin]);
  run(hostPython313(), ["-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", path.join(dir, "wheel"), `uv==${version}`], {
    log,
    env: { ...process.env, PIP_FIND_LINKS: "" },
  });
  mkdirSync(bin, { recursive: true });
  run("sh", ["-c", `unzip -j -o "$1"/uv-*.whl 'uv-*.data/scripts/uv' 'uv-*.data/scripts/uvx' -d "$2"`, "sh", path.join(dir, "wheel"), bin], { log });
  run("rm", ["-rf", path.join(dir, "wheel")]);
  markDone(dir, key);
  return { dir: bin, key };
}

const v0AppVenvs = new Map<string, string>();

/**
 * The OpenHands 0.x app (GUI server) image (see spec.v0AppConfig): a Debian rootfs, the host's
 * CPython 3.12 in /usr/local, the release's venv at /app/.venv, its package at /app/openhands,
 * an empty UI directory and an entrypoint of our own for SANDBOX_USER_ID=0.
 */
function buildV0App(ref: string, version: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const venv = v0AppVenvs.get(version);
  if (!venv) throw new Error(`app ${version}: its venv was not built`);
  const python = hostPython(v0PythonMinor);
  const prefix = run(python, ["-c", "import sys; print(sys.base_prefix)"]).trim();
  const pythonVersion = run(python, ["-c", "import sys; print(sys.version.split()[0])"]).trim();
  const wheelLog = path.join(cacheDir(`app-${version}`), "wheel.log");
  const lock = releasePoetryLock(version, wheelLog);
  const pyproject = releasePyproject(version, wheelLog);
  const venvKey = readFileSync(path.join(cacheDir(`app-${version}`), ".done-venv"), "utf8").trim();
  const name = `app-${version.split(".").slice(0, 2).join(".")}` as ImageName;
  return buildDebianImage(
    {
      name,
      ref,
      packages: spec.v0AppPackages,
      recipe: "app-v0.sh",
      files: ["app-v0-entrypoint.sh"],
      config: spec.v0AppConfigFor(version),
      inputs: { venv: venvKey, python: pythonVersion },
      hostSteps: (rootfs, log) => {
        // The interpreter's prefix, without its test suite, where python:3.12-slim has it.
        run("cp", ["-a", `${prefix}/.`, path.join(rootfs, "usr", "local")], { log });
        run("rm", ["-rf", path.join(rootfs, "usr", "local", "lib", `python${v0PythonMinor}`, "test")]);
        run("chroot", [rootfs, "/sbin/ldconfig"], { log });
        copyVenvIntoRootfs(venv, rootfs, "/app/.venv", `/usr/local/bin/python${v0PythonMinor}`, log);
        const app = path.join(rootfs, "app");
        writeFileSync(path.join(app, "pyproject.toml"), pyproject);
        writeFileSync(path.join(app, "poetry.lock"), lock);
        symlinkSync(`/app/.venv/lib/python${v0PythonMinor}/site-packages/openhands`, path.join(app, "openhands"));
        copyFileSync(path.join(recipesDir, "app-v0-entrypoint.sh"), path.join(app, "entrypoint.sh"));
      },
    },
    say,
  );
}

function buildOauth2Proxy(ref: string, binary: string, say: (line: string) => void): Omit<BuiltImage, "seconds"> {
  const image = packageStaticBinary({ cacheName: "oauth2-proxy", ref, binary, path: "/bin/oauth2-proxy", config: spec.oauth2ProxyConfig }, say);
  return { name: "oauth2-proxy", ...image };
}

export interface StaticBinaryImage {
  /** Cache directory name (the image's tag is appended). */
  cacheName: string;
  ref: string;
  binary: string;
  /** Where the binary lives in the image. */
  path: string;
  config: ImageConfig;
}

/** A distroless-style image: one static binary, CA certificates, a nonroot user 65532 and /tmp. */
export function packageStaticBinary(image: StaticBinaryImage, say: (line: string) => void): { ref: string; tar: string; cached: boolean } {
  const { ref, binary } = image;
  if (!existsSync(binary)) throw new Error(`${image.cacheName}: binary ${binary} does not exist`);
  const dir = cacheDir("images", `${image.cacheName}-${tagOf(ref)}`);
  const tar = path.join(dir, "image.tar");
  const binaryHash = createHash("sha256").update(readFileSync(binary)).digest("hex");
  const key = inputHash(ref, binaryHash, image.path, image.config);
  if (isDone(dir, key) && existsSync(tar)) return { ref, tar, cached: true };
  const log = path.join(dir, "build.log");
  writeFileSync(log, "");
  say(`${image.cacheName}: packaging ${binary}`);
  const base = debianBase(baseSuite, log);
  const rootfs = path.join(dir, "rootfs");
  run("rm", ["-rf", rootfs]);
  for (const d of [path.dirname(image.path), "etc/ssl/certs", "tmp", "home/nonroot"]) mkdirSync(path.join(rootfs, d), { recursive: true });
  copyFileSync(binary, path.join(rootfs, image.path));
  chmodSync(path.join(rootfs, image.path), 0o755);
  copyFileSync(path.join(base, "etc/ssl/certs/ca-certificates.crt"), path.join(rootfs, "etc/ssl/certs/ca-certificates.crt"));
  writeFileSync(path.join(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  writeFileSync(path.join(rootfs, "etc/group"), "root:x:0:\nnonroot:x:65532:\n");
  chmodSync(path.join(rootfs, "tmp"), 0o1777);
  run("chown", ["65532:65532", path.join(rootfs, "home/nonroot")]);
  writeDockerArchive(rootfs, ref, image.config, tar, log);
  run("rm", ["-rf", rootfs]);
  markDone(dir, key);
  return { ref, tar, cached: false };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = flag("--only")?.split(",") as ImageName[] | undefined;
  const unknown = only?.filter((n) => !imageNames.includes(n));
  if (unknown?.length) throw new Error(`--only: unknown image ${unknown.join(", ")} (known: ${imageNames.join(", ")})`);
  const images = await buildRuntimeImages({ only, oauth2ProxyBinary: flag("--oauth2-proxy-binary") });
  process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
}
