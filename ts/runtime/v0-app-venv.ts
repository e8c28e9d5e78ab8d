// A venv of a released OpenHands 0.x app (the GUI server of 0.27 and its kind), for running
// its own Python against the environment the chart renders. Built on the host with the
// CPython minor the release's image ships, pinned by the release's own poetry.lock (what its
// image installs), and cached under `<cache>/app-<version>/venv`.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheDir, inputHash, isDone, markDone } from "./image/cache.ts";
import { hostPython, hostPython313, run } from "./image/host.ts";
import { withLock } from "./image/lock.ts";
import { buildVenv, constraintsFromPoetryLock } from "./image/venv.ts";

/** The CPython minor of the app image of 0.x releases up to 0.62 (their pyproject: python ^3.12). */
const v0PythonMinor = "3.12";

/** The release's poetry.lock, read from its PyPI wheel (downloaded once into the cache). */
function releasePoetryLock(version: string, log: string): string {
  const dir = cacheDir(`app-${version}`, "wheel");
  const wheelName = () => readdirSync(dir).find((name) => name.endsWith(".whl"));
  if (!wheelName()) {
    // The wheel for the image's Python (a newer host Python would get 0.5x-0.62's sdist).
    run(hostPython313(), ["-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version", v0PythonMinor, "-d", dir, `openhands-ai==${version}`], {
      log,
      env: { ...process.env, PIP_FIND_LINKS: "" },
    });
  }
  return run("unzip", ["-p", path.join(dir, wheelName() as string), "openhands/poetry.lock"]);
}

/** Path of the cached venv of `openhands-ai==<version>`, built when missing or its inputs changed. */
export async function v0AppVenv(version: string, say: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  const dir = cacheDir(`app-${version}`);
  return withLock(dir, "venv", async () => {
    const log = path.join(dir, "venv.log");
    const constraints = constraintsFromPoetryLock(releasePoetryLock(version, log));
    const python = hostPython(v0PythonMinor);
    const pythonVersion = run(python, ["-c", "import sys; print(sys.version.split()[0])"]).trim();
    const requirements = [`openhands-ai==${version}`];
    const key = inputHash(pythonVersion, requirements, constraints);
    const venv = path.join(dir, "venv");
    if (isDone(dir, key, "venv") && existsSync(path.join(venv, "bin", "python"))) return venv;
    writeFileSync(log, "");
    say(`app-${version}: pip install ${requirements.join(" ")} with Python ${pythonVersion} (log: ${log})`);
    buildVenv(python, venv, requirements, constraints, log);
    markDone(dir, key, "venv");
    return venv;
  });
}
