// `helm package`: a clean chart archive that installs on its own, whose README and guides
// work where the chart is read after `helm pull`.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { imagesOf } from "../ts/lib/chart-images.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { brokenLinks } from "../ts/lib/markdown-links.ts";
import { clusterApiVersions, presets } from "../ts/lib/presets.ts";
import { parseManifest, render } from "../ts/lib/render.ts";

const chart = parse(readFileSync(path.join(repoRoot, "Chart.yaml"), "utf8"));

describe("chart package", () => {
  let archive: string;
  let unpacked: string;
  let files: string[];
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "package-"));
    await execa(helmBinary("helm4"), ["package", repoRoot, "--destination", dir]);
    archive = path.join(dir, `openhands-${chart.version}.tgz`);
    files = (await execa("tar", ["-tzf", archive])).stdout.split("\n").filter(Boolean).sort();
    await execa("tar", ["-xzf", archive, "-C", dir]);
    unpacked = path.join(dir, "openhands");
  });

  it("holds the chart, its license, guides, presets and examples, and none of the development files", () => {
    expect(files).toEqual(expect.arrayContaining([
      "openhands/Chart.yaml", "openhands/values.yaml", "openhands/values.schema.json", "openhands/README.md", "openhands/LICENSE",
      "openhands/templates/deployment.yaml", "openhands/templates/NOTES.txt", "openhands/templates/tests/test-connection.yaml",
      "openhands/docs/values.md", "openhands/examples/argocd-application.yaml",
      ...presets.flatMap((p) => p.valuesFiles).map((f) => `openhands/${f}`),
    ]));
    const devFiles = files.filter((f) => /^openhands\/(ts|test|node_modules|\.tools|\.ci|\.cluster)\/|package(-lock)?\.json$|tsconfig|vitest|\.npmrc|\.git|CONTRIBUTING\.md$|docs\/runtime-/.test(f));
    expect(devFiles).toEqual([]);
  });

  it("every relative link in the packaged README and guides resolves inside the package", () => {
    const markdown = ["README.md", ...readdirSync(path.join(unpacked, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
    expect(markdown.length).toBeGreaterThan(10);
    const broken = markdown.flatMap((file) => brokenLinks(unpacked, file).map((link) => `${file}: ${link}`));
    expect(broken).toEqual([]);
  });

  it("ships the presets unchanged, so `-f ci/<preset>-values.yaml` works in the unpacked chart", () => {
    for (const file of presets.flatMap((p) => p.valuesFiles)) {
      expect(readFileSync(path.join(unpacked, file), "utf8")).toBe(readFileSync(path.join(repoRoot, file), "utf8"));
    }
  });

  it("keeps the archive small (no binaries)", async () => {
    const { size } = await import("node:fs").then((fs) => fs.statSync(archive));
    expect(size).toBeLessThan(200_000);
  });

  it("installs from the archive (client-side dry run) and renders like the source tree", async () => {
    const fromArchive = await execa(helmBinary("helm4"), ["install", "openhands", archive, "--dry-run=client", "--namespace", "openhands"]);
    expect(fromArchive.stdout).toContain("NOTES:");
    const fromTree = await execa(helmBinary("helm4"), ["template", "openhands", repoRoot, "--namespace", "openhands"]);
    const fromArchiveTemplate = await execa(helmBinary("helm4"), ["template", "openhands", archive, "--namespace", "openhands"]);
    expect(parseManifest(fromArchiveTemplate.stdout)).toEqual(parseManifest(fromTree.stdout));
  });
});

describe("Chart.yaml", () => {
  it("carries the metadata Artifact Hub and users look for", () => {
    expect(chart).toMatchObject({ apiVersion: "v2", name: "openhands", type: "application", kubeVersion: ">=1.27.0-0" });
    for (const field of ["description", "icon", "sources", "keywords", "maintainers", "appVersion"]) expect(chart).toHaveProperty(field);
    expect(parse(chart.annotations["artifacthub.io/changes"]).length).toBeGreaterThan(0);
  });

  it("names no upstream project as the chart's home (OpenHands' repositories are its sources)", () => {
    if (chart.home !== undefined) expect(chart.home).not.toMatch(/github\.com\/(OpenHands|All-Hands-AI)\//i);
    for (const source of chart.sources) expect(source).toMatch(/^https:\/\//);
  });

  it("declares the license of the LICENSE file it ships", () => {
    const license = readFileSync(path.join(repoRoot, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n/);
    expect(chart.annotations["artifacthub.io/license"]).toBe("MIT");
    expect(readFileSync(path.join(repoRoot, "README.md"), "utf8")).toMatch(/^MIT\b.*\(LICENSE\)/m);
  });

  it("lists in artifacthub.io/images exactly the images the presets run (pods and sandboxes)", async () => {
    const listed = (parse(chart.annotations["artifacthub.io/images"]) as { name: string; image: string }[]);
    expect(new Set(listed.map((i) => i.name)).size).toBe(listed.length);
    const rendered = new Set<string>();
    for (const preset of presets) {
      const { objects } = await render({ valuesFiles: preset.valuesFiles, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" });
      for (const image of imagesOf(objects)) rendered.add(image);
    }
    expect(rendered).toContain(`docker.openhands.dev/openhands/openhands:${chart.appVersion}`);
    expect(listed.map((i) => i.image).sort()).toEqual([...rendered].sort());
  });
});
