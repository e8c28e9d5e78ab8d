// The sandbox mode table of templates/_profile.tpl, read as data, and the check that no other
// template decides by the sandbox mode itself.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./helm-binaries.ts";

export interface ModeRow {
  hooks: string[];
  generations: string[];
  docker: string;
  appUser: string;
  workspace: string;
  podSecurity: string;
  podSecuritySysbox?: string;
  gateway: boolean;
  sandboxUrls: string;
  cleanup: string;
  [column: string]: unknown;
}

const templatesDir = path.join(repoRoot, "templates");
export const profileTemplate = "_profile.tpl";

/** The rows of openhands.modeTable (plain YAML between its define and end). */
export function modeTable(): Record<string, ModeRow> {
  const text = readFileSync(path.join(templatesDir, profileTemplate), "utf8");
  const body = text.split('{{- define "openhands.modeTable" -}}')[1]?.split("{{- end }}")[0];
  if (body === undefined) throw new Error(`${profileTemplate} has no openhands.modeTable`);
  return parse(body);
}

/** The file holding a mode's own template. */
export const modeTemplateFile = (mode: string) => `_mode-${mode.toLowerCase()}.tpl`;

/** Names a template file defines. */
export function definedTemplates(text: string): string[] {
  return [...text.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)].map((m) => m[1]);
}

/**
 * Places in a template's text that decide by the sandbox mode directly: reading
 * .Values.sandbox.mode, or a mode name in quotes inside a template action.
 */
export function modeComparisons(text: string, modes: string[]): string[] {
  const found: string[] = [];
  const quoted = new RegExp(`"(${modes.join("|")})"`);
  for (const [i, line] of text.split("\n").entries()) {
    const actions = line.match(/\{\{.*?\}\}/g) ?? [];
    if (/\.Values\.sandbox\.mode\b/.test(line) || actions.some((a) => quoted.test(a))) found.push(`${i + 1}: ${line.trim()}`);
  }
  return found;
}

/** Every template file except the profile, with its text. */
export function templatesOutsideProfile(): { file: string; text: string }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== profileTemplate) files.push(full);
    }
  };
  walk(templatesDir);
  return files.sort().map((f) => ({ file: path.relative(repoRoot, f), text: readFileSync(f, "utf8") }));
}
