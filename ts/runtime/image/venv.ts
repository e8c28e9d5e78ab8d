// Python virtual environments for the images. They are built on the host with a CPython of
// the same minor version as the image's Debian python3 (so wheels and their ABI match), kept
// in the cache, and copied into an image with their paths rewritten to the image's.
import { existsSync, lstatSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheDir } from "./cache.ts";
import { run } from "./host.ts";

/** `name==version` for every package a poetry.lock pins, as pip constraints. */
export function constraintsFromPoetryLock(lock: string): string {
  const pins: string[] = [];
  for (const block of lock.split(/^\[\[package\]\]$/m).slice(1)) {
    const name = /^name = "([^"]+)"$/m.exec(block)?.[1];
    const version = /^version = "([^"]+)"$/m.exec(block)?.[1];
    if (name && version) pins.push(`${name}==${version}`);
  }
  if (pins.length === 0) throw new Error("poetry.lock has no [[package]] entries");
  return `${pins.join("\n")}\n`;
}

/**
 * Creates `venv` with `python` and pip-installs `requirements` under `constraints`. It is
 * built beside the old one and swapped in at the end, so a process running from the old
 * venv never sees a half-installed one.
 */
export function buildVenv(python: string, venv: string, requirements: string[], constraints: string, log: string): void {
  const partial = `${venv}.partial`;
  run("rm", ["-rf", partial]);
  run(python, ["-m", "venv", partial], { log });
  const constraintsFile = path.join(partial, "constraints.txt");
  writeFileSync(constraintsFile, constraints);
  const pip = path.join(partial, "bin", "pip");
  run(pip, ["install", "-q", "--no-warn-script-location", "-c", constraintsFile, ...requirements], {
    log,
    // The host's find-links directory holds wheels for other projects; only the index counts here.
    // Downloads are kept with the other caches, so a changed pin fetches only what changed.
    env: { ...process.env, PIP_FIND_LINKS: "", PIP_CACHE_DIR: cacheDir("pip") },
  });
  run(pip, ["check"], { log });
  rewriteVenvPaths(partial, partial, venv);
  const old = `${venv}.old-${process.pid}`;
  if (existsSync(venv)) renameSync(venv, old);
  renameSync(partial, venv);
  run("rm", ["-rf", old]);
}

/** Points a venv's scripts (shebangs, activate) at the path it now lives at. */
function rewriteVenvPaths(venv: string, from: string, to: string): void {
  const bin = path.join(venv, "bin");
  for (const name of readdirSync(bin)) {
    const file = path.join(bin, name);
    if (!lstatSync(file).isFile()) continue;
    const text = readFileSync(file);
    if (text.includes(0) || !text.includes(from)) continue;
    writeFileSync(file, text.toString("utf8").split(from).join(to));
  }
  const cfg = path.join(venv, "pyvenv.cfg");
  writeFileSync(cfg, readFileSync(cfg, "utf8").split(from).join(to));
}

/**
 * Copies a host-built venv to `imagePath` inside `rootfs`, pointing it at the image's
 * interpreter: pyvenv.cfg, the python links, and the scripts' shebangs.
 */
export function copyVenvIntoRootfs(venv: string, rootfs: string, imagePath: string, imagePython: string, log: string): void {
  const target = path.join(rootfs, imagePath);
  run("rm", ["-rf", target]);
  run("mkdir", ["-p", path.dirname(target)]);
  run("cp", ["-a", venv, target], { log });
  const cfgPath = path.join(target, "pyvenv.cfg");
  const version = run("chroot", [rootfs, imagePython, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]).trim();
  writeFileSync(
    cfgPath,
    [
      `home = ${path.dirname(imagePython)}`,
      "include-system-site-packages = false",
      `version = ${version}`,
      `executable = ${imagePython}`,
      `command = ${imagePython} -m venv ${imagePath}`,
      "",
    ].join("\n"),
  );
  const bin = path.join(target, "bin");
  for (const name of readdirSync(bin)) {
    const file = path.join(bin, name);
    if (/^python(3(\.\d+)?)?$/.test(name)) {
      rmSync(file, { force: true });
      symlinkSync(imagePython, file);
      continue;
    }
    if (!lstatSync(file).isFile()) continue;
    const text = readFileSync(file);
    if (text.subarray(0, 2).toString() !== "#!" || text.includes(0)) continue;
    writeFileSync(file, text.toString("utf8").split(venv).join(imagePath));
  }
  // Ensure the versioned name the image's interpreter reports exists too.
  const minor = version.split(".").slice(0, 2).join(".");
  // lstat: the links point into the image, where the host may have nothing.
  if (!lstatSync(path.join(bin, `python${minor}`), { throwIfNoEntry: false })) symlinkSync(imagePython, path.join(bin, `python${minor}`));
}
