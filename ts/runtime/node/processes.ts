// The node's daemons run detached (so `npm run node -- up` can return) inside the node's
// network namespace, each with a log file and a pid file; they are stopped by those pids.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dirs } from "./layout.ts";
import { inNodeArgv } from "./netns.ts";

const pidFile = (name: string) => path.join(dirs.pids, `${name}.pid`);
export const logFile = (name: string) => path.join(dirs.logs, `${name}.log`);

export function launch(name: string, binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  mkdirSync(dirs.pids, { recursive: true });
  mkdirSync(dirs.logs, { recursive: true });
  const out = openSync(logFile(name), "a");
  const [command, argv] = inNodeArgv(binary, args);
  const child = spawn(command, argv, { detached: true, stdio: ["ignore", out, out], env });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name}`);
  writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

export function pidOf(name: string): number | undefined {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), "utf8"));
  return isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceSeconds`; resolves when the process is gone. */
export async function stopPid(pid: number, graceSeconds = 10): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceSeconds * 1000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
  while (isAlive(pid)) await sleep(50);
}

export async function stopDaemon(name: string, graceSeconds = 10): Promise<void> {
  const pid = pidOf(name);
  if (pid) await stopPid(pid, graceSeconds);
  rmSync(pidFile(name), { force: true });
}

/** Names of daemons with a pid file whose process still runs. */
export function runningDaemons(): string[] {
  if (!existsSync(dirs.pids)) return [];
  return readdirSync(dirs.pids)
    .filter((f) => f.endsWith(".pid"))
    .map((f) => f.slice(0, -4))
    .filter((name) => pidOf(name) !== undefined);
}

/** Processes whose command line contains `needle` (our containerd's shims name its socket). */
export function pidsWithArgument(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every half second until it holds; the error names what was awaited and where its log is. */
export async function waitFor(what: string, seconds: number, check: () => Promise<boolean> | boolean, log?: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(500);
  }
  throw new Error(`${what} not ready within ${seconds}s${log ? ` (log: ${log})` : ""}`);
}
