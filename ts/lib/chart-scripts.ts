// The chart's scripts (files/, shipped in the scripts ConfigMap) as a rendered release holds
// them, written to a directory so a test can run them against stand-in tools.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getObject, type K8sObject } from "./render.ts";

/** Where containers mount the scripts ConfigMap. */
export const scriptsDir = "/opt/openhands-chart";

/** The scripts ConfigMap's files, by name. */
export function chartScripts(objects: K8sObject[], release = "openhands"): Record<string, string> {
  return (getObject(objects, "ConfigMap", `${release}-scripts`) as any).data;
}

/**
 * Writes every script of a render to a fresh directory and returns a function that maps a
 * container's path (/opt/openhands-chart/x.sh) to the written copy.
 */
export function writeChartScripts(objects: K8sObject[]): { dir: string; local: (containerPath: string) => string } {
  const dir = mkdtempSync(path.join(tmpdir(), "chart-scripts-"));
  for (const [name, text] of Object.entries(chartScripts(objects))) writeFileSync(path.join(dir, name), text);
  return {
    dir,
    local: (containerPath) => {
      if (!containerPath.startsWith(`${scriptsDir}/`)) throw new Error(`${containerPath} is not under ${scriptsDir}`);
      return path.join(dir, containerPath.slice(scriptsDir.length + 1));
    },
  };
}
