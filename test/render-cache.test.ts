// The render cache may only ever return what Helm would print now: every input that can
// change a render changes the key, and nothing else does.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { chartFiles } from "../ts/lib/chart-files.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "render-cache-"));
// A cache of its own, so these checks start cold and leave the shared cache alone.
process.env.OPENHANDS_RENDER_CACHE = path.join(scratch, "cache");
process.env.OPENHANDS_RENDER_STATS = path.join(scratch, "stats");
const { cacheKey, cachedHelm } = await import("../ts/lib/render-cache.ts");

const outcomes = () => readFileSync(process.env.OPENHANDS_RENDER_STATS!, "utf8").trim().split("\n");
const chart = path.join(scratch, "openhands");
const template = (values: string[] = [], extra: string[] = []) => ["template", "openhands", chart, "--namespace", "openhands", ...values.flatMap((v) => ["--values", v]), ...extra];

describe("render cache", () => {
  beforeAll(() => {
    for (const file of chartFiles(repoRoot)) cpSync(path.join(repoRoot, file), path.join(chart, file));
    mkdirSync(path.join(chart, "test"));
  });

  it("hashes exactly the files `helm package` puts in the chart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "render-cache-package-"));
    await execa(helmBinary("helm4"), ["package", repoRoot, "--destination", dir]);
    const archive = (await execa("ls", [dir])).stdout.trim();
    const packaged = (await execa("tar", ["-tzf", path.join(dir, archive)])).stdout.split("\n").filter(Boolean).map((f) => f.replace(/^openhands\//, "")).sort();
    expect(chartFiles(repoRoot)).toEqual(packaged);
  });

  it("serves a second identical render from the cache, byte for byte", async () => {
    const first = await cachedHelm("helm4", template());
    const second = await cachedHelm("helm4", template());
    expect(outcomes().slice(-2)).toEqual(["miss", "hit"]);
    expect(second).toEqual(first);
    expect(first.stdout).toBe((await execa(helmBinary("helm4"), template())).stdout);
  });

  it("never serves a stale render after a template, values.yaml or a helper changes", async () => {
    const before = await cachedHelm("helm4", template());
    const service = path.join(chart, "templates", "service.yaml");
    writeFileSync(service, `${readFileSync(service, "utf8")}\n# edited-template-marker\n`);
    const afterTemplate = await cachedHelm("helm4", template());
    expect(afterTemplate.stdout).toContain("edited-template-marker");
    expect(before.stdout).not.toContain("edited-template-marker");

    const values = path.join(chart, "values.yaml");
    writeFileSync(values, readFileSync(values, "utf8").replace(/^nameOverride: .*$/m, 'nameOverride: "renamed"'));
    expect((await cachedHelm("helm4", template())).stdout).toContain("renamed");

    const helpers = path.join(chart, "templates", "_helpers.tpl");
    writeFileSync(helpers, `${readFileSync(helpers, "utf8")}\n{{- define "openhands.cacheProbe" -}}x{{- end -}}\n`);
    const key = cacheKey("helm4", template());
    writeFileSync(helpers, `${readFileSync(helpers, "utf8")}\n{{- define "openhands.cacheProbe2" -}}y{{- end -}}\n`);
    expect(cacheKey("helm4", template())).not.toBe(key);
  });

  it("keys values files by content: a copy elsewhere hits, one changed byte misses", () => {
    const a = path.join(scratch, "a.yaml");
    const b = path.join(scratch, "b.yaml");
    writeFileSync(a, "sandbox:\n  prePull: false\n");
    writeFileSync(b, "sandbox:\n  prePull: false\n");
    expect(cacheKey("helm4", template([a]))).toBe(cacheKey("helm4", template([b])));
    writeFileSync(b, "sandbox:\n  prePull: true\n");
    expect(cacheKey("helm4", template([a]))).not.toBe(cacheKey("helm4", template([b])));
  });

  it("keys by Helm binary, flags and HELM_* settings; files outside the package change nothing", () => {
    const key = cacheKey("helm4", template());
    expect(cacheKey("helm3", template())).not.toBe(key);
    expect(cacheKey("helm4", template([], ["--kube-version", "1.28.0"]))).not.toBe(key);
    process.env.HELM_DEBUG = "true";
    expect(cacheKey("helm4", template())).not.toBe(key);
    delete process.env.HELM_DEBUG;
    writeFileSync(path.join(chart, "test", "unrelated.ts"), "// not part of the chart\n");
    expect(cacheKey("helm4", template())).toBe(key);
  });

  it("another clone hits: the same chart files elsewhere, and the same Helm binary extracted again", () => {
    const key = cacheKey("helm4", template());
    const elsewhere = path.join(scratch, "clone", "openhands");
    cpSync(chart, elsewhere, { recursive: true });
    expect(cacheKey("helm4", ["template", "openhands", elsewhere, "--namespace", "openhands"])).toBe(key);
    // npm ci extracts the binary afresh in every clone: a new modification time, the same bytes.
    const binary = realpathSync(helmBinary("helm4"));
    const { atime, mtime } = statSync(binary);
    try {
      utimesSync(binary, atime, new Date(mtime.getTime() + 60_000));
      expect(cacheKey("helm4", template())).toBe(key);
    } finally {
      utimesSync(binary, atime, mtime);
    }
  });

  it("caches failures too, with Helm's message", async () => {
    const bad = path.join(scratch, "bad.yaml");
    writeFileSync(bad, "sandbox:\n  mode: nonsense\n");
    const first = await cachedHelm("helm4", template([bad]));
    const second = await cachedHelm("helm4", template([bad]));
    expect(first.exitCode).not.toBe(0);
    expect(first.stderr).toContain("sandbox");
    expect(second).toEqual(first);
  });

  it("runs one Helm for concurrent identical renders", async () => {
    const values = path.join(scratch, "concurrent.yaml");
    writeFileSync(values, "nameOverride: concurrent\n");
    const before = outcomes().length;
    await Promise.all([1, 2, 3].map(() => cachedHelm("helm4", template([values]))));
    expect(outcomes().slice(before).sort()).toEqual(["hit", "hit", "miss"]);
  });
});
