// Debian packages the node needs on the machine. Installed with apt-get only when a command
// is missing, without starting any service they ship (the node starts its own containerd).
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { execa } from "execa";

/** A package and a file that exists once it is installed. */
export const hostPackages = [
  { name: "containerd", provides: "/usr/bin/containerd" },
  { name: "runc", provides: "/usr/sbin/runc" },
  { name: "containernetworking-plugins", provides: "/usr/lib/cni/bridge" },
  { name: "iproute2", provides: "/usr/sbin/ip" },
  { name: "iptables", provides: "/usr/sbin/iptables" },
  // kube-router keeps NetworkPolicy peers in ipsets; kube-proxy clears conntrack entries.
  { name: "ipset", provides: "/usr/sbin/ipset" },
  { name: "conntrack", provides: "/usr/sbin/conntrack" },
  // Images are made from a Debian root file system; busybox gives the small helper images a shell.
  { name: "debootstrap", provides: "/usr/sbin/debootstrap" },
  { name: "busybox-static", provides: "/bin/busybox" },
  { name: "openssl", provides: "/usr/bin/openssl" },
  { name: "util-linux", provides: "/usr/bin/nsenter" },
] as const;

export function missingPackages(): string[] {
  return hostPackages.filter((p) => !existsSync(p.provides)).map((p) => p.name);
}

/** Installs whatever is missing; returns the names installed (none on a prepared machine). */
export async function ensureHostPackages(): Promise<string[]> {
  const missing = missingPackages();
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) throw new Error(`the node needs Debian packages ${missing.join(", ")}; install them as root`);
  process.stderr.write(`[host-packages] apt-get install ${missing.join(" ")}\n`);
  // Package scripts must not start containerd as a service.
  const policy = "/usr/sbin/policy-rc.d";
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    await execa("apt-get", ["update", "-qq"], { stdio: "inherit" });
    await execa("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } finally {
    if (!hadPolicy) rmSync(policy, { force: true });
  }
  const still = missingPackages();
  if (still.length > 0) throw new Error(`apt-get did not install ${still.join(", ")}`);
  return missing;
}
