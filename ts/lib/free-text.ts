// The values a user types as free text, found by walking values.schema.json, and the
// small tree helpers that put a string at one of them.

type Schema = Record<string, any>;

/** One step from a value to a part of it. */
export type Step =
  | { kind: "property"; name: string }
  | { kind: "item" }
  | { kind: "mapValue" }
  | { kind: "mapKey" };

/** A place in the values that holds a string without a fixed set of choices. */
export interface FreeTextTarget {
  /** Dotted name: `a.b` for properties, `a[]` for array items, `a{value}` / `a{key}` for map entries. */
  name: string;
  steps: Step[];
}

/** The map key the value of a map target is stored under: its own per map, so maps that merge (labels) do not collide. */
export function mapEntryKey(target: FreeTextTarget): string {
  return `inj-${target.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 50).replace(/-+$/, "")}`;
}

/**
 * Every string property without `enum`, every string item of an array and every string
 * value (and key) of a map, reachable from the schema's root.
 */
export function freeTextTargets(schema: Schema): FreeTextTarget[] {
  const definitions: Record<string, Schema> = schema.definitions ?? {};
  const found: FreeTextTarget[] = [];
  const resolve = (node: Schema | undefined): Schema | undefined => {
    let current = node;
    for (let hops = 0; current?.$ref && hops < 20; hops++) current = definitions[String(current.$ref).split("/").pop()!];
    return current;
  };
  const visit = (raw: Schema | undefined, steps: Step[]) => {
    const node = resolve(raw);
    if (!node || steps.length > 20) return;
    const types: string[] = [node.type ?? []].flat();
    if (types.includes("string") && !node.enum) found.push({ name: targetName(steps), steps });
    for (const option of node.anyOf ?? []) visit(option, steps);
    for (const [name, child] of Object.entries<Schema>(node.properties ?? {})) visit(child, [...steps, { kind: "property", name }]);
    if (node.items && !Array.isArray(node.items)) visit(node.items, [...steps, { kind: "item" }]);
    const values = resolve(node.additionalProperties);
    if (values && typeof values === "object" && values.type !== undefined) {
      visit(values, [...steps, { kind: "mapValue" }]);
      found.push({ name: targetName([...steps, { kind: "mapKey" }]), steps: [...steps, { kind: "mapKey" }] });
    }
  };
  visit(schema, []);
  const unique = new Map(found.map((t) => [t.name, t]));
  return [...unique.values()];
}

export function targetName(steps: Step[]): string {
  let name = "";
  for (const step of steps) {
    if (step.kind === "property") name += name ? `.${step.name}` : step.name;
    else if (step.kind === "item") name += "[]";
    else name += step.kind === "mapValue" ? "{value}" : "{key}";
  }
  return name;
}

/**
 * The concrete path of the string in a values tree: item 0 of arrays, the entry
 * `mapEntryKey` of maps; a map key target ends at its map.
 */
export function concretePath(target: FreeTextTarget): (string | number)[] {
  const path: (string | number)[] = [];
  for (const step of target.steps) {
    if (step.kind === "property") path.push(step.name);
    else if (step.kind === "item") path.push(0);
    else if (step.kind === "mapValue") path.push(mapEntryKey(target));
  }
  return path;
}

/** Helm 3 prints `a.b.0`, Helm 4 `/a/b/0`. */
export function dottedPath(path: (string | number)[]): string {
  return path.join(".");
}

/**
 * Whether the target's place exists in a values tree without inventing objects: every
 * property is there and every array of objects on the way has a first element.
 */
export function placeExists(tree: unknown, target: FreeTextTarget): boolean {
  let node: unknown = tree;
  const steps = target.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const last = i === steps.length - 1;
    if (step.kind === "property") {
      if (!isMap(node) || !(step.name in node)) return false;
      node = node[step.name];
    } else if (step.kind === "item") {
      if (!Array.isArray(node)) return false;
      if (last) return true;
      if (node.length === 0) return false;
      node = node[0];
    } else {
      return isMap(node);
    }
  }
  return true;
}

/**
 * A copy of the tree with the string placed at the target: replaces the first item of
 * an array (or adds one), adds the map entry `mapEntryKey` (or, for a key target, an
 * entry named by the string). `fill` supplies a first element for an empty array of objects.
 */
export function withString(tree: unknown, target: FreeTextTarget, value: string, fill?: (arrayPath: (string | number)[]) => unknown): unknown {
  // A JSON copy: no part of the result is shared with another (structuredClone keeps sharing).
  const root = copy(tree) as any;
  let parent: any = root;
  const path: (string | number)[] = [];
  const steps = target.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const last = i === steps.length - 1;
    if (step.kind === "property") {
      if (last) {
        parent[step.name] = value;
        return root;
      }
      if (parent[step.name] === undefined || parent[step.name] === null) parent[step.name] = steps[i + 1].kind === "item" ? [] : {};
      parent = parent[step.name];
      path.push(step.name);
    } else if (step.kind === "item") {
      if (last) {
        if (parent.length > 0) parent[0] = value;
        else parent.push(value);
        return root;
      }
      if (parent.length === 0) parent.push(copy(fill?.(path) ?? {}));
      parent = parent[0];
      path.push(0);
    } else if (step.kind === "mapValue") {
      parent[mapEntryKey(target)] = value;
      return root;
    } else {
      parent[value] = "inj-value";
      return root;
    }
  }
  return root;
}

/** Helm's merge of values: maps merge key by key, everything else is replaced. Returns a fresh copy. */
export function coalesce(base: unknown, override: unknown): unknown {
  if (isMap(base) && isMap(override)) {
    const out = copy(base) as Record<string, unknown>;
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? coalesce(base[k], v) : copy(v);
    return out;
  }
  return copy(override);
}

const copy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** The value at a path, or undefined. */
export function valueAt(tree: unknown, path: (string | number)[]): unknown {
  let node: any = tree;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[key];
  }
  return node;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
