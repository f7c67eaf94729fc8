/**
 * Policies of one authorization server and rules of one policy carry a `priority`, and Okta keeps them in
 * priority order. Two rules: writes that set priorities in one server or policy go one after another, and the
 * relative order the input gives is checked against the org's.
 *
 * - Sequential writes: concurrent creates of the rules of one policy (or policies of one server) can fail with 500
 *   on Okta (terraform-provider-okta issue #1198, fixed by chaining the creates in PR #1248,
 *   https://github.com/okta/terraform-provider-okta/pull/1248). So entries of one such class and one parent (the
 *   same `oktaEndpoint`) are chained in the input's priority order: each depends on the one before it, so the
 *   engine creates (or updates) them one at a time, the lowest priority number first. A chain link that would close
 *   a cycle of the input's own references is left out.
 * - Relative order: Okta renumbers priorities to 1..n and, when two ask for the same one, orders them as the writes
 *   arrived (terraform-provider-okta PR #2833), so absolute numbers cannot be compared. What is compared is the
 *   order: an object placed after a sibling the input gives a lower priority number (or before one with a higher
 *   number) differs in `priority`, and the update sends the input's priority. Equal input priorities (the original
 *   tool's inputs give both rules 1) set no order between them.
 */
import type { InputEntry } from '../input/schema.js';
import { isRecord } from '../core/json.js';
import type { FieldDiff, Obj } from '../okta/handlers/types.js';
import type { ResolutionGraph } from '../resolve/graph.js';
import type { NodeInfo } from './values.js';

export const ORDERED_CLASSES: ReadonlySet<string> = new Set(['okta:oauth_policy', 'okta:rule']);

/** The priority the entry's body asks for, when it is a plain number. */
export function inputPriority(entry: InputEntry): number | undefined {
  const p = isRecord(entry.default) ? entry.default.priority : undefined;
  const n = typeof p === 'number' ? p : typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

export interface Sibling {
  key: string;
  priority: number | undefined;
  /** The natural key `name` when the input writes it as plain text (no template), else undefined. */
  name: string | undefined;
}

/** Entries of one ordered class and one parent (the same oktaEndpoint), in the input's priority order, ties by input order. */
export function priorityGroups(order: readonly string[], entryOf: (key: string) => InputEntry | undefined): Map<string, Sibling[]> {
  const groups = new Map<string, Sibling[]>();
  for (const key of order) {
    const entry = entryOf(key);
    if (entry?.objType !== 'json' || !entry.objectClass || !ORDERED_CLASSES.has(entry.objectClass)) continue;
    const g = `${entry.objectClass} ${entry.oktaEndpoint ?? ''}`;
    const name = isRecord(entry.default) ? entry.default.name : undefined;
    const sib: Sibling = { key, priority: inputPriority(entry), name: typeof name === 'string' && !name.includes('{{') ? name : undefined };
    groups.set(g, [...(groups.get(g) ?? []), sib]);
  }
  for (const [g, sibs] of groups) {
    const idx = new Map(order.map((k, i) => [k, i]));
    groups.set(g, [...sibs].sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER) || (idx.get(a.key) ?? 0) - (idx.get(b.key) ?? 0)));
  }
  return groups;
}

/** Adds the chain links (each sibling depends on the one before it) to `deps`, skipping any that would close a cycle. */
export function chainDeps(groups: Map<string, Sibling[]>, deps: Map<string, string[]>): void {
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
      if (k === to) return true;
      if (seen.has(k)) continue;
      seen.add(k);
      stack.push(...(deps.get(k) ?? []));
    }
    return false;
  };
  for (const sibs of groups.values()) {
    for (let i = 1; i < sibs.length; i++) {
      const before = sibs[i - 1];
      const after = sibs[i];
      if (!before || !after || reaches(before.key, after.key)) continue;
      deps.set(after.key, [...new Set([...(deps.get(after.key) ?? []), before.key])]);
    }
  }
}

/**
 * The `priority` difference of one object against its siblings in the org: `orgOf(sibling)` is the sibling's
 * object in the org (undefined when not there or not known). Empty when the org's order agrees with the input's.
 */
export function orderDiff(self: Sibling, existing: Obj, siblings: readonly Sibling[], orgOf: (s: Sibling) => Obj | undefined): FieldDiff[] {
  const mine = typeof existing.priority === 'number' ? existing.priority : undefined;
  if (self.priority === undefined || mine === undefined) return [];
  for (const s of siblings) {
    if (s.key === self.key || s.priority === undefined || s.priority === self.priority) continue;
    const theirs = orgOf(s)?.priority;
    if (typeof theirs !== 'number') continue;
    if (Math.sign(s.priority - self.priority) !== Math.sign(theirs - mine)) return [{ path: 'priority', before: mine, after: self.priority }];
  }
  return [];
}

/** `order` again, each key after its dependencies (the chain links included), otherwise as it was. */
export function topoOrder(order: readonly string[], deps: Map<string, string[]>): string[] {
  const inOrder = new Set(order);
  const out: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (k: string): void => {
    if (done.has(k) || visiting.has(k) || !inOrder.has(k)) return;
    visiting.add(k);
    for (const d of deps.get(k) ?? []) visit(d);
    visiting.delete(k);
    done.add(k);
    out.push(k);
  };
  for (const k of order) visit(k);
  return out;
}

/**
 * The graph's nodes, with the policies of one server and the rules of one policy chained one after another in the
 * input's priority order, and the order the run walks them in.
 */
export function orderedNodes(graph: ResolutionGraph): { nodes: Map<string, NodeInfo>; siblings: Map<string, Sibling[]>; order: string[] } {
  const nodes = new Map<string, NodeInfo>();
  for (const [k, n] of graph.nodes) nodes.set(k, { key: k, entry: n.entry, deps: n.deps, external: n.external });
  const siblings = priorityGroups(graph.order, (k) => nodes.get(k)?.entry);
  const depMap = new Map([...nodes].map(([k, n]) => [k, n.deps]));
  chainDeps(siblings, depMap);
  for (const [k, n] of nodes) n.deps = depMap.get(k) ?? n.deps;
  return { nodes, siblings, order: topoOrder(graph.order, depMap) };
}
