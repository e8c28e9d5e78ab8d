// Stand-ins for the chart's images, for checking that the chart installs and passes `helm test`
// on a real node before the real images exist locally. One Debian layer (minbase, nginx-light,
// curl, busybox) serves every reference the chart renders, each with the command its role needs:
// the app answers /health, the gateway is a real nginx, the test pod a real curl. The Docker
// daemon and cloudflared are NOT real here: their stand-ins only report ready (real images
// replace all of these, but cloudflared, which no registry reachable here serves).
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cachePath } from "../../lib/cache-root.ts";
import { writeDockerArchive, type ImageConfig } from "./image-archive.ts";

const suite = "bookworm";
const packages = ["nginx-light", "curl", "busybox", "ca-certificates"];

/** Scripts the stand-ins run in place of the real programs. */
const scripts: Record<string, string> = {
  // The app: answers GET /health with 200 on the port given by --port.
  "usr/local/bin/uvicorn": `#!/bin/sh
port=8000
while [ $# -gt 0 ]; do case "$1" in --port) port="$2"; shift ;; esac; shift; done
exec busybox httpd -f -p "$port" -h /srv/standin
`,
  // cloudflared: no tunnel at all (no Cloudflare edge here), it answers /ready on the --metrics
  // address as a connected tunnel does; a test's edge stand-in sends the public hostname to the
  // Service itself, as the tunnel's route would.
  "usr/local/bin/cloudflared": `#!/bin/sh
metrics=0.0.0.0:2000
while [ $# -gt 0 ]; do case "$1" in --metrics) metrics="$2"; shift ;; esac; shift; done
echo "stand-in cloudflared: no tunnel, /ready on $metrics"
exec busybox httpd -f -p "$metrics" -h /srv/standin
`,
  // The Docker daemon: no daemon at all, it marks itself started so the probes pass.
  "usr/local/bin/dockerd": `#!/bin/sh
echo "stand-in dockerd: no Docker daemon in this image"
mkdir -p /run/dind && touch /run/dind/standin-dockerd
exec sleep infinity
`,
  "usr/local/bin/docker": `#!/bin/sh
case "$1" in
  info) [ -e /run/dind/standin-dockerd ] && echo "stand-in docker" ;;
  # Keeps what arrives on stdin, so a test can compare it with the tar it sent.
  load) cat > /tmp/standin-loaded.tar && echo "Loaded image: (stand-in, $(wc -c < /tmp/standin-loaded.tar) bytes)" ;;
  *) echo "stand-in docker: $1 is not available" >&2; exit 1 ;;
esac
`,
};

/** Debian's mirror as this machine's apt sources name it (deb822 or one-line format). */
export function debianMirror(): string {
  const sources = ["/etc/apt/sources.list", ...(existsSync("/etc/apt/sources.list.d") ? readdirSync("/etc/apt/sources.list.d").filter((f) => f.endsWith(".sources") || f.endsWith(".list")).map((f) => `/etc/apt/sources.list.d/${f}`) : [])];
  for (const file of sources.filter((f) => existsSync(f))) {
    const text = readFileSync(file, "utf8");
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = stanza.match(/^URIs:\s*(\S+)/m)?.[1];
      const suites = stanza.match(/^Suites:\s*(.+)$/m)?.[1].split(/\s+/) ?? [];
      if (uri && suites.includes(suite) && !/security/.test(uri)) return uri;
    }
    const line = text.match(new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${suite}\\s`, "m"));
    if (line) return line[1];
  }
  throw new Error(`no apt source for Debian ${suite} in /etc/apt; the stand-in images are made from it`);
}

function hash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12);
}

/** A Debian root file system with the stand-in programs (the Debian part cached outside the clone). */
async function standinRootfs(): Promise<string> {
  const dir = cachePath("node-images", `standin-rootfs-${suite}-${hash(packages)}`);
  if (!existsSync(path.join(dir, ".complete"))) await debootstrap(dir);
  for (const [file, text] of Object.entries(scripts)) {
    writeFileSync(path.join(dir, file), text);
    chmodSync(path.join(dir, file), 0o755);
  }
  mkdirSync(path.join(dir, "srv", "standin"), { recursive: true });
  writeFileSync(path.join(dir, "srv", "standin", "health"), "ok\n");
  writeFileSync(path.join(dir, "srv", "standin", "ready"), "ok\n");
  return dir;
}

async function debootstrap(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  process.stderr.write(`[standin-images] debootstrap ${suite} (${packages.join(", ")})\n`);
  await execa("debootstrap", ["--variant=minbase", `--include=${packages.join(",")}`, suite, dir, debianMirror()], { stdio: ["ignore", "ignore", "inherit"] });
  rmSync(path.join(dir, "var", "cache", "apt", "archives"), { recursive: true, force: true });
  rmSync(path.join(dir, "var", "lib", "apt", "lists"), { recursive: true, force: true });
  writeFileSync(path.join(dir, ".complete"), "");
}

/** The command each chart image runs when the chart gives none, by what the reference names. */
function roleOf(reference: string): Pick<ImageConfig, "entrypoint" | "cmd"> {
  const repository = reference.replace(/[:@][^/]*$/, "");
  if (/nginx/.test(repository)) return { cmd: ["nginx", "-g", "daemon off;"] };
  // The real image's entrypoint; the chart passes the rest as args.
  if (/cloudflared/.test(repository)) return { entrypoint: ["cloudflared", "--no-autoupdate"], cmd: ["version"] };
  if (/curl/.test(repository)) return { cmd: ["curl"] };
  if (/docker/.test(repository) && /dind/.test(reference)) return { cmd: ["dockerd"] };
  if (/openhands/.test(repository)) return { cmd: ["uvicorn", "--port", "3000"] };
  throw new Error(`no stand-in for image ${reference}: add its role to standin-images.ts`);
}

/** A docker-archive tar holding a stand-in under each of `references`. */
export async function standinImagesTar(references: string[]): Promise<string> {
  const rootfs = await standinRootfs();
  const unique = [...new Set(references)].sort();
  const tar = cachePath("node-images", `standins-${hash({ packages, scripts, unique })}.tar`);
  if (!existsSync(tar)) await writeDockerArchive(rootfs, unique.map((reference) => ({ reference, ...roleOf(reference) })), tar);
  return tar;
}
