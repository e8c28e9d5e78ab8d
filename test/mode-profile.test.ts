// The sandbox mode profile (templates/_profile.tpl) is the one place that decides by the
// sandbox mode: every other template reads it, each mode's own wiring lives in its template,
// and the Pod Security level it states is the level its pod really has.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { definedTemplates, modeComparisons, modeTable, modeTemplateFile, templatesOutsideProfile } from "../ts/lib/mode-profile.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";
import { clusterApiVersions, presetLevel, presets } from "../ts/lib/presets.ts";
import { objectsOfKind, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { serverDeployment } from "../ts/lib/workload.ts";

const table = modeTable();
const modes = Object.keys(table);

function schemaModes(): string[] {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
  const resolve = (node: any): any => (node?.$ref ? resolve(schema.definitions[node.$ref.replace("#/definitions/", "")]) : node);
  return resolve(resolve(schema.properties.sandbox).properties.mode).enum;
}

describe("the mode table", () => {
  it("has a row for every sandbox mode the schema accepts, and no other", () => {
    expect(modes.sort()).toEqual([...schemaModes()].sort());
  });

  it.each(modes)("mode %s: its template defines exactly the hooks its row lists", (mode) => {
    const text = readFileSync(path.join(repoRoot, "templates", modeTemplateFile(mode)), "utf8");
    const defined = definedTemplates(text)
      .filter((name) => name.startsWith(`openhands.mode.${mode}.`))
      .map((name) => name.slice(`openhands.mode.${mode}.`.length));
    expect(defined.sort()).toEqual([...table[mode].hooks].sort());
    // A mode's template defines nothing for another mode.
    expect(definedTemplates(text).filter((name) => !name.startsWith(`openhands.mode.${mode}.`))).toEqual([]);
  });

  it("every row states each column", () => {
    const columns = ["hooks", "generations", "docker", "appUser", "workspace", "workspaceMount", "podSecurity", "gateway", "sandboxPorts", "sandboxUrls", "urlVariable", "stateVariable", "loopbackDocker", "sandboxImage", "agentInPod", "apiAccess", "cleanup"];
    for (const mode of modes) expect({ mode, missing: columns.filter((c) => !(c in table[mode])) }).toEqual({ mode, missing: [] });
  });
});

describe("no template outside the profile decides by the sandbox mode", () => {
  it.each(templatesOutsideProfile().map((t) => [t.file, t.text]))("%s", (_file, text) => {
    expect(modeComparisons(text, modes)).toEqual([]);
  });

  it("the check finds a mode comparison and a read of sandbox.mode", () => {
    expect(modeComparisons('{{- if eq $m "hostDocker" }}\n{{ $x := .Values.sandbox.mode }}\nmode dind: fine in prose', modes)).toEqual([
      '1: {{- if eq $m "hostDocker" }}',
      "2: {{ $x := .Values.sandbox.mode }}",
    ]);
  });
});

describe.each(presets)("preset $name: the profile's Pod Security level is the measured one", (preset) => {
  let objects: K8sObject[];
  beforeAll(async () => {
    // The release Namespace carries the profile's level in its labels.
    objects = (await render({ valuesFiles: preset.valuesFiles, values: { namespace: { create: true } }, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects;
  });

  it("labels the Namespace with the level the server pod measures at", () => {
    const namespace = objectsOfKind(objects, "Namespace").find((n) => n.metadata.name === "openhands")!;
    const stated = namespace.metadata.labels!["pod-security.kubernetes.io/enforce"];
    const measured = podSecurityLevel(serverDeployment(objects).spec.template.spec);
    expect({ stated, measured, documented: presetLevel(preset) }).toEqual({ stated: measured, measured, documented: measured });
  });
});

describe("the profile refuses what its row rules out", () => {
  it("a generation the mode does not work with", async () => {
    expect(await renderError({ values: { sandbox: { mode: "process" }, openhands: { image: { tag: "0.62" } } } })).toContain("sandbox.mode: process runs agent-server processes, which only OpenHands 1.x has");
  });

  it("dockerCleanup where the row has no cleanup", async () => {
    expect(await renderError({ values: { sandbox: { mode: "process" }, dockerCleanup: { enabled: true } } })).toContain("dockerCleanup.enabled: the cleanup job works on the Docker daemon of sandbox mode dind or hostDocker (or canvas.runtime docker), and sandbox.mode is process");
  });
});
