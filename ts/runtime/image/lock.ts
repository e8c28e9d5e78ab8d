// One build of an image at a time across processes: a lock directory holding the owner's pid,
// taken over when that process is gone.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Its owner is gone, or it never got an owner (a process stopped between the two steps). */
function isStale(lock: string, owner: number): boolean {
  if (owner) return !alive(owner);
  try {
    return Date.now() - statSync(lock).mtimeMs > 60_000;
  } catch {
    return false;
  }
}

export async function withLock<T>(dir: string, name: string, body: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        /* being written */
      }
      if (isStale(lock, owner)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The synchronous form, for steps shared by several images (the Debian base). */
export function withLockSync<T>(dir: string, name: string, body: () => T): T {
  const lock = path.join(dir, `${name}.lock`);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        /* being written */
      }
      if (isStale(lock, owner)) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(sleeper, 0, 0, 2000);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
