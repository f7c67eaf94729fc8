/**
 * The template grammar of input files and the reference graph between keys. It lives in src/input because
 * validation needs it (undefined references, unknown generators, cycles); src/resolve renders with it.
 *
 *   {{KEY}}             the value of KEY
 *   {{KEY.a.b}}         a property deep inside KEY's value (an object, e.g. Okta's response); array
 *                       elements by index: {{KEY.redirect_uris.0}}
 *   {{GENERATE_NAME}}   a generated value: TAG, PASSWORD, FIRSTNAME, LASTNAME
 *
 * Whitespace inside the braces is allowed ({{ KEY }}). A generated value binds its name within the value being
 * rendered: in a value holding {{GENERATE_FIRSTNAME}}, {{FIRSTNAME}} is that generated name, not a key.
 */

export const GENERATORS = ['TAG', 'PASSWORD', 'FIRSTNAME', 'LASTNAME'] as const;
export type GeneratorName = (typeof GENERATORS)[number];
export const GENERATE_PREFIX = 'GENERATE_';

export type TemplateRef = { kind: 'key'; key: string; path: string[] } | { kind: 'generate'; name: string };

export interface TemplateMatch {
  /** The template text, braces included. */
  raw: string;
  start: number;
  end: number;
  ref: TemplateRef;
  /** A path after a generator ({{GENERATE_TAG.x}}): invalid, reported by validation. */
  generatorPath?: string[];
}

/** Key names a template can reference. */
export const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_$-]+)*)\s*\}\}/g;
const BRACES = /\{\{[^{}]*\}\}/g;

export function isGeneratorName(name: string): name is GeneratorName {
  return (GENERATORS as readonly string[]).includes(name);
}

/** Every well-formed template in a string, in order. */
export function parseTemplates(s: string): TemplateMatch[] {
  const out: TemplateMatch[] = [];
  for (const m of s.matchAll(TEMPLATE)) {
    const name = m[1]!;
    const path = m[2] ? m[2].slice(1).split('.') : [];
    const base = { raw: m[0], start: m.index, end: m.index + m[0].length };
    if (name.startsWith(GENERATE_PREFIX)) {
      const g: TemplateMatch = { ...base, ref: { kind: 'generate', name: name.slice(GENERATE_PREFIX.length) } };
      if (path.length > 0) g.generatorPath = path;
      out.push(g);
    } else {
      out.push({ ...base, ref: { kind: 'key', key: name, path } });
    }
  }
  return out;
}

/** `{{...}}` pieces that are not well-formed templates (e.g. "{{my key}}"); they stay literal text. */
export function malformedTemplates(s: string): string[] {
  const good = new Set(parseTemplates(s).map((m) => m.start));
  const bad: string[] = [];
  for (const m of s.matchAll(BRACES)) if (!good.has(m.index)) bad.push(m[0]);
  return bad;
}

/** Calls `visit` for every string inside `value` (object values and array elements, deep), with its path. */
export function forEachString(value: unknown, visit: (s: string, path: (string | number)[]) => void, path: (string | number)[] = []): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, visit, [...path, i]));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) forEachString(v, visit, [...path, k]);
  }
}

/** Names bound by the generators used anywhere in `value` (GENERATE_FIRSTNAME binds FIRSTNAME). */
export function boundNames(value: unknown): Set<string> {
  const bound = new Set<string>();
  forEachString(value, (s) => {
    for (const m of parseTemplates(s)) if (m.ref.kind === 'generate') bound.add(m.ref.name);
  });
  return bound;
}

/**
 * The references in `value`, deep over strings inside objects and arrays, each once, in order of appearance.
 * Key references bound by a generator in the same value ({{FIRSTNAME}} next to {{GENERATE_FIRSTNAME}}) are not
 * references to other keys and are left out.
 */
export function refsOf(value: unknown): TemplateRef[] {
  const bound = boundNames(value);
  const seen = new Set<string>();
  const out: TemplateRef[] = [];
  forEachString(value, (s) => {
    for (const m of parseTemplates(s)) {
      const r = m.ref;
      if (r.kind === 'key' && bound.has(r.key)) continue;
      const id = r.kind === 'key' ? `k:${r.key}.${r.path.join('.')}` : `g:${r.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(r);
    }
  });
  return out;
}

/** The templated parts of an entry: `default`, `oktaEndpoint` and `groups` (each rendered on its own). */
export function templatedFields(entry: { default?: unknown; oktaEndpoint?: string; groups?: string[] }): { field: 'default' | 'oktaEndpoint' | 'groups'; value: unknown }[] {
  const out: { field: 'default' | 'oktaEndpoint' | 'groups'; value: unknown }[] = [];
  if (entry.default !== undefined) out.push({ field: 'default', value: entry.default });
  if (entry.oktaEndpoint !== undefined) out.push({ field: 'oktaEndpoint', value: entry.oktaEndpoint });
  if (entry.groups !== undefined) out.push({ field: 'groups', value: entry.groups });
  return out;
}

/** The keys an entry references (defined or not), each once, in order of appearance. */
export function keysReferencedBy(entry: { default?: unknown; oktaEndpoint?: string; groups?: string[] }): string[] {
  const keys: string[] = [];
  for (const { value } of templatedFields(entry)) {
    for (const r of refsOf(value)) if (r.kind === 'key' && !keys.includes(r.key)) keys.push(r.key);
  }
  return keys;
}

/**
 * Every reference cycle in a dependency graph (`deps`: key → keys it needs, all defined), one per strongly
 * connected component, each as the keys along the cycle starting from its first key in `deps` order, e.g.
 * ["D", "E"] for D → E → D. A key that references itself is a cycle of one.
 */
export function findCycles(deps: Map<string, string[]>): string[][] {
  const keys = [...deps.keys()];
  const indexOf = new Map(keys.map((k, i) => [k, i]));
  // Tarjan's strongly connected components, iterative so deep chains cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const root of keys) {
    if (index.has(root)) continue;
    const work: { key: string; i: number }[] = [{ key: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = (deps.get(frame.key) ?? []).filter((d) => deps.has(d));
      if (frame.i < succ.length) {
        const d = succ[frame.i++]!;
        if (!index.has(d)) {
          index.set(d, next);
          low.set(d, next++);
          stack.push(d);
          onStack.add(d);
          work.push({ key: d, i: 0 });
        } else if (onStack.has(d)) {
          low.set(frame.key, Math.min(low.get(frame.key)!, index.get(d)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.key;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.key)!));
      }
      if (low.get(frame.key) === index.get(frame.key)) {
        const comp: string[] = [];
        let k: string;
        do {
          k = stack.pop()!;
          onStack.delete(k);
          comp.push(k);
        } while (k !== frame.key);
        components.push(comp);
      }
    }
  }
  const cycles: string[][] = [];
  for (const comp of components) {
    const members = new Set(comp);
    const start = [...comp].sort((a, b) => indexOf.get(a)! - indexOf.get(b)!)[0]!;
    if (comp.length === 1 && !(deps.get(start) ?? []).includes(start)) continue;
    cycles.push(shortestCycle(start, members, deps));
  }
  return cycles.sort((a, b) => indexOf.get(a[0]!)! - indexOf.get(b[0]!)!);
}

/** The shortest path start → … → start inside one strongly connected component (breadth-first). */
function shortestCycle(start: string, members: Set<string>, deps: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const k = queue.shift()!;
    for (const d of deps.get(k) ?? []) {
      if (!members.has(d)) continue;
      if (d === start) {
        const path = [k];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      if (!parent.has(d)) {
        parent.set(d, k);
        queue.push(d);
      }
    }
  }
  return [start];
}
