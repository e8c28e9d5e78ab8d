// Relative links in Markdown and the anchors its headings produce, for checking that the
// README and the guides point at files (and sections) that exist.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Link targets outside code blocks and code spans; absolute URLs are left out. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  const targets = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** The anchors GitHub gives a file's headings (`## Shared types` -> `shared-types`). */
export function headingAnchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const anchors = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    anchors.add(m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(/\s/g, "-"));
  }
  return anchors;
}

/** Links of a Markdown file (relative to `root`) whose file or anchor does not exist under `root`. */
export function brokenLinks(root: string, file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const broken: string[] = [];
  for (const link of relativeLinks(text)) {
    const [target, anchor] = link.split("#", 2);
    const resolved = target === "" ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), target);
    if (!resolved.startsWith(path.resolve(root) + path.sep) || !existsSync(resolved)) {
      broken.push(link);
      continue;
    }
    if (anchor && resolved.endsWith(".md") && !headingAnchors(readFileSync(resolved, "utf8")).has(anchor)) broken.push(link);
  }
  return broken;
}
