// Heavy build outputs and the render cache live outside the clone, keyed by version, so a
// fresh clone reuses them. OPENHANDS_CHART_CACHE moves the whole tree.
import { homedir } from "node:os";
import path from "node:path";

/** Root of the caches shared by every clone on this machine. */
export const cacheRoot = process.env.OPENHANDS_CHART_CACHE ?? path.join(homedir(), ".cache", "openhands-chart");

/** `<cacheRoot>/<parts...>`. */
export function cachePath(...parts: string[]): string {
  return path.join(cacheRoot, ...parts);
}
