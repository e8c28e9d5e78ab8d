// Host-side helpers for building images: running commands with their output in a log,
// installing the Debian tools the builds need, and finding the machine's apt mirror.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Appends stdout and stderr here instead of inheriting them. */
  log?: string;
  input?: string;
}

/** Runs a command and throws with the log's tail when it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): string {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  };
  const result = spawnSync(command, args, spawnOptions);
  const out = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (options.log) appendFileSync(options.log, `$ ${command} ${args.join(" ")}\n${out}\n`);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = out.split("\n").slice(-30).join("\n");
    throw new Error(`${command} ${args.slice(0, 6).join(" ")} exited ${result.status}${options.log ? ` (log: ${options.log})` : ""}\n${tail}`);
  }
  return String(result.stdout ?? "");
}

export function commandExists(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/** Installs Debian packages on the build host when one of their commands is missing (the builds run as root). */
export function ensureHostPackages(needed: Record<string, string>): void {
  const missing = Object.entries(needed)
    .filter(([command]) => !commandExists(command) && !existsSync(`/usr/sbin/${command}`))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`building images needs root (to install ${missing.join(", ")} and to chroot)`);
  // Installing docker.io must not start its service on the build host.
  const policy = "/usr/sbin/policy-rc.d";
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) run("sh", ["-c", `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}`]);
  try {
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...new Set(missing)], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } finally {
    if (!hadPolicy) run("rm", ["-f", policy]);
  }
}

/** The Debian archive URI the host's apt uses (kept out of the project: it comes from the host's sources). */
export function debianMirror(): string {
  if (process.env.DEBIAN_MIRROR) return process.env.DEBIAN_MIRROR;
  const files = ["/etc/apt/sources.list"];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) files.push(...readdirSync(dir).map((f) => path.join(dir, f)));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    // deb822 stanzas: URIs: ... with Suites: bookworm|trixie ...
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1] ?? "";
      if (uri && /\/debian\/?$/.test(uri) && /\b(bookworm|trixie|stable)\b/.test(suites) && !/-security|-updates/.test(suites.split(/\s+/)[0])) {
        return uri.replace(/\/$/, "");
      }
    }
    // one-line format: deb URI suite components
    for (const line of text.split("\n")) {
      const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+(\S+)/.exec(line.trim());
      if (m && !/-security|-updates/.test(m[2])) return m[1];
    }
  }
  throw new Error("no Debian mirror in the host's apt sources; set DEBIAN_MIRROR");
}

/** A CPython 3.13 on the build host (pyenv's, or python3.13 on PATH) for the venvs copied into images. */
export function hostPython313(): string {
  return hostPython("3.13");
}

/** A CPython of this minor version on the host: $PYTHON<major><minor>, pyenv's, or python<minor> on PATH. */
export function hostPython(minor: string): string {
  const variable = `PYTHON${minor.replace(".", "")}`;
  const fromEnv = process.env[variable];
  if (fromEnv) return fromEnv;
  const home = process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? "/root", ".pyenv");
  const versions = path.join(home, "versions");
  const pattern = new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+$`);
  if (existsSync(versions)) {
    const found = readdirSync(versions).filter((v) => pattern.test(v)).sort().pop();
    if (found) return path.join(versions, found, "bin", `python${minor}`);
  }
  if (commandExists(`python${minor}`)) return `python${minor}`;
  throw new Error(`no CPython ${minor} on this host (pyenv's or python${minor} on PATH); set ${variable}`);
}
