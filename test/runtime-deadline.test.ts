// RUNTIME_DEADLINE (.ci/run sets it): the runtime suite starts no file and no top-level
// describe once it has passed, reports what it left as skipped and names each in its list;
// unset, everything runs. Checked by running vitest with the runtime suite's runner on a fixture.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { runtimeOrder, runtimeRank } from "./runtime/order.ts";

async function runFixture(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "deadline-"));
  const started = path.join(dir, "started.txt");
  const notStarted = path.join(dir, "not-started.txt");
  const run = await execa("npx", ["vitest", "run", "-c", "test/fixtures/deadline/vitest.config.ts"], {
    cwd: repoRoot,
    reject: false,
    all: true,
    env: { DEADLINE_FIXTURE_STARTED: started, RUNTIME_NOT_STARTED_FILE: notStarted, RUNTIME_DEADLINE: "", ...env },
  });
  const summary = run.all.match(/vitest: (\d+) passed, (\d+) failed, (\d+) skipped/);
  if (!summary) throw new Error(`no summary line in:\n${run.all}`);
  const [passed, failed, skipped] = summary.slice(1).map(Number);
  const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").trim().split("\n") : []);
  return { exitCode: run.exitCode, passed, failed, skipped, started: read(started), notStarted: read(notStarted) };
}

describe.concurrent("RUNTIME_DEADLINE", { timeout: 120_000 }, () => {
  it("unset, every describe of the file runs", async () => {
    const run = await runFixture({});
    expect(run).toMatchObject({ exitCode: 0, passed: 2, failed: 0, skipped: 0 });
    expect(run.started).toEqual(["file", "first preset", "second preset"]);
    expect(run.notStarted).toEqual([]);
  });

  it("already passed, the file is not started (not even its beforeAll), its tests are skipped and the file is listed", async () => {
    const run = await runFixture({ RUNTIME_DEADLINE: String(Math.floor(Date.now() / 1000) - 60) });
    expect(run).toMatchObject({ exitCode: 0, passed: 0, failed: 0, skipped: 2 });
    expect(run.started).toEqual([]);
    expect(run.notStarted).toHaveLength(1);
    expect(run.notStarted[0]).toMatch(/^presets\.fixture\.ts: not started, RUNTIME_DEADLINE passed \d+ s earlier$/);
  });

  it("passing during the first describe, the second is not started and is listed by name", async () => {
    const run = await runFixture({ RUNTIME_DEADLINE: String(Math.floor(Date.now() / 1000) + 3600), DEADLINE_FIXTURE_EXPIRE: "1" });
    expect(run).toMatchObject({ exitCode: 0, passed: 1, failed: 0, skipped: 1 });
    expect(run.started).toEqual(["file", "first preset"]);
    expect(run.notStarted).toEqual([expect.stringMatching(/^presets\.fixture\.ts > second preset: not started, RUNTIME_DEADLINE passed \d+ s earlier$/)]);
  });
});

describe("the runtime suite's order", () => {
  const files = readdirSync(path.join(repoRoot, "test/runtime")).filter((f) => f.endsWith(".runtime.test.ts"));

  it("names every runtime file, so a new suite gets its place deliberately", () => {
    expect(files.filter((f) => runtimeRank(f) === runtimeOrder.length)).toEqual([]);
    expect(runtimeOrder.filter((name) => !files.includes(`${name}.runtime.test.ts`))).toEqual([]);
  });

  it("runs the conversation suite before the suites of single parts", () => {
    for (const later of ["images", "env-contract", "app-env-effects", "sign-in"]) {
      expect(runtimeRank(`${later}.runtime.test.ts`)).toBeGreaterThan(runtimeRank("conversation.runtime.test.ts"));
    }
  });
});
