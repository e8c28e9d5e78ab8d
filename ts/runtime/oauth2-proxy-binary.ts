// oauth2-proxy built from its Go module, cached outside the clone by version.
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cachePath } from "../lib/cache-root.ts";

const modulePath = "github.com/oauth2-proxy/oauth2-proxy/v7";

/**
 * The module version built. The chart's image tag is v7.15.5; the Go module proxy serves
 * v7.15.6 as the nearest release of that line (v7.15.5 is not available there).
 */
export const oauth2ProxyVersion = "v7.15.6";

let building: Promise<string> | undefined;

/** Path of the oauth2-proxy binary; builds it on first use (about a minute on a cold Go cache). */
export function oauth2ProxyBinary(): Promise<string> {
  building ??= build();
  return building;
}

async function build(): Promise<string> {
  const dir = cachePath("oauth2-proxy", oauth2ProxyVersion);
  const binary = path.join(dir, "oauth2-proxy");
  if (existsSync(binary)) return binary;
  // A wrapper module that requires exactly this release; its own go.mod pins the dependencies.
  const work = path.join(dir, "build");
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, "go.mod"), `module oauth2proxybuild\n\ngo 1.26.0\n\nrequire ${modulePath} ${oauth2ProxyVersion}\n`);
  writeFileSync(path.join(work, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${modulePath}"\n`);
  const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
  const ldflags = `-X ${modulePath}/pkg/version.VERSION=${oauth2ProxyVersion}`;
  // Built to a temporary name and renamed, so an interrupted build never leaves a half binary.
  const partial = `${binary}.partial`;
  await execa("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", partial, modulePath], { cwd: work, env });
  const { stdout } = await execa(partial, ["--version"]);
  if (!stdout.includes(oauth2ProxyVersion)) throw new Error(`built oauth2-proxy reports "${stdout}", expected ${oauth2ProxyVersion}`);
  renameSync(partial, binary);
  return binary;
}
