// A content-addressed cache of `helm` runs. The key is everything the output depends on:
// the Helm binary, the chart's files (as Helm loads them), the contents of every values
// file, the other arguments and HELM_* settings. The chart promises the same output for
// the same input (no lookup, no random or time functions), so a hit is the render Helm would
// print; any change to a template, a helper, values.yaml or the schema makes a new key.
// Entries live outside the clone ($OPENHANDS_CHART_CACHE/render), shared by every suite, test
// worker, run and clone. OPENHANDS_RENDER_CACHE=off runs Helm every time.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cachePath } from "./cache-root.ts";
import { chartDigestCached } from "./chart-files.ts";
import { helmBinary, type HelmName } from "./helm-binaries.ts";

export interface HelmResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Where entries live; `off` disables the cache. */
export const renderCacheDir = process.env.OPENHANDS_RENDER_CACHE ?? cachePath("render");

const enabled = renderCacheDir !== "off";
/** Bump when the key's recipe changes, so older entries are never read. */
const recipe = "render-cache/2";
/** Flags whose next argument is a file Helm reads by content (its path does not matter). */
const fileFlags = new Set(["--values", "-f"]);
const inFlight = new Map<string, Promise<HelmResult>>();

/** Runs `helm <args>` with the pinned binary, or returns the stored result of the same run. */
export async function cachedHelm(helm: HelmName, args: string[]): Promise<HelmResult> {
  const key = enabled ? cacheKey(helm, args) : undefined;
  if (!key) return record("uncached", await runHelm(helm, args));
  const pending = inFlight.get(key);
  if (pending) return record("hit", await pending);
  const run = lookupOrRun(key, helm, args).finally(() => inFlight.delete(key));
  inFlight.set(key, run);
  return run;
}

/** The cache key, or undefined when an argument names something the key cannot capture. */
export function cacheKey(helm: HelmName, args: string[]): string | undefined {
  const hash = createHash("sha256").update(recipe).update("\0");
  // By content: every clone extracts its own copy of the same pinned binary.
  hash.update(`${helm}<binary ${binaryDigest(realpathSync(helmBinary(helm)))}>`).update("\0");
  for (const [name, value] of Object.entries(process.env).filter(([n]) => n.startsWith("HELM_")).sort()) hash.update(`${name}=${value}`).update("\0");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (i > 0 && fileFlags.has(args[i - 1])) {
      hash.update(`<file ${fileDigest(arg)}>`);
    } else if (isFile(path.join(arg, "Chart.yaml"))) {
      // A chart directory: its files decide the output, wherever the clone is (Helm names the
      // chart in its messages, not the directory).
      hash.update(`<chart ${chartDigestCached(path.resolve(arg))}>`);
    } else if (arg.startsWith("--set-file") || arg.startsWith("--post-renderer") || isDirectory(arg) || isDirectory(arg.replace(/^[^=]*=/, ""))) {
      // A packaged chart, a post-renderer or a file set by key: not worth capturing, run Helm.
      return undefined;
    } else {
      hash.update(arg);
      if (isFile(arg)) hash.update(`<file ${fileDigest(arg)}>`);
    }
    hash.update("\0");
  }
  return hash.digest("hex");
}

const binaryDigests = new Map<string, string>();

/** The binary's sha256, read once per process for each path, size and modification time. */
function binaryDigest(binary: string): string {
  const { size, mtimeMs } = statSync(binary);
  const id = `${binary}:${size}:${mtimeMs}`;
  let digest = binaryDigests.get(id);
  if (!digest) {
    digest = createHash("sha256").update(readFileSync(binary)).digest("hex");
    binaryDigests.set(id, digest);
  }
  return digest;
}

async function lookupOrRun(key: string, helm: HelmName, args: string[]): Promise<HelmResult> {
  const entry = path.join(renderCacheDir, key.slice(0, 2), `${key}.json`);
  const lock = `${entry}.lock`;
  mkdirSync(path.dirname(entry), { recursive: true });
  for (;;) {
    const stored = readEntry(entry);
    if (stored) return record("hit", stored);
    // One process renders; the others wait for its entry instead of running the same render.
    if (takeLock(lock)) {
      try {
        const result = await runHelm(helm, args);
        const temporary = `${entry}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        writeFileSync(temporary, JSON.stringify(result));
        renameSync(temporary, entry);
        return record("miss", result);
      } finally {
        rmSync(lock, { force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readEntry(entry: string): HelmResult | undefined {
  try {
    const result = JSON.parse(readFileSync(entry, "utf8")) as HelmResult;
    const now = new Date();
    utimesSync(entry, now, now);
    return result;
  } catch {
    return undefined;
  }
}

/** Creates the lock file; a lock whose process is gone (or is older than five minutes) is stale. */
function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: "wx" });
    return true;
  } catch {
    try {
      const owner = Number(readFileSync(lock, "utf8"));
      if (!processAlive(owner) || Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { force: true });
    } catch {
      // gone already: the next round reads the entry or takes the lock
    }
    return false;
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function runHelm(helm: HelmName, args: string[]): Promise<HelmResult> {
  const result = await execa(helmBinary(helm), args, { reject: false, maxBuffer: 256 * 1024 * 1024 });
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function record(outcome: "hit" | "miss" | "uncached", result: HelmResult): HelmResult {
  // OPENHANDS_RENDER_STATS names a file that collects one line per render (ts/tools/render-speed.ts).
  if (process.env.OPENHANDS_RENDER_STATS) appendFileSync(process.env.OPENHANDS_RENDER_STATS, `${outcome}\n`);
  return result;
}

function fileDigest(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function isFile(p: string): boolean {
  try {
    return p.length < 4096 && statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return p.length < 4096 && p !== "" && statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Removes entries not used for `maxAgeDays`, then the least recently used ones beyond
 * `maxBytes`. Run once per test run (vitest global setup).
 */
export function pruneRenderCache(maxAgeDays = 14, maxBytes = 1024 ** 3): void {
  if (!enabled || !existsSync(renderCacheDir)) return;
  const entries: { file: string; used: number; size: number }[] = [];
  for (const shard of readdirSync(renderCacheDir)) {
    const dir = path.join(renderCacheDir, shard);
    if (!isDirectory(dir)) continue;
    for (const name of readdirSync(dir)) {
      try {
        const stat = statSync(path.join(dir, name));
        entries.push({ file: path.join(dir, name), used: stat.mtimeMs, size: stat.size });
      } catch {
        // removed by another run meanwhile
      }
    }
  }
  entries.sort((a, b) => b.used - a.used);
  let kept = 0;
  for (const entry of entries) {
    kept += entry.size;
    if (Date.now() - entry.used > maxAgeDays * 86_400_000 || kept > maxBytes) rmSync(entry.file, { force: true });
  }
}
