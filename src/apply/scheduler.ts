/**
 * Runs tasks over a dependency graph: a task starts once every task it depends on is done, up to `limit()`
 * at a time (read again before each start, so a run can switch from one-by-one to concurrent when the person
 * answers "a"). When `limit()` is 1, tasks start strictly in the given order (the person reads them in order).
 * A failed task skips its dependents; independent branches go on. A task that throws a `fatal` error (quit,
 * Ctrl-C) stops new starts; the tasks already running finish first, then the error is thrown.
 */
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

export async function runDag(
  order: string[],
  depsOf: (key: string) => string[],
  run: (key: string) => Promise<void>,
  opts: DagOptions,
): Promise<DagResult> {
  const done = new Set<string>();
  const failed = new Map<string, unknown>();
  const skipped = new Map<string, string>();
  const started = new Set<string>();
  const known = new Set(order);
  const deps = new Map(order.map((k) => [k, depsOf(k).filter((d) => known.has(d))]));
  let running = 0;
  let fatalError: unknown;
  let hasFatal = false;

  return new Promise<DagResult>((resolve, reject) => {
    const finishIfIdle = () => {
      if (running > 0) return;
      if (hasFatal) reject(fatalError);
      else resolve({ done, failed, skipped });
    };
    const blockedBy = (key: string): string | undefined =>
      deps.get(key)!.find((d) => failed.has(d) || skipped.has(d));
    /** Marks as skipped whatever can no longer run (repeats to catch chains). */
    const markSkipped = () => {
      let changed = true;
      while (changed) {
        changed = false;
        for (const key of order) {
          if (started.has(key)) continue;
          const b = blockedBy(key);
          if (b !== undefined) {
            started.add(key);
            skipped.set(key, b);
            changed = true;
          }
        }
      }
    };
    const pump = () => {
      if (!hasFatal && opts.stop) {
        const s = opts.stop();
        if (s !== undefined) {
          hasFatal = true;
          fatalError = s;
        }
      }
      if (!hasFatal) {
        markSkipped();
        for (const key of order) {
          if (started.has(key)) continue;
          const ready = deps.get(key)!.every((d) => done.has(d));
          const limit = Math.max(1, opts.limit());
          if (running >= limit) break;
          if (!ready) {
            // one by one means strictly in order: do not jump ahead of a task that is not ready yet
            if (limit === 1) break;
            continue;
          }
          started.add(key);
          running++;
          void run(key).then(
            () => {
              done.add(key);
            },
            (e: unknown) => {
              if (opts.fatal?.(e)) {
                if (!hasFatal) {
                  hasFatal = true;
                  fatalError = e;
                }
              } else {
                failed.set(key, e);
              }
            },
          ).finally(() => {
            running--;
            pump();
          });
        }
        markSkipped();
      }
      finishIfIdle();
    };
    pump();
  });
}
