/**
 * Finding existing objects by natural key, batched: every lookup of one class under one parent that is asked
 * for in the same turn of the event loop goes into ONE `findExisting` call (one listing, or one search covering
 * many keys), DataLoader-style. Answers are cached, so the planning pass pays for the lookups and the apply
 * pass that follows reuses them; `fresh` bypasses the cache (after a failed create, the write may have committed).
 */
import { keyOf } from '../okta/handlers/common.js';

type Obj = Record<string, unknown>;

/** One batched lookup: the handler's findExisting for this class and parent, its answer keyed by keyOf. */
export type FindExisting = (objectClass: string, parent: Record<string, string>, keys: Record<string, string>[]) => Promise<Map<string, Obj>>;

interface Batch {
  objectClass: string;
  parent: Record<string, string>;
  keys: Map<string, Record<string, string>>;
  waiters: Map<string, { resolve: (o: Obj | undefined) => void; reject: (e: unknown) => void }[]>;
}

export class ExistingLoader {
  /** Answers, and lookups in flight (a second ask for the same key while the first is on the wire shares it). */
  private readonly cache = new Map<string, Map<string, Promise<Obj | undefined>>>();
  private readonly pending = new Map<string, Batch>();
  private scheduled = false;
  /** findExisting calls made (for --debug and tests). */
  calls = 0;

  private running = 0;
  private readonly queue: (() => void)[] = [];

  /** `maxConcurrent`: lookups on the wire at once (--concurrency: 1 means one request at a time, as the original). */
  constructor(
    private readonly find: FindExisting,
    private readonly maxConcurrent = Number.POSITIVE_INFINITY,
  ) {}

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private group(objectClass: string, parent: Record<string, string>): string {
    return `${objectClass} ${keyOf(parent)}`;
  }

  /** The org's object with this natural key, or undefined. Batched and cached. */
  get(objectClass: string, parent: Record<string, string>, nk: Record<string, string>): Promise<Obj | undefined> {
    const g = this.group(objectClass, parent);
    const k = keyOf(nk);
    let m = this.cache.get(g);
    if (!m) this.cache.set(g, (m = new Map<string, Promise<Obj | undefined>>()));
    const known = m.get(k);
    if (known) return known;
    let batch = this.pending.get(g);
    if (!batch) {
      batch = { objectClass, parent, keys: new Map(), waiters: new Map() };
      this.pending.set(g, batch);
    }
    batch.keys.set(k, nk);
    const b = batch;
    const p = new Promise<Obj | undefined>((resolve, reject) => {
      const list = b.waiters.get(k) ?? [];
      list.push({ resolve, reject });
      b.waiters.set(k, list);
    });
    m.set(k, p);
    // a failed lookup is not remembered: the next ask tries again
    const cached = m;
    p.catch(() => {
      if (cached.get(k) === p) cached.delete(k);
    });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushAll());
    }
    return p;
  }

  /** Looks one key up again, ignoring what is cached (batched with the other lookups of this turn). */
  fresh(objectClass: string, parent: Record<string, string>, nk: Record<string, string>): Promise<Obj | undefined> {
    this.cache.get(this.group(objectClass, parent))?.delete(keyOf(nk));
    return this.get(objectClass, parent, nk);
  }

  /** Records what we know now (after a create, or a delete). */
  remember(objectClass: string, parent: Record<string, string>, nk: Record<string, string>, obj: Obj | undefined): void {
    const g = this.group(objectClass, parent);
    let m = this.cache.get(g);
    if (!m) this.cache.set(g, (m = new Map<string, Promise<Obj | undefined>>()));
    m.set(keyOf(nk), Promise.resolve(obj));
  }

  private flushAll(): void {
    this.scheduled = false;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [, b] of batches) {
      this.calls++;
      this.limited(() => this.find(b.objectClass, b.parent, [...b.keys.values()])).then(
        (found) => {
          for (const [k, ws] of b.waiters) for (const w of ws) w.resolve(found.get(k));
        },
        (e: unknown) => {
          for (const ws of b.waiters.values()) for (const w of ws) w.reject(e);
        },
      );
    }
  }
}
