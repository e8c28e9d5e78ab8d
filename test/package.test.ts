// `helm package`: a clean chart archive that installs on its own.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { parseManifest } from "../ts/lib/render.ts";

describe("chart package", () => {
  let archive: string;
  let files: string[];
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "package-"));
    await execa(helmBinary("helm4"), ["package", repoRoot, "--destination", dir]);
    archive = path.join(dir, "openhands-0.1.0.tgz");
    files = (await execa("tar", ["-tzf", archive])).stdout.split("\n").filter(Boolean).sort();
  });

  it("holds the chart and its docs, and none of the development files", () => {
    expect(files).toEqual(expect.arrayContaining([
      "openhands/Chart.yaml", "openhands/values.yaml", "openhands/values.schema.json", "openhands/README.md",
      "openhands/templates/deployment.yaml", "openhands/templates/NOTES.txt", "openhands/templates/tests/test-connection.yaml",
    ]));
    const devFiles = files.filter((f) => /^openhands\/(ts|test|node_modules|\.tools|\.ci|ci|examples|docs)\/|package(-lock)?\.json$|tsconfig|vitest|\.npmrc|\.git/.test(f));
    expect(devFiles).toEqual([]);
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

  it("Chart.yaml carries the metadata Artifact Hub and users look for", () => {
    const chart = parse(readFileSync(path.join(repoRoot, "Chart.yaml"), "utf8"));
    expect(chart).toMatchObject({ apiVersion: "v2", name: "openhands", type: "application", kubeVersion: ">=1.27.0-0" });
    for (const field of ["description", "home", "icon", "sources", "keywords", "maintainers", "appVersion"]) expect(chart).toHaveProperty(field);
    const images = parse(chart.annotations["artifacthub.io/images"]) as { image: string }[];
    const values = parse(readFileSync(path.join(repoRoot, "values.yaml"), "utf8"));
    const ref = (i: { registry: string; repository: string; tag: string }) => `${i.registry}/${i.repository}:${i.tag}`;
    expect(images.map((i) => i.image).sort()).toEqual(
      [
        `docker.openhands.dev/openhands/openhands:${chart.appVersion}`,
        ref(values.sandbox.image),
        ref(values.dind.image),
        ref(values.sandbox.gateway.image),
        ref(values.auth.oauth2Proxy.image),
        ref(values.tunnel.image),
      ].sort(),
    );
    expect(parse(chart.annotations["artifacthub.io/changes"]).length).toBeGreaterThan(0);
    expect(chart.annotations["artifacthub.io/license"]).toBe("MIT");
  });
});
