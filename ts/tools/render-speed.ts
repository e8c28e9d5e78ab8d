// How long `npm test` takes next to the floor set by Helm itself: the wall time of `npm test`
// with an empty render cache and again with a warm one, counting every helm process it starts,
// then the wall time of as many bare `helm template` runs of `helm create`'s starter chart at
// the same parallelism (one per core, as vitest runs suites).
//
//   npm run speed                       # both npm test runs, then the starter runs
//   npm run speed -- --uncached         # first a run with the cache off (OPENHANDS_RENDER_CACHE=off)
//   npm run speed -- --starter-only 900 # only 900 starter renders
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { helmBinary, repoRoot } from "../lib/helm-binaries.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "render-speed-"));
const parallelism = availableParallelism();

/**
 * A wrapper around each pinned helm that logs one line per process to $RENDER_SPEED_LOG, then
 * runs the real one. Written once: the render cache keys on the binary's file, so both runs
 * must see the same wrapper for the second to find the first one's entries.
 */
const countingHelms: Record<string, string> = {};
for (const name of ["helm3", "helm4"] as const) {
  const wrapper = path.join(scratch, name);
  writeFileSync(wrapper, `#!/bin/sh\necho "$1" >> "$RENDER_SPEED_LOG"\nexec '${helmBinary(name)}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  countingHelms[`${name.toUpperCase()}_BIN`] = wrapper;
}

async function timeNpmTest(label: string, cache: string): Promise<{ seconds: number; helmRuns: number; templateRuns: number }> {
  const log = path.join(scratch, `${label}.log`);
  writeFileSync(log, "");
  const started = performance.now();
  const result = await execa("npm", ["test"], { cwd: repoRoot, reject: false, env: { ...countingHelms, RENDER_SPEED_LOG: log, OPENHANDS_RENDER_CACHE: cache }, all: true });
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0) {
    console.error(result.all?.split("\n").slice(-40).join("\n"));
    throw new Error(`npm test failed (${label})`);
  }
  const commands = readFileSync(log, "utf8").split("\n").filter(Boolean);
  return { seconds, helmRuns: commands.length, templateRuns: commands.filter((c) => c === "template").length };
}

async function timeStarter(runs: number): Promise<number> {
  const chart = path.join(scratch, "starter");
  await execa(helmBinary("helm4"), ["create", chart]);
  let next = 0;
  const worker = async () => {
    while (next < runs) {
      next++;
      await execa(helmBinary("helm4"), ["template", "starter", chart]);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: parallelism }, worker));
  return (performance.now() - started) / 1000;
}

const starterOnly = process.argv.indexOf("--starter-only");
if (starterOnly >= 0) {
  const runs = Number(process.argv[starterOnly + 1]);
  if (!Number.isInteger(runs) || runs <= 0) throw new Error("--starter-only takes a number of runs");
  console.log(`${runs} bare helm template runs of the starter chart, ${parallelism} at a time: ${(await timeStarter(runs)).toFixed(1)} s`);
} else {
  const cache = path.join(scratch, "render-cache");
  if (process.argv.includes("--uncached")) {
    const off = await timeNpmTest("off", "off");
    console.log(`npm test, render cache off:   ${off.seconds.toFixed(1)} s, ${off.helmRuns} helm processes (${off.templateRuns} helm template)`);
  }
  const cold = await timeNpmTest("cold", cache);
  console.log(`npm test, empty render cache: ${cold.seconds.toFixed(1)} s, ${cold.helmRuns} helm processes (${cold.templateRuns} helm template)`);
  const warm = await timeNpmTest("warm", cache);
  console.log(`npm test, warm render cache:  ${warm.seconds.toFixed(1)} s, ${warm.helmRuns} helm processes (${warm.templateRuns} helm template)`);
  const starter = await timeStarter(cold.helmRuns);
  console.log(`${cold.helmRuns} bare helm template runs of the starter chart, ${parallelism} at a time: ${starter.toFixed(1)} s`);
}
