/**
 * Runs tasks over a dependency graph: a task starts once every task it depends on is done, up to `limit()`
 * at a time (read again before each start, so a run can switch from one-by-one to concurrent when the person
 * answers "a"). When `limit()` is 1, tasks start strictly in the given order (the person reads them in order).
 * A failed task skips its dependents; independent branches go on. A task that throws a `fatal` error (quit,
 * Ctrl-C) stops new starts; the tasks already running finish first, then the error is thrown.
 * `order` is expected to list every key after its dependencies (the graph's topological order); dependencies
 * outside `order` are not waited for.
 *
 * Cost: O((tasks + edges) · log tasks) over a whole run. Each task keeps a count of the dependencies not yet
 * done and a list of its dependants; a completion only touches its own dependants, ready tasks wait in a heap
 * ordered by their place in `order`, and a failure walks its dependants once to skip them.
 */
import { IndexHeap } from '../core/heap.js';

export interface DagResult {
  done: Set<string>;
  failed: Map<string, unknown>;
  /** key → the failed (or skipped) dependency that blocked it */
  skipped: Map<string, string>;
}

export interface DagOptions {
  limit: () => number;
  fatal?: (e: unknown) => boolean;
  /** Checked before each start: when it returns an error, nothing more starts and that error is thrown at the end. */
  stop?: () => unknown;
}


/** One task of the graph, by its first place in `order`. */
interface Node {
  key: string;
  /** its place in `order` */
  index: number;
  /** its dependencies that are in `order`, each once, in the order `depsOf` gave them */
  deps: Node[];
  /** the tasks that depend on it */
  dependants: Node[];
  /** dependencies not done yet */
  waiting: number;
  /** started, or skipped: it will not start again */
  started: boolean;
  /** failed or skipped: its dependants cannot run */
  blocked: boolean;
  /** the index of the last task that listed it as a dependency (a dependency given twice counts once) */
  listedBy: number;
}

function buildNodes(order: string[], depsOf: (key: string) => string[]): Node[] {
  const byKey = new Map<string, Node>();
  const nodes: Node[] = [];
  for (const key of order) {
    if (byKey.has(key)) continue; // a key given twice is one task, at its first place
    const node: Node = { key, index: nodes.length, deps: [], dependants: [], waiting: 0, started: false, blocked: false, listedBy: -1 };
    byKey.set(key, node);
    nodes.push(node);
  }
  for (const node of nodes) {
    for (const d of depsOf(node.key)) {
      const dep = byKey.get(d);
      if (dep === undefined || dep.listedBy === node.index) continue; // a key outside `order` is not waited for
      dep.listedBy = node.index;
      node.deps.push(dep);
      dep.dependants.push(node);
    }
    node.waiting = node.deps.length;
  }
  return nodes;
}

export async function runDag(
  order: string[],
  depsOf: (key: string) => string[],
  run: (key: string) => Promise<void>,
  opts: DagOptions,
): Promise<DagResult> {
  const done = new Set<string>();
  const failed = new Map<string, unknown>();
  const skipped = new Map<string, string>();
  const nodes = buildNodes(order, depsOf);
  const ready = new IndexHeap();
  for (const n of nodes) if (n.waiting === 0) ready.push(n.index);
  /** the first task in `order` that has not started (nor been skipped): with a limit of 1 only it may start */
  let next = 0;
  let running = 0;
  let fatalError: unknown;
  let hasFatal = false;

  /** failed since the last pump: their dependants are skipped there, once every completion of this turn is in */
  let newlyFailed: Node[] = [];

  /**
   * Skips, once, every task that can no longer run because one of `newlyFailed` failed. Each skipped task names
   * the first of its dependencies (in the order `depsOf` gave them) that has failed or been skipped, and they
   * enter `skipped` in input order.
   */
  const skipDependants = () => {
    const stack = newlyFailed;
    newlyFailed = [];
    for (const n of stack) n.blocked = true;
    const reached: Node[] = [];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      for (const d of n.dependants) {
        if (d.started) continue;
        d.started = true;
        d.blocked = true;
        reached.push(d);
        stack.push(d);
      }
    }
    reached.sort((x, y) => x.index - y.index);
    for (const n of reached) {
      const by = n.deps.find((d) => d.blocked);
      if (by !== undefined) skipped.set(n.key, by.key);
    }
  };

  return new Promise<DagResult>((resolve, reject) => {
    const finishIfIdle = () => {
      if (running > 0) return;
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on the task's own rejection reason (or what opts.stop returned) unchanged: callers tell a quit from a usage error by it
      if (hasFatal) reject(fatalError);
      else resolve({ done, failed, skipped });
    };
    const start = (node: Node) => {
      node.started = true;
      running++;
      void run(node.key).then(
        () => {
          done.add(node.key);
          for (const d of node.dependants) {
            d.waiting--;
            if (d.waiting === 0 && !d.started) ready.push(d.index);
          }
        },
        (e: unknown) => {
          if (opts.fatal?.(e)) {
            if (!hasFatal) {
              hasFatal = true;
              fatalError = e;
            }
          } else {
            failed.set(node.key, e);
            newlyFailed.push(node);
          }
        },
      ).finally(() => {
        running--;
        pump();
      });
    };
    const pump = () => {
      if (!hasFatal && opts.stop) {
        const s = opts.stop();
        if (s !== undefined) {
          hasFatal = true;
          fatalError = s;
        }
      }
      if (!hasFatal) skipDependants();
      while (!hasFatal) {
        for (let n = nodes[next]; n !== undefined && n.started; n = nodes[next]) next++;
        const first = ready.peek();
        if (first === undefined) break;
        const limit = Math.max(1, opts.limit());
        if (running >= limit) break;
        // one by one means strictly in order: do not jump ahead of a task that is not ready yet
        if (limit === 1 && first !== next) break;
        ready.pop();
        const node = nodes[first];
        if (node !== undefined && !node.started) start(node);
      }
      finishIfIdle();
    };
    pump();
  });
}
