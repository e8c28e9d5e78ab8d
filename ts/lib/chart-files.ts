// The files Helm loads from a chart directory (everything .helmignore does not exclude), and
// a digest of their names and contents: a render depends on nothing else in the chart.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

interface Rule {
  pattern: RegExp;
  directoriesOnly: boolean;
  /** Match the whole relative path (the pattern has a slash) or only the base name. */
  wholePath: boolean;
}

/** Parses .helmignore the way Helm does (pkg/ignore): globs per line, `dir/` for directories. */
export function helmIgnoreRules(text: string): Rule[] | undefined {
  const rules: Rule[] = [];
  for (const raw of text.split("\n")) {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    // Negations make the order of rules matter; the caller then hashes conservatively.
    if (line.startsWith("!")) return undefined;
    const directoriesOnly = line.endsWith("/");
    if (directoriesOnly) line = line.slice(0, -1);
    const wholePath = line.includes("/");
    rules.push({ pattern: globToRegExp(line.replace(/^\//, "")), directoriesOnly, wholePath });
  }
  // Helm's built-in rule: dot files under templates/ are never templates.
  rules.push({ pattern: globToRegExp("templates/.?*"), directoriesOnly: false, wholePath: true });
  return rules;
}

/** Go's filepath.Match as a regular expression: `*` and `?` never cross a slash. */
function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\" && i + 1 < glob.length) out += escape(glob[++i]);
    else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close < 0) {
        out += "\\[";
        continue;
      }
      const body = glob.slice(i + 1, close);
      out += `[${body}]`;
      i = close;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function ignored(rules: Rule[], relative: string, isDirectory: boolean): boolean {
  return rules.some((rule) => (!rule.directoriesOnly || isDirectory) && rule.pattern.test(rule.wholePath ? relative : path.posix.basename(relative)));
}

/** Relative paths (with `/`) of the files Helm loads from `chartDir`, sorted. */
export function chartFiles(chartDir: string): string[] {
  const ignoreFile = path.join(chartDir, ".helmignore");
  // Without usable rules, leave out only what can never be chart content.
  const rules = (existsSync(ignoreFile) ? helmIgnoreRules(readFileSync(ignoreFile, "utf8")) : []) ?? [];
  const always = new Set([".git", "node_modules", ".tools"]);
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(chartDir, relative), { withFileTypes: true })) {
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (always.has(entry.name) && relative === "") continue;
      if (ignored(rules, child, entry.isDirectory())) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(child);
    }
  };
  walk("");
  return files.sort();
}

/** sha256 over the names and contents of the chart's files. */
export function chartDigest(chartDir: string): string {
  const hash = createHash("sha256");
  for (const file of chartFiles(chartDir)) {
    hash.update(file).update("\0");
    hash.update(readFileSync(path.join(chartDir, file))).update("\0");
  }
  return hash.digest("hex");
}

/**
 * The same digest, recomputed only when a file's name, size or modification time changed
 * since the last call in this process (a stat is far cheaper than reading every file).
 */
export function chartDigestCached(chartDir: string): string {
  const signature = chartFiles(chartDir)
    .map((file) => {
      const stat = statSync(path.join(chartDir, file));
      return `${file}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    })
    .join("\n");
  const known = digestBySignature.get(chartDir);
  if (known && known.signature === signature) return known.digest;
  const digest = chartDigest(chartDir);
  digestBySignature.set(chartDir, { signature, digest });
  return digest;
}

const digestBySignature = new Map<string, { signature: string; digest: string }>();
