// Finds an nginx binary for checking the gateway's generated config (Debian's
// nginx-light; .ci/run installs it).
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

/** The nginx to use: NGINX_BIN, or nginx on PATH or in /usr/sbin; undefined when there is none. */
export function findNginx(): string | undefined {
  const candidates = [process.env.NGINX_BIN, "/usr/sbin/nginx", "/usr/bin/nginx"].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  try {
    return execFileSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether this machine can make a network namespace as an unprivileged user (for the live gateway check). */
export function canUnshareNetwork(): boolean {
  try {
    execFileSync("unshare", ["--net", "--map-root-user", "ip", "link", "set", "lo", "up"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
