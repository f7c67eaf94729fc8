/**
 * The resolution graph: which keys each key needs (from the templates in its default, oktaEndpoint and groups),
 * and an order in which every key comes after the keys it needs. File order only breaks ties, so shuffling the
 * keys of a file changes no constraint. Data entries come first among equals: their values feed templates.
 */
import { InputError } from '../core/errors.js';
import type { InputEntry, InputFile } from '../input/schema.js';
import { findCycles, keysReferencedBy } from '../input/refs.js';
import { cycleProblem } from '../input/validate.js';
import { IndexHeap } from '../core/heap.js';

export interface GraphNode {
  key: string;
  entry: InputEntry;
  /** Keys defined in this input that this one references. */
  deps: string[];
  /** Keys referenced but not defined here (from --set/env/.env, a data source, or a prompt). */
  external: string[];
}

export interface ResolutionGraph {
  nodes: Map<string, GraphNode>;
  /** Topological: every key after its deps; file order (data entries first) breaks ties. */
  order: string[];
  /** Every key that depends on `key`, directly or not, in `order`. */
  dependents(key: string): string[];
}

/** Builds the graph; a reference cycle is an InputError listing the cycle. */
export function buildGraph(input: InputFile, file: string): ResolutionGraph {
  const keys = Object.keys(input);
  const nodes = new Map<string, GraphNode>();
  for (const key of keys) {
    const entry = input[key]!;
    const refs = keysReferencedBy(entry);
    nodes.set(key, { key, entry, deps: refs.filter((r) => Object.hasOwn(input, r)), external: refs.filter((r) => !Object.hasOwn(input, r)) });
  }
  const cycles = findCycles(new Map([...nodes].map(([k, n]) => [k, n.deps])));
  if (cycles.length > 0) {
    throw new InputError(file, cycles.map(cycleProblem));
  }

  // Kahn's algorithm, always taking the ready key that comes first (data entries, then file order): ranks are
  // distinct integers, so a min-heap of ranks gives that key in O(log n) per step.
  const byRank: string[] = [];
  const rank = new Map<string, number>();
  keys.forEach((k, i) => {
    const r = (input[k]?.objType === 'data' ? 0 : keys.length) + i;
    rank.set(k, r);
    byRank[r] = k;
  });
  const waiting = new Map<string, number>();
  const users = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const n of nodes.values()) {
    const deps = new Set(n.deps);
    waiting.set(n.key, deps.size);
    for (const d of deps) users.get(d)?.push(n.key);
  }
  const ready = new IndexHeap();
  for (const [k, w] of waiting) if (w === 0) ready.push(rank.get(k) ?? 0);
  const order: string[] = [];
  for (let r = ready.pop(); r !== undefined; r = ready.pop()) {
    const k = byRank[r];
    if (k === undefined) continue;
    order.push(k);
    for (const u of users.get(k) ?? []) {
      const w = (waiting.get(u) ?? 1) - 1;
      waiting.set(u, w);
      if (w === 0) ready.push(rank.get(u) ?? 0);
    }
  }
  const position = new Map(order.map((k, i) => [k, i]));

  return {
    nodes,
    order,
    dependents(key) {
      const found = new Set<string>();
      const stack = [...(users.get(key) ?? [])];
      while (stack.length > 0) {
        const k = stack.pop()!;
        if (found.has(k)) continue;
        found.add(k);
        stack.push(...users.get(k)!);
      }
      return [...found].sort((a, b) => position.get(a)! - position.get(b)!);
    },
  };
}

/** Keys whose value comes from outside this input (--set/env/.env, a data source or a prompt), in order of first use. */
export function externalKeys(graph: ResolutionGraph): string[] {
  const out: string[] = [];
  for (const k of graph.order) for (const e of graph.nodes.get(k)!.external) if (!out.includes(e)) out.push(e);
  return out;
}
