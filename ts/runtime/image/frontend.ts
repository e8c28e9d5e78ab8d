// Builds the OpenHands UI from the release's frontend source the way the app image does
// (`npm ci` then `npm run build` with Node 22, output in build/), with Node 22 from the npm
// registry's `node` package.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { run } from "./host.ts";

export const frontendNodeVersion = "22";

/**
 * The UI build's environment: the caller's, without what a test runner sets. The release's
 * vite.config leaves its React Router plugin out when VITEST is set (and the build then fails
 * with "React Router Vite plugin not found"), and NODE_ENV=test changes what Vite builds; the
 * runtime suite builds the image from inside vitest on a machine without a cached UI.
 */
export function frontendBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([name]) => !name.startsWith("VITEST") && name !== "TEST" && name !== "NODE_ENV");
  return { ...Object.fromEntries(kept), CI: "true", NODE_OPTIONS: "--max-old-space-size=4096" };
}

/** Extracts `<top>/frontend` from the release archive and builds it into `out`. */
export function buildFrontend(archive: string, work: string, out: string, log: string): void {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  run("tar", ["-xzf", archive, "-C", work, "--wildcards", "*/frontend/*"], { log });
  const top = run("sh", ["-c", `ls -d ${work}/*/frontend | head -1`]).trim();
  if (!top || !existsSync(path.join(top, "package-lock.json"))) throw new Error(`${archive} has no frontend/package-lock.json`);
  // Install scripts stay off: the release's `prepare` wants a git checkout, and no package
  // may fetch binaries from outside the registry.
  const script = "node --version && npm ci --ignore-scripts --no-audit --no-fund && npm run build";
  run("npx", ["-y", "-p", `node@${frontendNodeVersion}`, "-c", script], { cwd: top, log, env: frontendBuildEnv(process.env) });
  if (!existsSync(path.join(top, "build", "index.html"))) throw new Error(`frontend build wrote no build/index.html (log: ${log})`);
  rmSync(out, { recursive: true, force: true });
  run("cp", ["-a", path.join(top, "build"), out]);
  rmSync(work, { recursive: true, force: true });
}
