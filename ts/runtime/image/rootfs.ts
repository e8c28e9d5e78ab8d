// Debian root filesystems for images: a debootstrapped base per suite (cached), copied per
// image and finished by a shell recipe that runs inside it with chroot.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheDir, inputHash, isDone, markDone } from "./cache.ts";
import { debianMirror, run } from "./host.ts";
import { withLockSync } from "./lock.ts";

export const baseSuite = "trixie";

/** The packages every base has beyond minbase (the recipes add the rest through apt). */
const basePackages = ["ca-certificates"];

/** A debootstrapped minbase of `suite`, built once and reused. */
export function debianBase(suite = baseSuite, log?: string): string {
  return withLockSync(cacheDir("rootfs"), `debian-${suite}`, () => debootstrapOnce(suite, log));
}

function debootstrapOnce(suite: string, log?: string): string {
  const dir = cacheDir("rootfs", `debian-${suite}-minbase`);
  const key = inputHash(suite, basePackages);
  const rootfs = path.join(dir, "rootfs");
  if (isDone(dir, key)) return rootfs;
  run("rm", ["-rf", rootfs]);
  run("debootstrap", ["--variant=minbase", `--include=${basePackages.join(",")}`, suite, rootfs, debianMirror()], {
    log: log ?? path.join(dir, "debootstrap.log"),
  });
  markDone(dir, key);
  return rootfs;
}

/** Copies the base into `target` (replacing it). */
export function copyBase(base: string, target: string): void {
  run("rm", ["-rf", target]);
  mkdirSync(path.dirname(target), { recursive: true });
  run("cp", ["-a", "--reflink=auto", base, target]);
}

/**
 * Runs a bash script as root inside the root filesystem, with /proc and /dev mounted, the
 * host's DNS, and services kept from starting. Everything it needs from outside goes through apt.
 */
export function runInRootfs(rootfs: string, script: string, env: Record<string, string>, log: string): void {
  const recipe = path.join(rootfs, "tmp", "recipe.sh");
  writeFileSync(recipe, script, { mode: 0o755 });
  const policy = path.join(rootfs, "usr", "sbin", "policy-rc.d");
  writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  const resolv = path.join(rootfs, "etc", "resolv.conf");
  rmSync(resolv, { force: true });
  copyFileSync("/etc/resolv.conf", resolv);
  const mounts = [path.join(rootfs, "proc"), path.join(rootfs, "dev")];
  run("mount", ["-t", "proc", "proc", mounts[0]]);
  try {
    run("mount", ["--bind", "/dev", mounts[1]]);
    const vars = Object.entries({
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: "/root",
      LANG: "C.UTF-8",
      DEBIAN_FRONTEND: "noninteractive",
      ...env,
    }).map(([k, v]) => `${k}=${v}`);
    run("chroot", [rootfs, "/usr/bin/env", "-i", ...vars, "/bin/bash", "-euxo", "pipefail", "/tmp/recipe.sh"], { log });
  } finally {
    for (const m of mounts.reverse()) if (isMountPoint(m)) run("umount", ["-l", m]);
    rmSync(recipe, { force: true });
    rmSync(policy, { force: true });
    rmSync(resolv, { force: true });
    writeFileSync(resolv, "");
  }
}

function isMountPoint(dir: string): boolean {
  try {
    run("mountpoint", ["-q", dir]);
    return true;
  } catch {
    return false;
  }
}

/** Removes what apt leaves behind (package lists and downloaded archives). */
export function trimApt(rootfs: string): void {
  for (const dir of ["var/lib/apt/lists", "var/cache/apt/archives"]) {
    const full = path.join(rootfs, dir);
    if (existsSync(full)) run("find", [full, "-mindepth", "1", "-maxdepth", "1", "-type", "f", "-delete"]);
  }
  rmSync(path.join(rootfs, "var/cache/apt/pkgcache.bin"), { force: true });
  rmSync(path.join(rootfs, "var/cache/apt/srcpkgcache.bin"), { force: true });
}
