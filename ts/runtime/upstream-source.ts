// The released source of the Python packages whose behaviour the chart configures, unpacked
// once into the cache (PyPI wheels, or the sdist where a release has no wheel), so a test can
// check what a release really reads.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { cachePath } from "../lib/cache-root.ts";
import { hostPython313, run } from "./image/host.ts";

/** `<cache>/upstream-source/<package>-<version>`, holding the package's import roots. */
export function upstreamSource(pkg: string, version: string): string {
  const dir = cachePath("upstream-source", `${pkg}-${version}`);
  if (existsSync(path.join(dir, ".done"))) return dir;
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, "download"), { recursive: true });
  run(hostPython313(), ["-m", "pip", "download", "-q", "--no-deps", "-d", path.join(work, "download"), `${pkg}==${version}`], {
    env: { ...process.env, PIP_FIND_LINKS: "" },
  });
  const [file] = readdirSync(path.join(work, "download"));
  const archive = path.join(work, "download", file);
  mkdirSync(path.join(work, "src"));
  if (file.endsWith(".whl")) run("unzip", ["-q", archive, "-d", path.join(work, "src")]);
  else run("tar", ["-xzf", archive, "-C", path.join(work, "src"), "--strip-components=1"]);
  rmSync(dir, { recursive: true, force: true });
  renameSync(path.join(work, "src"), dir);
  rmSync(work, { recursive: true, force: true });
  run("touch", [path.join(dir, ".done")]);
  return dir;
}

/** Every `.py` file under `dir`, as path -> text. */
export function pythonFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(".py")) files.set(path.relative(dir, full), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return files;
}
