// Image tars in the docker-archive format (what `docker save` writes) made from a root file
// system directory: no daemon, no registry. One layer; several references may share it, each
// with its own entrypoint and command.
import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";

export interface ImageConfig {
  /** Full reference, for example docker.io/library/busybox:1 or localhost/name:tag. */
  reference: string;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
}

const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Writes `out` with one layer made of `rootfs` and one image config per entry of `images`. */
export async function writeDockerArchive(rootfs: string, images: ImageConfig[], out: string): Promise<void> {
  const work = mkdtempSync(`${out}.work-`);
  try {
    mkdirSync(path.join(work, "layer"));
    // Numeric owners and a fixed mtime: the layer's digest depends on the files only.
    await execa("tar", ["--numeric-owner", "--sort=name", "--mtime=@0", "--xattrs", "-C", rootfs, "-cf", path.join(work, "layer", "layer.tar"), "."]);
    const diffId = `sha256:${await sha256File(path.join(work, "layer", "layer.tar"))}`;
    const manifest = images.map((image) => {
      const config = {
        architecture: "amd64",
        os: "linux",
        created: "1970-01-01T00:00:00Z",
        config: {
          Env: image.env ?? [defaultPath],
          WorkingDir: image.workingDir ?? "/",
          ...(image.entrypoint ? { Entrypoint: image.entrypoint } : {}),
          ...(image.cmd ? { Cmd: image.cmd } : {}),
          ...(image.user ? { User: image.user } : {}),
        },
        rootfs: { type: "layers", diff_ids: [diffId] },
        history: [{ created: "1970-01-01T00:00:00Z", created_by: "writeDockerArchive" }],
      };
      const bytes = JSON.stringify(config);
      const name = `${createHash("sha256").update(bytes).digest("hex")}.json`;
      writeFileSync(path.join(work, name), bytes);
      return { Config: name, RepoTags: [image.reference], Layers: ["layer/layer.tar"] };
    });
    writeFileSync(path.join(work, "manifest.json"), JSON.stringify(manifest));
    const members = ["manifest.json", ...new Set(manifest.map((m) => m.Config)), "layer/layer.tar"];
    await execa("tar", ["--mtime=@0", "-C", work, "-cf", `${out}.partial`, ...members]);
    await execa("mv", [`${out}.partial`, out]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
