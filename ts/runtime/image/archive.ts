// Writes a docker-archive tar (the format `docker save` writes and both `docker load` and
// `ctr images import` read) from a root filesystem: one layer, no daemon, no registry.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { run } from "./host.ts";

/** The parts of an OCI image config that the images here set. */
export interface ImageConfig {
  Env: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  User?: string;
  WorkingDir?: string;
  ExposedPorts?: Record<string, object>;
  StopSignal?: string;
  Labels?: Record<string, string>;
}

export function writeDockerArchive(rootfs: string, ref: string, config: ImageConfig, out: string, log: string): void {
  const stage = `${out}.stage`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(path.join(stage, "layer"), { recursive: true });
  const layer = path.join(stage, "layer", "layer.tar");
  // The runtime provides /proc, /sys and /dev; what the build left in /tmp is not part of the image.
  run("tar", [
    "--numeric-owner", "--sort=name", "--xattrs", "--xattrs-include=security.capability",
    "--exclude=./proc/*", "--exclude=./sys/*", "--exclude=./dev/*", "--exclude=./tmp/*",
    "-C", rootfs, "-cf", layer, ".",
  ], { log });
  const diffId = `sha256:${run("sha256sum", [layer]).split(" ")[0]}`;
  const imageConfig = {
    architecture: "amd64",
    os: "linux",
    created: "1970-01-01T00:00:00Z",
    config: config,
    rootfs: { type: "layers", diff_ids: [diffId] },
    history: [{ created: "1970-01-01T00:00:00Z", created_by: "debootstrap + recipe" }],
  };
  const configBytes = Buffer.from(JSON.stringify(imageConfig));
  const configName = `${createHash("sha256").update(configBytes).digest("hex")}.json`;
  writeFileSync(path.join(stage, configName), configBytes);
  writeFileSync(path.join(stage, "manifest.json"), JSON.stringify([{ Config: configName, RepoTags: [ref], Layers: ["layer/layer.tar"] }]));
  const tmp = `${out}.tmp`;
  run("tar", ["--numeric-owner", "-C", stage, "-cf", tmp, "manifest.json", configName, "layer/layer.tar"], { log });
  renameSync(tmp, out);
  rmSync(stage, { recursive: true, force: true });
}
