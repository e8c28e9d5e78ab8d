// Debian's Chromium for the browser tests, installed with apt-get only when it is missing
// (playwright-core drives it; no browser is downloaded from anywhere else).
import { existsSync } from "node:fs";
import { execa } from "execa";
import { chromiumPath } from "./browser.ts";

// fonts-dejavu-core: without a font, screenshots show empty boxes for text.
const packages = [
  { name: "chromium", provides: chromiumPath },
  { name: "fonts-dejavu-core", provides: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" },
  { name: "openssl", provides: "/usr/bin/openssl" },
];

/** Installs what is missing; returns the package names installed (none on a prepared machine). */
export async function ensureChromium(): Promise<string[]> {
  const missing = packages.filter((p) => !existsSync(p.provides)).map((p) => p.name);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) throw new Error(`browser tests need Debian packages ${missing.join(", ")}; install them as root`);
  process.stderr.write(`[chromium] apt-get install ${missing.join(" ")}\n`);
  await execa("apt-get", ["update", "-qq"], { stdio: "inherit" });
  await execa("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const still = packages.filter((p) => !existsSync(p.provides)).map((p) => p.name);
  if (still.length > 0) throw new Error(`apt-get did not install ${still.join(", ")}`);
  return missing;
}
