/**
 * The one owner of create-once. A create POST is never repeated blindly (Okta's create endpoints are not
 * idempotent: a second POST makes a second object):
 *
 *   1. the intent is written to the output file ("pending", with the natural key) before the request;
 *   2. the handler sends its create request once;
 *   3. a failure that may have committed (a 5xx, the connection lost: isAmbiguousWriteFailure) is followed by a
 *      lookup by natural key, through the run's batched loader. Found: that is our object (the POST did commit);
 *      it is repaired (a client gets the secret whose only copy was lost) and brought into line (groups);
 *   4. not found: the request is sent again after a backoff, at most CREATE_ATTEMPTS requests in all.
 *
 * Okta documents 500 as "an unexpected error" without saying whether the write happened
 * (https://developer.okta.com/docs/reference/error-codes/#E0000009), hence the lookup before each retry.
 */
import { OktaApiError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { isAmbiguousWriteFailure } from '../okta/client.js';
import { PartialCreateError } from '../okta/handlers/index.js';
import type { Handler, HandlerContext, Obj } from '../okta/handlers/types.js';
import type { OutputJournal } from './journal.js';
import type { ExistingLoader } from './lookup.js';
import { errorLine } from './report.js';

/** Create requests sent for one object at most: the first and up to three retries. */
export const CREATE_ATTEMPTS = 4;

/** Wait before retry n (1-based): 400 ms, 800 ms, 1.6 s. */
export function backoffMs(retry: number): number {
  return 200 * 2 ** retry;
}

export interface CreateOwnerDeps {
  journal: OutputJournal;
  loader: ExistingLoader;
  log: Logger;
  /** The wait between attempts (injected: tests pass one that does not wait). */
  sleep: (ms: number) => Promise<void>;
}

export interface CreateJob {
  key: string;
  handler: Handler;
  ctx: HandlerContext;
  body: Obj;
  nk: Record<string, string>;
}

/** Okta's 400 for a name that is taken: the object exists (made by our earlier attempt or by someone else). */
function alreadyExists(e: unknown): boolean {
  if (!(e instanceof OktaApiError) || e.details.status !== 400) return false;
  return [e.details.errorSummary ?? '', ...(e.details.errorCauses ?? [])].some((s) => /already exists/i.test(s));
}

export class CreateOwner {
  constructor(private readonly d: CreateOwnerDeps) {}

  /** Records `obj` as made by this output (state done) and remembers it for later lookups. */
  recordDone(job: CreateJob, obj: Obj): void {
    const { key, handler, ctx, nk } = job;
    const parent = ctx.parent;
    this.d.journal.record(key, {
      objectClass: handler.objectClass,
      state: 'done',
      id: handler.idOf(obj),
      naturalKey: nk,
      parent: Object.keys(parent).length ? parent : undefined,
    });
    this.d.loader.remember(handler.objectClass, parent, nk, obj);
  }

  /**
   * Creates the object once. `saved` is called with the object before the error of a partial create (a client
   * registered whose group assignment failed) is passed on, so its secret is kept.
   */
  async create(job: CreateJob, saved: (obj: Obj) => void): Promise<Obj> {
    const { key, handler, ctx, body, nk } = job;
    const { journal, loader, log } = this.d;
    journal.record(key, {
      objectClass: handler.objectClass,
      state: 'pending',
      id: undefined,
      naturalKey: nk,
      parent: Object.keys(ctx.parent).length ? ctx.parent : undefined,
      adopted: undefined,
      shared: undefined,
      replacedBy: undefined,
    });
    await journal.flush();
    for (let attempt = 1; ; attempt++) {
      try {
        const obj = await handler.create(ctx, body);
        this.recordDone(job, obj);
        return obj;
      } catch (e) {
        if (e instanceof PartialCreateError) {
          this.recordDone(job, e.created);
          saved(e.created);
          await journal.flush();
          throw e;
        }
        if (!isAmbiguousWriteFailure(e) && !alreadyExists(e)) throw e;
        const found = await loader.fresh(handler.objectClass, ctx.parent, nk);
        if (found) {
          log.verbose(`${key}: the create failed (${errorLine(e)}) but Okta had made the object; taking it over`);
          const obj = handler.repair ? await handler.repair(ctx, found) : found;
          if (handler.ensure) await handler.ensure(ctx, obj, body);
          if (obj !== found) log.warn(`${key}: ${handler.objectClass} ${handler.idOf(found)} was made but Okta's answer was lost: repaired it (a client gets a new secret).`);
          this.recordDone(job, obj);
          saved(obj);
          return obj;
        }
        if (attempt >= CREATE_ATTEMPTS || alreadyExists(e)) throw e;
        await this.d.sleep(backoffMs(attempt));
      }
    }
  }
}

/**
 * How far before a pending intent's time Okta may have made an object and it still be the one the intent's create
 * made: Okta's clock and this machine's may differ. Okta's docs say nothing about clock skew; five minutes is our
 * choice (an object of the same key made by someone else within those minutes could be mistaken for ours; one
 * made earlier never is).
 */
export const INTENT_SKEW_MS = 5 * 60 * 1000;

/**
 * True when Okta says it made `obj` well before `intentAt` (ISO time of a pending intent): then it existed before
 * the intent's request, and is not what that create made. Okta's objects carry `created` (ISO time); a client
 * registered by DCR `client_id_issued_at` (seconds): https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/
 */
export function madeBefore(obj: Obj, intentAt: string): boolean {
  const at = Date.parse(intentAt);
  const made = typeof obj.created === 'string' ? Date.parse(obj.created) : typeof obj.client_id_issued_at === 'number' ? obj.client_id_issued_at * 1000 : NaN;
  return !Number.isNaN(at) && !Number.isNaN(made) && made < at - INTENT_SKEW_MS;
}
