// Where image builds keep their work: outside the clone, keyed by version and by a hash of
// every input, so a fresh clone reuses what an earlier one built.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cachePath } from "../../lib/cache-root.ts";

/** `cachePath(...parts)`, created. */
export function cacheDir(...parts: string[]): string {
  const dir = cachePath(...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A short content hash of the inputs (strings or JSON-able values). */
export function inputHash(...inputs: unknown[]): string {
  const hash = createHash("sha256");
  for (const input of inputs) hash.update(typeof input === "string" ? input : JSON.stringify(input)).update("\0");
  return hash.digest("hex").slice(0, 12);
}

/** A step's completion marker (one per step name): present only when the step finished with these inputs. */
export function isDone(dir: string, key: string, step = "build"): boolean {
  const marker = path.join(dir, `.done-${step}`);
  return existsSync(marker) && readFileSync(marker, "utf8").trim() === key;
}

export function markDone(dir: string, key: string, step = "build"): void {
  writeFileSync(path.join(dir, `.done-${step}`), `${key}\n`);
}
