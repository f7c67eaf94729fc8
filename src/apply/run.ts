/**
 * runBootstrap: input → values → Okta objects.
 *
 * Order: load the input (InputError before any network) → load data sources → credential check → read the
 * previous output (journal, TAG and generated values) → planning pass (renders every value with the defaults,
 * finds existing objects with batched lookups, decides create / unchanged / update / conflict) → either print
 * the plan (--dry-run) or the apply pass: every value reviewed in order (interactive) or accepted (--yes / "a"),
 * objects created as soon as their dependencies are done, up to --concurrency at once, each create written
 * ahead to the output file as "pending" and marked "done" once Okta answered.
 */
import { basename, isAbsolute, join, resolve as resolvePath } from 'node:path';
import type { OktaCredentials } from '../core/config.js';
import { BootstrapError, InputError, OktaApiError, QuitError, type ErrorDetails, type InputProblem } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { isSecretName, maskDeep } from '../core/mask.js';
import { isRecord, latestOutputName, readOutputFile, type RecordedObject } from '../core/output-format.js';
import type { InputEntry } from '../input/schema.js';
import { formatProblem, loadInput } from '../input/load.js';
import { dataSourceNames, loadDataSources } from '../resolve/data.js';
import { buildGraph } from '../resolve/graph.js';
import { KNOWN_AFTER_APPLY, render } from '../resolve/template.js';
import { createGenerators } from '../resolve/generate.js';
import { externalValue, loadValueSources, type ValueSources } from '../resolve/sources.js';
import { createPrompter, type Prompter } from '../resolve/prompt.js';
import { checkCredentials, createOktaClient, isAmbiguousWriteFailure, type OktaApi } from '../okta/client.js';
import { createGovernor, type WaitEvent } from '../okta/governor.js';
import { handlerFor, PartialCreateError } from '../okta/handlers/index.js';
import { createRequestOf, findByKeys, type HandlerCtx, type HandlerLike } from './handlers.js';
import { newMeta, OutputJournal, type EngineMeta, type GeneratedValue } from './journal.js';
import { ExistingLoader } from './lookup.js';
import { adoptedAction, planObject, type FieldDiff, type PlanAction } from './plan.js';
import { formatDiff, Progress, type Counts } from './progress.js';
import { ReplayGenerators } from './replay.js';
import { runDag } from './scheduler.js';

type Obj = Record<string, unknown>;

export interface RunOptions {
  input: string;
  outputDir: string;
  envFile?: string;
  set: string[];
  yes: boolean;
  adopt: boolean;
  dryRun: boolean;
  json: boolean;
  tag?: string;
  newTag: boolean;
  concurrency: number;
  maxWaitMs: number;
  showSecrets: boolean;
  interactive: boolean;
  credentials: OktaCredentials;
  logger: Logger;
  debug: boolean;
}

export interface PlannedObject {
  key: string;
  objectClass: string;
  action: PlanAction;
  method?: string;
  path?: string;
  /** The request body, secrets masked unless --show-secrets. */
  body?: unknown;
  diffs: FieldDiff[];
  id?: string;
  reason: string;
}

export interface RunSummary {
  input: string;
  orgUrl: string;
  dryRun: boolean;
  complete: boolean;
  counts: Counts;
  /** Output files written (latest first); none in a dry run. */
  outputFiles: string[];
  plan?: PlannedObject[];
  /** Requests sent to Okta by this run. */
  requests: number;
}

/** The run did not finish (a failed object, a conflict): exit 1, after the summary was printed. */
export class RunFailedError extends BootstrapError {
  constructor(message: string, details: ErrorDetails, readonly summary: RunSummary) {
    super(message, details, 1);
  }
}

/** An object exists that this output did not create; reported once as "! conflict", adopted only on request. */
export class ConflictError extends OktaApiError {}

/** A value that is not known yet: in the planning pass, values that exist only after a create. */
const KNOWN = KNOWN_AFTER_APPLY;

/** The body as the handler normalises it (see Handler.prepare). */
function prepared(handler: HandlerLike, body: Obj): Obj {
  return handler.prepare ? handler.prepare(body) : body;
}

function hasUnknown(v: unknown): boolean {
  if (typeof v === 'string') return v.includes(KNOWN);
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (isRecord(v)) return Object.values(v).some(hasUnknown);
  return false;
}

interface NodeInfo {
  key: string;
  entry: InputEntry;
  deps: string[];
  external: string[];
}

type Mode = 'plan' | 'apply';

class Run {
  readonly log: Logger;
  readonly api: OktaApi;
  readonly loader: ExistingLoader;
  readonly prompter: Prompter;
  readonly progress: Progress;
  readonly gens: ReplayGenerators;
  readonly journal: OutputJournal;
  /** The previous run's records (what "recorded" means for planning). */
  readonly recorded: Record<string, RecordedObject>;
  readonly prevValues: Record<string, unknown>;
  /** Values from outside the input: OKTA_TENANT, --set/env/.env, data sources, answers to prompts. */
  readonly externals = new Map<string, unknown>();
  readonly dataValues: Record<string, unknown> = {};
  /** Ids created by this run: their children cannot exist yet, so no lookup is needed. */
  readonly createdIds = new Set<string>();
  readonly plan = new Map<string, PlannedObject>();
  /** Bodies Okta would refuse, found by the planning pass (reported together, before any write). */
  readonly bodyProblems: InputProblem[] = [];
  /** The input file, to name in those reports. */
  inputFile = '';
  private promptChain: Promise<unknown> = Promise.resolve();
  stopRequested: QuitError | undefined;

  constructor(
    readonly opts: RunOptions,
    readonly nodes: Map<string, NodeInfo>,
    readonly order: string[],
    readonly sources: ValueSources,
    deps: { api: OktaApi; prompter: Prompter; journal: OutputJournal; recorded: Record<string, RecordedObject>; prevValues: Record<string, unknown>; gens: ReplayGenerators },
  ) {
    this.log = opts.logger;
    this.api = deps.api;
    this.prompter = deps.prompter;
    this.journal = deps.journal;
    this.recorded = deps.recorded;
    this.prevValues = deps.prevValues;
    this.gens = deps.gens;
    this.loader = new ExistingLoader(handlerFor as (c: string) => HandlerLike, (h, parent, keys) => findByKeys(h, this.ctx(parent), keys), opts.concurrency);
    this.progress = new Progress(this.log, { tty: Boolean(process.stderr.isTTY), showSecrets: opts.showSecrets });
  }

  ctx(parent: Record<string, string>): HandlerCtx {
    return { api: this.api, parent };
  }

  /** Prompts one at a time, whatever runs concurrently. */
  prompt<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.promptChain.then(fn);
    this.promptChain = p.catch(() => undefined);
    return p;
  }

  /** A value from outside this input, asking for it when nobody gave one (never in the planning pass). */
  async external(key: string, mode: Mode, askable: boolean): Promise<unknown> {
    if (this.externals.has(key)) return this.externals.get(key);
    const ext = externalValue(this.sources, key);
    if (ext !== undefined) return ext.value;
    if (key in this.dataValues) return this.dataValues[key];
    if (!askable) return KNOWN;
    return this.prompt(async () => {
      if (this.externals.has(key)) return this.externals.get(key);
      const v = await this.prompter.askValue(key, { secret: isSecretName(key) });
      this.externals.set(key, v);
      return v;
    });
  }

  lookupIn(values: Map<string, unknown>) {
    return (key: string, path: string[]): unknown => {
      let v: unknown = values.has(key) ? values.get(key) : this.externals.get(key);
      for (const p of path) {
        if (v === KNOWN) return KNOWN;
        if (isRecord(v)) v = v[p];
        else if (Array.isArray(v) && /^\d+$/.test(p)) v = v[Number(p)];
        else return undefined;
      }
      return v;
    };
  }

  /** Puts the values this node needs from outside the input into this pass's values (KNOWN when not known yet). */
  async prepareExternals(node: NodeInfo, mode: Mode, values: Map<string, unknown>): Promise<void> {
    for (const k of node.external) {
      if (values.has(k)) continue;
      const askable = mode === 'apply' || this.opts.dryRun;
      values.set(k, await this.external(k, mode, askable));
    }
  }

  render(key: string, value: unknown, values: Map<string, unknown>): unknown {
    return render(value, this.lookupIn(values), this.gens.forKey(key) as Parameters<typeof render>[2]);
  }

  /**
   * Starts, in one batch, the lookups of every object whose natural key and parent are known without any other
   * object (a user's login does not need its groups' ids): top-level classes are found in one wave instead of one
   * wave per level of the graph. The planning pass then reads them from the loader's cache.
   */
  async prefetch(): Promise<void> {
    const values = new Map<string, unknown>();
    for (const key of this.order) {
      const node = this.nodes.get(key)!;
      try {
        for (const k of node.external) if (!values.has(k)) values.set(k, await this.external(k, 'plan', false));
        const { entry } = node;
        if (entry.objectClass) {
          values.set(key, KNOWN);
          const h = handlerFor(entry.objectClass) as unknown as HandlerLike;
          const body = prepared(h, this.render(key, entry.default ?? {}, values) as Obj);
          const endpoint = entry.oktaEndpoint ? String(this.render(key, entry.oktaEndpoint, values)) : undefined;
          const nk = h.naturalKey(body);
          const parent = h.parentOf(body, endpoint);
          if (!hasUnknown(nk) && !hasUnknown(parent)) void this.find(entry.objectClass, parent, nk, this.recorded[key]).catch(() => undefined);
        } else if (entry.objType === 'data') {
          values.set(key, this.dataSourceValues.get(key));
        } else {
          const ext = externalValue(this.sources, key);
          values.set(key, ext !== undefined ? ext.value : entry.default !== undefined ? this.render(key, entry.default, values) : KNOWN);
        }
      } catch {
        values.set(key, KNOWN); // the planning pass reports it
      }
    }
  }

  /** Walks the graph once. `plan`: no prompt, no write; `apply`: review, then act. */
  async walk(mode: Mode): Promise<{ failed: Map<string, unknown>; skipped: Map<string, string> }> {
    const values = new Map<string, unknown>();
    const limit = () => (mode === 'plan' ? 64 : this.prompter.auto ? this.opts.concurrency : 1);
    const res = await runDag(
      this.order,
      (k) => this.nodes.get(k)!.deps,
      async (key) => {
        const node = this.nodes.get(key)!;
        await this.prepareExternals(node, mode, values);
        if (node.entry.objectClass) await this.object(node, values, mode);
        else await this.value(node, values, mode);
      },
      {
        limit,
        fatal: (e) => e instanceof QuitError || (e instanceof BootstrapError && e.exitCode === 2),
        stop: () => this.stopRequested,
      },
    );
    return res;
  }

  async review(key: string, entry: InputEntry, candidate: unknown, display?: unknown): Promise<unknown> {
    if (this.prompter.auto) return candidate;
    const index = this.order.indexOf(key) + 1;
    const answer = await this.prompt(() =>
      this.prompter.review({ key, entry, candidate, display, index, total: this.order.length }),
    );
    if (answer.action === 'quit') throw new QuitError();
    if (answer.action === 'continue') return answer.value;
    return candidate;
  }

  async value(node: NodeInfo, values: Map<string, unknown>, mode: Mode): Promise<void> {
    const { key, entry } = node;
    let v: unknown;
    if (entry.objType === 'data') {
      v = this.dataSourceValues.get(key);
    } else {
      const ext = externalValue(this.sources, key);
      if (ext !== undefined) {
        v = ext.value;
        if (entry.objType === 'json') {
          try {
            v = JSON.parse(ext.value);
          } catch {
            // a plain string given for a json value: keep it as given
          }
        }
      } else if (entry.default !== undefined) {
        v = this.render(key, entry.default, values);
      } else if (mode === 'plan' && !this.opts.dryRun) {
        v = KNOWN;
      } else {
        v = await this.prompt(() => this.prompter.askValue(key, { hint: entry.hint, secret: isSecretName(key) }));
      }
      if (mode === 'apply') v = await this.review(key, entry, v);
    }
    values.set(key, v);
    if (mode === 'apply') {
      this.log.verbose(`${key} = ${JSON.stringify(maskDeep(v, this.opts.showSecrets, key))}`);
      // A data entry's value is a whole earlier output, secrets included: the output records only its name.
      if (entry.saveToOutput) this.journal.setValue(key, entry.objType === 'data' ? entry.default : v);
      const g = this.gens.generatedFor(key);
      if (g) this.journal.replayOf(key).generated = g;
    }
  }

  readonly dataSourceValues = new Map<string, unknown>();

  /**
   * Problems Okta would refuse in a fully known body: collected in the planning pass (reported together before
   * any write, exit 2); in the apply pass (a value changed at a prompt) the object fails before its request is
   * sent, like an object Okta refused (exit 1, the rest of the run goes on).
   */
  checkBody(key: string, handler: HandlerLike, body: Obj, mode: Mode): void {
    if (!handler.check || hasUnknown(body)) return;
    const found = handler.check(body);
    const problems: InputProblem[] = found.map((p) => ({
      severity: 'error',
      path: [key, 'default', ...p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))],
      message: p.message,
      suggestion: p.suggestion,
    }));
    if (problems.length === 0) return;
    if (mode === 'plan') {
      this.bodyProblems.push(...problems);
      return;
    }
    // a value changed at a prompt: this object fails without a request; the others go on, a re-run resumes
    const first = found[0]!;
    throw new BootstrapError(`${key}.${first.path}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, {
      key,
      object: handler.objectClass,
      suggestion: `${first.suggestion} Nothing was sent for ${key}; run again to finish.`,
    }, 1);
  }

  /** A client's secret: Okta returns it only on create; on re-runs it comes from the recorded output. */
  withSecret(key: string, obj: Obj): Obj {
    if (obj.client_secret !== undefined || !('client_id' in obj || this.nodes.get(key)?.entry.objectClass === 'okta:client')) return obj;
    const prev = this.prevValues[key];
    const secret = (isRecord(prev) ? prev.client_secret : undefined) ?? this.journal.meta.replay?.[key]?.secret;
    return typeof secret === 'string' ? { ...obj, client_secret: secret } : obj;
  }

  async object(node: NodeInfo, values: Map<string, unknown>, mode: Mode): Promise<void> {
    const { key, entry } = node;
    const objectClass = entry.objectClass!;
    const handler = handlerFor(objectClass) as unknown as HandlerLike;
    let body = prepared(handler, this.render(key, entry.default ?? {}, values) as Obj);
    const endpoint = entry.oktaEndpoint ? String(this.render(key, entry.oktaEndpoint, values)) : undefined;
    this.checkBody(key, handler, body, mode);
    let nk = handler.naturalKey(body);
    let parent = handler.parentOf(body, endpoint);
    const groups = entry.groups?.map((g) => String(this.render(key, g, values)));
    const octx = (): HandlerCtx => ({ api: this.api, parent, ...(groups ? { groups } : {}) });
    const recorded = this.recorded[key];
    const canLook = () => !hasUnknown(nk) && !hasUnknown(parent) && !Object.values(parent).some((id) => this.createdIds.has(id));
    let existing = canLook() ? await this.find(objectClass, parent, nk, recorded) : undefined;
    let plan = planObject(body, existing, recorded, handler);
    const req = createRequestOf(objectClass, parent, endpoint);
    const planned: PlannedObject = {
      key,
      objectClass,
      action: plan.action,
      ...(plan.action === 'create' ? req : plan.action === 'update' ? { method: 'PUT', path: `${req.path.split('?')[0]}/${plan.existingId}` } : {}),
      body: maskDeep(body, this.opts.showSecrets),
      diffs: plan.diffs,
      id: plan.existingId,
      reason: plan.reason,
    };

    if (mode === 'plan') {
      this.plan.set(key, planned);
      // children of an object to be created see "(known after apply)"; of an existing one, the org's object
      values.set(key, existing === undefined ? KNOWN : this.withSecret(key, existing));
      return;
    }

    // apply: the person reviews the request (or the difference), then we act
    // creates show the request (method, path, body); the others what was found and how it differs
    const display =
      plan.action === 'create'
        ? { method: planned.method, path: planned.path, body }
        : {
            [plan.action]: `${objectClass} ${plan.existingId}`,
            ...(plan.action === 'update' ? { request: `${planned.method} ${planned.path}` } : {}),
            ...(plan.diffs.length > 0 ? { differences: plan.diffs.map((d) => formatDiff(d, this.opts.showSecrets)) } : {}),
            ...(plan.action === 'conflict' ? { note: plan.reason } : {}),
          };
    const reviewed = await this.review(key, entry, body, display);
    if (isRecord(reviewed) && reviewed !== body) {
      body = prepared(handler, reviewed);
      this.checkBody(key, handler, body, mode);
      nk = handler.naturalKey(body);
      parent = handler.parentOf(body, endpoint);
      existing = canLook() ? await this.find(objectClass, parent, nk, recorded) : undefined;
      plan = planObject(body, existing, recorded, handler);
    }

    this.progress.started();
    try {
      let obj: Obj;
      let adopted = false;
      let action = plan.action;
      if (action === 'conflict') {
        const why = `${plan.reason}${plan.diffs.length ? `; ${plan.diffs.length} field(s) differ` : ''}`;
        let adopt = this.opts.adopt;
        // never adopted silently: after "a" (auto) the prompter would answer yes by itself, so only a person
        // reviewing one by one is asked; otherwise --adopt is needed
        if (!adopt && this.opts.interactive && !this.opts.yes && !this.prompter.auto) {
          this.progress.object('conflict', key, objectClass, `${plan.existingId}: ${why}`, plan.diffs);
          adopt = await this.prompt(() => this.prompter.confirm(`Adopt the existing ${objectClass} ${plan.existingId} as ${key}?`, { default: false }));
        }
        if (!adopt) {
          if (!this.opts.interactive || this.opts.yes || this.prompter.auto) this.progress.object('conflict', key, objectClass, `${plan.existingId}: ${why}`, plan.diffs);
          throw new ConflictError(`${key}: an ${objectClass} with the same natural key (${Object.values(nk).join(', ')}) already exists (${plan.existingId}) and this output did not create it`, {
            key,
            object: objectClass,
            suggestion: 'Adopt it with --adopt (or answer yes when asked), choose another TAG (--new-tag), or remove it from the org.',
          });
        }
        adopted = true;
        action = adoptedAction(plan);
      }
      if (action === 'create') {
        obj = await this.create(key, node, handler, body, nk, octx());
        this.createdIds.add(handler.idOf(obj));
        this.progress.object('created', key, objectClass, handler.idOf(obj));
      } else {
        obj = existing!;
        const id = handler.idOf(obj);
        if (action === 'update') {
          if (!handler.update) {
            this.log.warn(`${key}: Okta does not allow updating ${objectClass} in place; left as it is (${plan.diffs.map((d) => d.path).join(', ')} differ).`);
          } else {
            let ok = this.opts.yes || this.prompter.auto;
            if (!ok && this.opts.interactive) {
              this.progress.line(`~ ${key} (${objectClass}) ${id} differs:\n${plan.diffs.map((d) => `    ${formatDiff(d, this.opts.showSecrets)}`).join('\n')}`);
              ok = await this.prompt(() => this.prompter.confirm(`Update ${key} (${id}) in place?`, { default: true }));
            }
            if (ok) obj = await handler.update(octx(), obj, body);
            else action = 'unchanged';
          }
        }
        // what diff cannot see: memberships, app assignments
        const ensured = handler.ensure ? await handler.ensure(octx(), obj, body) : [];
        if (ensured.length > 0 && action === 'unchanged') {
          action = 'update';
          plan = { ...plan, diffs: [] };
        }
        plan = { ...plan, diffs: [...plan.diffs, ...ensured] };
        this.journal.record(key, {
          objectClass,
          state: 'done',
          id,
          naturalKey: nk,
          parent: Object.keys(parent).length ? parent : undefined,
          dependsOn: node.deps.length ? node.deps : undefined,
          adopted: adopted || recorded?.adopted || undefined,
        });
        if (action === 'update' && (handler.update || ensured.length > 0)) this.progress.object('updated', key, objectClass, id, plan.diffs);
        else if (adopted) this.progress.object('adopted', key, objectClass, id);
        else this.progress.object('unchanged', key, objectClass, `${id}${plan.resumed ? ' (created by the interrupted run)' : ''}`);
      }
      obj = await this.ensureSecret(key, objectClass, this.withSecret(key, obj), adopted || Boolean(recorded?.adopted));
      values.set(key, obj);
      this.saveObjectValue(key, entry, obj);
      await this.journal.flush();
    } catch (e) {
      if (!(e instanceof QuitError) && !(e instanceof ConflictError)) this.progress.object('failed', key, objectClass, errorLine(e));
      throw e;
    } finally {
      this.progress.finished();
    }
  }

  /**
   * A client of ours whose secret nobody holds (its create committed but the answer, the only copy of the secret,
   * was lost to a kill or a network failure) gets a new secret: nothing else can have used the old one. Adopted
   * clients are left alone (their secret belongs to whoever made them).
   */
  async ensureSecret(key: string, objectClass: string, obj: Obj, adopted: boolean): Promise<Obj> {
    if (objectClass !== 'okta:client' || adopted || typeof obj.client_secret === 'string') return obj;
    if (obj.token_endpoint_auth_method === 'none' || obj.token_endpoint_auth_method === 'private_key_jwt') return obj;
    const id = String(obj.client_id);
    this.log.warn(`${key}: the secret of client ${id} was never received (an interrupted create): asking Okta for a new one.`);
    const res = await this.api.request<Obj>('POST', `/oauth2/v1/clients/${encodeURIComponent(id)}/lifecycle/newSecret`, { idempotent: true });
    return res.body;
  }

  /** A client is found by the client_id the output recorded, else (and any other class) by natural key. */
  async find(objectClass: string, parent: Record<string, string>, nk: Record<string, string>, recorded: RecordedObject | undefined): Promise<Obj | undefined> {
    if (objectClass === 'okta:client' && recorded?.id && recorded.state !== 'deleted') {
      const byId = await this.loader.get(objectClass, parent, { client_id: recorded.id });
      if (byId) return byId;
    }
    return this.loader.get(objectClass, parent, nk);
  }

  saveObjectValue(key: string, entry: InputEntry, obj: Obj): void {
    if (entry.saveToOutput) this.journal.setValue(key, obj);
    else if (typeof obj.client_secret === 'string') this.journal.replayOf(key).secret = obj.client_secret;
    const g = this.gens.generatedFor(key);
    if (g) this.journal.replayOf(key).generated = g;
  }

  /**
   * Write-ahead create: the intent is on disk before the POST. A create that fails in a way that may have
   * committed (5xx, connection lost) is looked up by natural key before it is tried again, so it never doubles.
   */
  async create(key: string, node: NodeInfo, handler: HandlerLike, body: Obj, nk: Record<string, string>, ctx: HandlerCtx): Promise<Obj> {
    const objectClass = node.entry.objectClass!;
    const parent = ctx.parent;
    this.journal.record(key, {
      objectClass,
      state: 'pending',
      id: undefined,
      naturalKey: nk,
      parent: Object.keys(parent).length ? parent : undefined,
      dependsOn: node.deps.length ? node.deps : undefined,
      adopted: undefined,
    });
    const g = this.gens.generatedFor(key);
    if (g) this.journal.replayOf(key).generated = g;
    await this.journal.flush();
    const attempts = 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const obj = await handler.create(ctx, body);
        this.recordDone(key, handler, obj, nk, parent, node);
        return obj;
      } catch (e) {
        if (e instanceof PartialCreateError) {
          // registered, but a follow-up (group assignment) failed: record it with its secret; a re-run finishes it
          this.recordDone(key, handler, e.created, nk, parent, node);
          this.saveObjectValue(key, node.entry, e.created);
          await this.journal.flush();
          throw e;
        }
        if (!isAmbiguousWriteFailure(e) && !alreadyExists(e)) throw e;
        const found = await this.loader.fresh(objectClass, parent, nk);
        if (found) {
          this.log.verbose(`${key}: the create failed (${errorLine(e)}) but Okta had made the object; taking it over`);
          const obj = await this.ensureSecret(key, objectClass, found, false);
          this.recordDone(key, handler, obj, nk, parent, node);
          this.saveObjectValue(key, node.entry, obj);
          return obj;
        }
        if (attempt >= attempts || alreadyExists(e)) throw e;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  recordDone(key: string, handler: HandlerLike, obj: Obj, nk: Record<string, string>, parent: Record<string, string>, node: NodeInfo): void {
    this.journal.record(key, {
      objectClass: node.entry.objectClass!,
      state: 'done',
      id: handler.idOf(obj),
      naturalKey: nk,
      parent: Object.keys(parent).length ? parent : undefined,
      dependsOn: node.deps.length ? node.deps : undefined,
    });
    this.loader.remember(node.entry.objectClass!, parent, nk, obj);
  }
}

function alreadyExists(e: unknown): boolean {
  if (!(e instanceof OktaApiError) || e.details.status !== 400) return false;
  return [e.details.errorSummary ?? '', ...(e.details.errorCauses ?? [])].some((s) => /already exists/i.test(s));
}

export function errorLine(e: unknown): string {
  if (e instanceof BootstrapError) {
    const d = e.details;
    const causes = d.errorCauses?.length ? ` (${d.errorCauses.join('; ')})` : '';
    return `${e.message}${causes}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The name of an input: built-in name, or a file's base name without .json. */
export function inputName(input: string): string {
  return basename(input).replace(/\.json$/i, '');
}

export async function runBootstrap(opts: RunOptions): Promise<RunSummary> {
  const log = opts.logger;
  const orgUrl = opts.credentials.orgUrl;
  // 1. input and values (no network): InputError → exit 2 before anything is sent
  const sources = loadValueSources({ set: [...opts.set, ...(opts.tag ? [`TAG=${opts.tag}`] : [])], envFile: opts.envFile, env: process.env });
  const loaded = await loadInput(opts.input, {
    knownExternal: (k) => k === 'OKTA_TENANT' || externalValue(sources, k) !== undefined,
    outputDir: opts.outputDir,
  });
  for (const w of loaded.warnings) log.warn(`${loaded.file}: ${formatProblem(w)}`);
  const graph = buildGraph(loaded.entries, loaded.file);
  const name = loaded.name || inputName(opts.input);

  // 2. data sources: earlier outputs this input builds on (mulesoft_policy loads mulesoft)
  const dataValues = await loadDataSources(loaded, opts.outputDir);
  const dataSources = dataSourceNames(loaded.entries).map(inputName);
  const dataByKey = new Map<string, unknown>();
  for (const [key, entry] of Object.entries(loaded.entries)) if (entry.objType === 'data') dataByKey.set(key, dataValues);

  // 3. credentials, before any prompt
  const governor = createGovernor({ maxWaitMs: opts.maxWaitMs, logger: opts.debug ? log : undefined });
  const api = createOktaClient({ orgUrl, token: opts.credentials.token, governor, logger: log, debug: opts.debug });
  await checkCredentials(api);

  // 4. the previous output: journal, TAG, generated values (not with --new-tag: a new, separate set)
  const latest = join(opts.outputDir, latestOutputName(name));
  let prev = await readOutputFile(latest);
  if (prev?.meta && prev.meta.orgUrl !== orgUrl) {
    log.warn(`${latest} records objects of ${prev.meta.orgUrl}, not ${orgUrl}: starting a new record for this org (the file is rewritten).`);
    prev = undefined;
  }
  const fresh = opts.newTag || !prev;
  const prevMeta = (fresh ? undefined : prev!.meta) as EngineMeta | undefined;
  const prevValues = fresh ? {} : prev!.values;
  const recorded: Record<string, RecordedObject> = structuredClone(prevMeta?.objects ?? {});
  const meta: EngineMeta = {
    ...newMeta(name, orgUrl, isAbsolute(loaded.file) ? loaded.file : resolvePath(loaded.file)),
    ...(prevMeta ? { objects: structuredClone(prevMeta.objects), replay: structuredClone(prevMeta.replay ?? {}) } : {}),
    dataSources,
  };
  const replay: Record<string, GeneratedValue[] | undefined> = {};
  for (const [k, r] of Object.entries(prevMeta?.replay ?? {})) replay[k] = r.generated;
  if (!fresh && !replay.TAG && typeof prevValues.TAG === 'string') replay.TAG = [{ kind: 'tag', value: prevValues.TAG }];
  const journal = new OutputJournal(
    { dir: opts.outputDir, input: name, runAt: new Date(), write: !opts.dryRun },
    { ...prevValues, OKTA_TENANT: orgUrl },
    meta,
  );

  const nodes = new Map<string, NodeInfo>();
  for (const k of graph.order) {
    const n = graph.nodes.get(k)!;
    nodes.set(k, { key: k, entry: n.entry as InputEntry, deps: n.deps, external: n.external });
  }
  const prompter = createPrompter({ yes: opts.yes, interactive: opts.interactive, showSecrets: opts.showSecrets });
  const run = new Run(opts, nodes, graph.order, sources, {
    api,
    prompter,
    journal,
    recorded,
    prevValues,
    gens: new ReplayGenerators(createGenerators(), fresh ? {} : replay),
  });
  run.externals.set('OKTA_TENANT', orgUrl);
  run.inputFile = loaded.file;
  Object.assign(run.dataValues, dataValues);
  for (const [k, v] of dataByKey) run.dataSourceValues.set(k, v);
  const onWait = (w: WaitEvent) => run.progress.onWait(w);
  api.governor.on('wait', onWait);
  const requestsBefore = api.governor.stats().requests;

  try {
    // 5. planning pass: batched lookups, no prompt, no write
    await run.prefetch();
    const planRes = await run.walk('plan');
    // a value Okta would refuse fails the run here, with every such problem, before any write
    if (run.bodyProblems.length > 0) throw new InputError(loaded.file, run.bodyProblems);
    const plan = graph.order.map((k) => run.plan.get(k)).filter((p): p is PlannedObject => p !== undefined);
    if (opts.dryRun) {
      const summary: RunSummary = {
        input: name,
        orgUrl,
        dryRun: true,
        complete: planRes.failed.size === 0,
        counts: run.progress.counts,
        outputFiles: [],
        plan,
        requests: api.governor.stats().requests - requestsBefore,
      };
      printPlan(run, plan, summary);
      if (planRes.failed.size > 0) throw firstFailure(planRes.failed, summary);
      return summary;
    }
    for (const [k, e] of planRes.failed) log.verbose(`planning ${k}: ${errorLine(e)}`);

    // 6. apply pass
    const onSigint = () => {
      if (run.stopRequested) process.exit(130);
      run.stopRequested = new QuitError('Interrupted (Ctrl-C).');
      log.warn('\nStopping after the requests in flight (Ctrl-C again to stop at once; the next run takes over what was started).');
    };
    process.on('SIGINT', onSigint);
    let res: { failed: Map<string, unknown>; skipped: Map<string, string> };
    try {
      res = await run.walk('apply');
    } catch (e) {
      if (e instanceof QuitError) {
        journal.meta.status = 'incomplete';
        await journal.flush().catch(() => undefined);
        const made = Object.values(journal.objects).filter((o) => o.state === 'done').length;
        throw new QuitError(`${e.message} ${made} object${made === 1 ? '' : 's'} recorded in ${journal.latestPath}; run the same command again to finish.`, {
          suggestion: `okta-bootstrap ${process.argv.slice(2).join(' ')}`,
        });
      }
      throw e;
    } finally {
      process.off('SIGINT', onSigint);
    }
    const complete = res.failed.size === 0 && res.skipped.size === 0;
    journal.meta.status = complete ? 'complete' : 'incomplete';
    journal.meta.finishedAt = new Date().toISOString();
    journal.setValue('OKTA_TENANT', orgUrl);
    await journal.flush();
    const summary: RunSummary = {
      input: name,
      orgUrl,
      dryRun: false,
      complete,
      counts: run.progress.counts,
      outputFiles: [journal.latestPath, journal.runPath],
      requests: api.governor.stats().requests - requestsBefore,
    };
    run.progress.stop();
    for (const [k, by] of res.skipped) log.info(`- skipped ${k}: it needs ${by}, which did not finish`);
    const c = summary.counts;
    log.info(
      `${complete ? 'Done' : 'Not finished'}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.adopted} adopted, ${c.failed + c.conflict} failed${res.skipped.size ? `, ${res.skipped.size} skipped` : ''}. Output: ${journal.latestPath} (this run: ${journal.runPath}).`,
    );
    if (!complete) throw firstFailure(res.failed, summary, res.skipped.size);
    return summary;
  } finally {
    run.progress.stop();
    api.governor.off('wait', onWait);
  }
}

function firstFailure(failed: Map<string, unknown>, summary: RunSummary, skipped = 0): RunFailedError {
  const [key, e] = [...failed.entries()][0] ?? ['', undefined];
  const details: ErrorDetails = e instanceof BootstrapError ? { ...e.details, key: e.details.key ?? key } : { key };
  const n = failed.size;
  return new RunFailedError(
    n > 0
      ? `${n} object${n === 1 ? '' : 's'} failed${skipped ? ` and ${skipped} could not start` : ''}; first: ${errorLine(e).startsWith(`${key}:`) ? '' : `${key}: `}${errorLine(e)}`
      : 'The run did not finish.',
    {
      ...details,
      suggestion: details.suggestion ?? 'Fix the cause and run the same command again: what was created is recorded and is not created twice.',
    },
    summary,
  );
}

function printPlan(run: Run, plan: PlannedObject[], summary: RunSummary): void {
  const { opts, log } = run;
  const counts = { create: 0, update: 0, unchanged: 0, conflict: 0 };
  for (const p of plan) counts[p.action]++;
  if (opts.json) {
    log.result(JSON.stringify({ input: summary.input, orgUrl: summary.orgUrl, counts, objects: plan }, null, 2));
    return;
  }
  const s = log.style;
  const lines: string[] = [`Plan for ${summary.input} on ${summary.orgUrl} (dry run: nothing is sent but reads):`, ''];
  for (const p of plan) {
    const mark = { create: s.green('+ create   '), update: s.cyan('~ update   '), unchanged: s.dim('= unchanged'), conflict: s.red('! conflict ') }[p.action];
    lines.push(`${mark} ${p.key} (${p.objectClass})${p.id ? ` ${p.id}` : ''}`);
    if (p.action === 'create') {
      lines.push(`    ${p.method} ${p.path}`);
      for (const l of JSON.stringify(p.body, null, 2).split('\n')) lines.push(`    ${l}`);
    } else if (p.action === 'update') {
      lines.push(`    ${p.method} ${p.path}`);
      for (const d of p.diffs) lines.push(`    ${formatDiff(d, opts.showSecrets)}`);
    } else if (p.action === 'conflict') {
      lines.push(`    ${p.reason}; adopt it with --adopt`);
      for (const d of p.diffs) lines.push(`    ${formatDiff(d, opts.showSecrets)}`);
    }
  }
  lines.push('', `${counts.create} to create, ${counts.update} to update, ${counts.unchanged} unchanged, ${counts.conflict} conflict${counts.conflict === 1 ? '' : 's'}. Values shown as ${KNOWN} exist only after a create.`);
  log.result(lines.join('\n'));
}
