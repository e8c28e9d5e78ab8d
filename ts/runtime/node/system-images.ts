// The node's own images, made from the locally built Go binaries (and Debian's static busybox
// for the volume helper's shell), cached outside the clone keyed by what they contain.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { binaryPath, buildComponents, components } from "../../lib/go-binaries.ts";
import { cachePath } from "../../lib/cache-root.ts";
import { writeDockerArchive } from "./image-archive.ts";
import { systemImages } from "./layout.ts";

const imageCache = cachePath("node-images");

interface SystemImage {
  reference: string;
  /** Cache key: changes whenever the content would. */
  key: string;
  /** Fills an empty root file system directory. */
  fill: (rootfs: string) => Promise<void>;
  entrypoint?: string[];
  cmd?: string[];
}

function staticBinaryImage(reference: string, key: string, binary: string): SystemImage {
  const name = path.basename(binary);
  return {
    reference,
    key,
    fill: async (rootfs) => {
      for (const d of ["etc", "tmp"]) mkdirSync(path.join(rootfs, d), { mode: 0o1777 });
      copyFileSync(binary, path.join(rootfs, name));
      chmodSync(path.join(rootfs, name), 0o755);
    },
    entrypoint: [`/${name}`],
  };
}

async function busyboxVersion(): Promise<string> {
  const { stdout } = await execa("dpkg-query", ["-W", "-f=${Version}", "busybox-static"]);
  return stdout.trim();
}

async function definitions(): Promise<SystemImage[]> {
  return [
    staticBinaryImage(systemImages.pause, components.pause.key, binaryPath("pause", "pause")),
    staticBinaryImage(systemImages.coredns, components.coredns.key, binaryPath("coredns", "coredns")),
    staticBinaryImage(systemImages.localPath, components.localPath.key, binaryPath("localPath", "local-path-provisioner")),
    {
      reference: systemImages.busybox,
      key: `busybox-${await busyboxVersion()}`,
      fill: (rootfs) => fillBusybox(rootfs),
      cmd: ["sh"],
    },
  ];
}

/** A root file system of Debian's static busybox with a link per applet. */
export async function fillBusybox(rootfs: string): Promise<void> {
  for (const d of ["bin", "etc", "tmp", "root"]) mkdirSync(path.join(rootfs, d), { recursive: true, mode: d === "tmp" ? 0o1777 : 0o755 });
  copyFileSync("/bin/busybox", path.join(rootfs, "bin", "busybox"));
  chmodSync(path.join(rootfs, "bin", "busybox"), 0o755);
  const { stdout } = await execa("/bin/busybox", ["--list"]);
  for (const applet of stdout.split("\n").filter((a) => a && a !== "busybox")) symlinkSync("busybox", path.join(rootfs, "bin", applet));
}

/** Builds (or finds cached) the tars of the node's images; returns their paths. */
export async function systemImageTars(): Promise<string[]> {
  await buildComponents(["pause", "coredns", "localPath"]);
  mkdirSync(imageCache, { recursive: true });
  const tars: string[] = [];
  for (const image of await definitions()) {
    const tar = path.join(imageCache, `${image.key}.tar`);
    if (!existsSync(tar)) {
      const rootfs = mkdtempSync(path.join(imageCache, "rootfs-"));
      try {
        await image.fill(rootfs);
        await writeDockerArchive(rootfs, [{ reference: image.reference, entrypoint: image.entrypoint, cmd: image.cmd }], tar);
      } finally {
        rmSync(rootfs, { recursive: true, force: true });
      }
    }
    tars.push(tar);
  }
  return tars;
}
