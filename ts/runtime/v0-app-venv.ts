// A venv of a released OpenHands 0.x app (the GUI server of 0.27 and its kind), for running
// its own Python against the environment the chart renders. Built on the host with the
// CPython minor the release's image ships, pinned by the release's own poetry.lock (what its
// image installs), and cached under `<cache>/app-<version>/venv`. The runtime (sandbox)
// variant adds the release's `runtime` dependency group (the Jupyter kernel gateway and the
// rest its runtime image installs) and is cached under `<cache>/app-<version>/runtime-venv`.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheDir, inputHash, isDone, markDone } from "./image/cache.ts";
import { hostPython, hostPython313, run } from "./image/host.ts";
import { withLock } from "./image/lock.ts";
import { buildVenv, constraintsFromPoetryLock } from "./image/venv.ts";

/** The CPython minor of the app image of 0.x releases up to 0.62 (their pyproject: python ^3.12). */
export const v0PythonMinor = "3.12";

/** The release's wheel, downloaded once into the cache; its path. */
function releaseWheel(version: string, log: string): string {
  const dir = cacheDir(`app-${version}`, "wheel");
  const wheelName = () => readdirSync(dir).find((name) => name.endsWith(".whl"));
  if (!wheelName()) {
    // The wheel for the image's Python (a newer host Python would get 0.5x-0.62's sdist).
    run(hostPython313(), ["-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version", v0PythonMinor, "-d", dir, `openhands-ai==${version}`], {
      log,
      env: { ...process.env, PIP_FIND_LINKS: "" },
    });
  }
  return path.join(dir, wheelName() as string);
}

/** The release's poetry.lock, read from its PyPI wheel. */
export function releasePoetryLock(version: string, log: string): string {
  return run("unzip", ["-p", releaseWheel(version, log), "openhands/poetry.lock"]);
}

/** The release's pyproject.toml, read from its PyPI wheel. */
export function releasePyproject(version: string, log: string): string {
  return run("unzip", ["-p", releaseWheel(version, log), "openhands/pyproject.toml"]);
}

/** The package names of one `[tool.poetry.group.<group>.dependencies]` table of a pyproject.toml. */
export function poetryGroupPackages(pyproject: string, group: string): string[] {
  const header = `[tool.poetry.group.${group}.dependencies]`;
  const start = pyproject.indexOf(header);
  if (start < 0) throw new Error(`pyproject.toml has no ${header}`);
  const body = pyproject.slice(start + header.length).split(/^\[/m)[0];
  return body
    .split("\n")
    .map((line) => /^([A-Za-z0-9_.-]+)\s*=/.exec(line.trim())?.[1])
    .filter((name): name is string => !!name);
}

/** A venv under `<cache>/app-<version>/<name>` with `requirements` under the release's lock. */
async function cachedV0Venv(version: string, name: string, requirements: (log: string) => string[], say: (line: string) => void): Promise<string> {
  const dir = cacheDir(`app-${version}`);
  return withLock(dir, name, async () => {
    const log = path.join(dir, `${name}.log`);
    const constraints = constraintsFromPoetryLock(releasePoetryLock(version, log));
    const wanted = requirements(log);
    const python = hostPython(v0PythonMinor);
    const pythonVersion = run(python, ["-c", "import sys; print(sys.version.split()[0])"]).trim();
    const key = inputHash(pythonVersion, wanted, constraints);
    const venv = path.join(dir, name);
    if (isDone(dir, key, name) && existsSync(path.join(venv, "bin", "python"))) return venv;
    writeFileSync(log, "");
    say(`app-${version}: pip install ${wanted.join(" ")} with Python ${pythonVersion} into ${name} (log: ${log})`);
    buildVenv(python, venv, wanted, constraints, log);
    markDone(dir, key, name);
    return venv;
  });
}

/** Path of the cached venv of `openhands-ai==<version>`, built when missing or its inputs changed. */
export async function v0AppVenv(version: string, say: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  return cachedV0Venv(version, "venv", () => [`openhands-ai==${version}`], say);
}

/**
 * Path of the cached venv a 0.x runtime image runs its action execution server from:
 * `openhands-ai==<version>` plus the release's `runtime` group (jupyterlab, notebook,
 * jupyter_kernel_gateway, flake8 for 0.28), all pinned by the release's poetry.lock.
 */
export async function v0RuntimeVenv(version: string, say: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  return cachedV0Venv(version, "runtime-venv", (log) => [`openhands-ai==${version}`, ...poetryGroupPackages(releasePyproject(version, log), "runtime")], say);
}
