/**
 * One object's step, in both passes: render its body, find it in the org (batched), plan it (create / replace /
 * unchanged / update / shared / conflict), and in the apply pass do what the plan said and the person confirmed
 * once (or --yes): create, update, adopt, use as shared or leave it. Nothing is asked here.
 *
 * Replace: when the entry's natural key (or parent) differs from the one recorded for an object this record owns,
 * and that object is still in the org, the new object is created under the entry's key and the old one stays
 * recorded as `KEY~<oldId>` with `replacedBy: KEY`; src/apply/replace.ts deletes it once the whole run succeeded
 * (its dependants, rendered with the new ids, have moved). An adopted old object is never deleted: it only leaves
 * the record. Found again under the new key after a run that failed, a replaced object becomes the entry's again.
 * Everything specific to a class comes from its handler; the create itself goes through the create-once owner.
 */
import { BootstrapError, OktaApiError, QuitError, type InputProblem } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { maskDeep } from '../core/mask.js';
import { type RecordedObject } from '../core/output-format.js';
import { isRecord } from '../core/json.js';
import type { OktaApi } from '../okta/client.js';
import { isNotFound, keyOf } from '../okta/handlers/common.js';
import { handlerFor } from '../okta/handlers/index.js';
import type { CreateRequest, Handler, HandlerContext, Obj } from '../okta/handlers/types.js';
import type { CreateOwner } from './create.js';
import type { OutputJournal } from './journal.js';
import type { ExistingLoader } from './lookup.js';
import { adoptedAction, planObject, type ObjectPlan } from './plan.js';
import type { Progress } from './progress.js';
import { orderDiff, type Sibling } from './priority.js';
import { errorLine, type PlannedObject } from './report.js';
import { hasUnknown, KNOWN, type Mode, type NodeInfo, type PassValues, type ValueResolver } from './values.js';
import { objectClassOf } from '../input/schema.js';
import { shapeProblems } from './preflight.js';

/** An object exists that this output did not create; reported once as "! conflict", adopted only on request. */
export class ConflictError extends OktaApiError {}

/** The object this record owns under the entry's previous natural key or parent, still in the org. */
interface Superseded {
  rec: RecordedObject;
  id: string;
}

/** The record key of an object a replace superseded. */
export function replacedKey(key: string, id: string): string {
  return `${key}~${id}`;
}

/** A natural key in words, as the plan and progress lines show it. */
function words(nk: Record<string, string>): string {
  return Object.values(nk).join(', ');
}

export interface StepOptions {
  adopt: boolean;
  yes: boolean;
  interactive: boolean;
  showSecrets: boolean;
}

export interface StepDeps {
  opts: StepOptions;
  log: Logger;
  api: OktaApi;
  loader: ExistingLoader;
  progress: Progress;
  journal: OutputJournal;
  creator: CreateOwner;
  values: ValueResolver;
  /** The previous run's records and saved values. */
  recorded: Record<string, RecordedObject>;
  prevValues: Record<string, unknown>;
  /** Entries of one priority-ordered class and parent, in the input's priority order (priority.ts). */
  siblings?: Map<string, Sibling[]>;
}

/** The body as the handler normalises it (see Handler.prepare). */
function prepared(handler: Handler, body: unknown): Obj {
  const b = isRecord(body) ? body : {};
  return handler.prepare ? handler.prepare(b) : b;
}

/** A create request as one line: method, path and query; values not known yet are shown as such. */
function requestPath(req: CreateRequest): string {
  const path = req.path.split(encodeURIComponent(KNOWN)).join(KNOWN);
  const query = req.query ? `?${Object.entries(req.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}` : '';
  return `${path}${query}`;
}

export class ObjectSteps {
  /** Ids created by this run: their children cannot exist yet, so no lookup is needed. */
  readonly createdIds = new Set<string>();
  readonly plan = new Map<string, PlannedObject>();
  /** Bodies Okta would refuse, found by the planning pass (reported together, before any write). */
  readonly bodyProblems: InputProblem[] = [];
  /** Conflicts the person agreed to adopt by confirming the plan (with --adopt, every conflict is adopted). */
  readonly adoptApproved = new Set<string>();

  constructor(private readonly d: StepDeps) {}

  /** A recorded object is found by the key its handler names for its recorded id (a client's client_id), else by natural key. */
  async find(objectClass: string, parent: Record<string, string>, nk: Record<string, string>, recorded: RecordedObject | undefined): Promise<Obj | undefined> {
    const h = handlerFor(objectClass);
    if (h.recordedKey && recorded?.id && recorded.state !== 'deleted') {
      const byId = await this.d.loader.get(objectClass, parent, h.recordedKey(recorded.id));
      if (byId) return byId;
    }
    return this.d.loader.get(objectClass, parent, nk);
  }

  /**
   * Starts, in one batch, the lookups of every object whose natural key and parent are known without any other
   * object (a user's login does not need its groups' ids): top-level classes are found in one wave instead of one
   * wave per level of the graph. The planning pass then reads them from the loader's cache.
   */
  async prefetch(order: string[], nodes: Map<string, NodeInfo>): Promise<void> {
    const values: PassValues = new Map();
    for (const key of order) {
      const node = nodes.get(key);
      if (!node) continue;
      try {
        for (const k of node.external) if (!values.has(k)) values.set(k, await this.d.values.external(k, false));
        const objectClass = objectClassOf(node.entry);
        if (!objectClass) {
          values.set(key, this.d.values.knownValue(node, values));
          continue;
        }
        values.set(key, KNOWN);
        const h = handlerFor(objectClass);
        const { body: raw, endpoint } = this.d.values.renderObject(node, values);
        const body = prepared(h, raw);
        const nk = h.naturalKey(body);
        const parent = h.parentOf(body, endpoint);
        if (!hasUnknown(nk) && !hasUnknown(parent)) void this.find(objectClass, parent, nk, this.d.recorded[key]).catch(() => undefined);
      } catch {
        values.set(key, KNOWN); // the planning pass reports it
      }
    }
  }

  /**
   * Problems Okta would refuse in a fully known body: collected in the planning pass (reported together before
   * any write, exit 2); in the apply pass (a value changed at a prompt) the object fails before its request is
   * sent, like an object Okta refused (exit 1, the rest of the run goes on).
   */
  private checkBody(key: string, handler: Handler, body: Obj, mode: Mode): void {
    if (!handler.check || hasUnknown(body)) return;
    const found = handler.check(body);
    const problems: InputProblem[] = found.map((p) => ({
      severity: 'error',
      path: [key, 'default', ...p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))],
      message: p.message,
      suggestion: p.suggestion,
    }));
    const first = found[0];
    if (!first) return;
    if (mode === 'plan') {
      this.bodyProblems.push(...problems);
      return;
    }
    throw new BootstrapError(`${key}.${first.path}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, {
      key,
      object: handler.objectClass,
      suggestion: `${first.suggestion} Nothing was sent for ${key}; run again to finish.`,
    }, 1);
  }

  /** The first problem the handler's checks find in the object's body rendered with `values` (a typed value's check). */
  objectProblem(node: NodeInfo, values: PassValues): string | undefined {
    const objectClass = objectClassOf(node.entry);
    if (!objectClass) return undefined;
    const handler = handlerFor(objectClass);
    const body = prepared(handler, this.d.values.renderObject(node, values).body);
    if (!handler.check || hasUnknown(body)) return undefined;
    const first = handler.check(body)[0];
    return first ? `${node.key}.${first.path}: ${first.message}` : undefined;
  }

  /** Puts back what only the create response held (a client's secret), from the previous run's output. */
  private withCarried(key: string, handler: Handler, obj: Obj): Obj {
    const field = handler.carriedField;
    if (!field || obj[field] !== undefined) return obj;
    // what was kept belongs to the object recorded under the key: not to a replaced one taken back
    const rec = this.d.recorded[key];
    if (rec?.id !== undefined && rec.id !== handler.idOf(obj)) return obj;
    const prev = this.d.prevValues[key];
    const kept = (isRecord(prev) ? prev[field] : undefined) ?? this.d.journal.meta.replay?.[key]?.secret;
    return typeof kept === 'string' ? { ...obj, [field]: kept } : obj;
  }

  /** The object's value in the output: saved whole (saveToOutput), or only what the next run cannot read back. */
  private saveObjectValue(node: NodeInfo, handler: Handler, obj: Obj): void {
    const { key, entry } = node;
    const field = handler.carriedField;
    if (entry.saveToOutput) this.d.journal.setValue(key, obj);
    else if (field && typeof obj[field] === 'string') this.d.journal.replayOf(key).secret = obj[field];
    this.d.values.keepGenerated(key);
  }

  /** Records the entry's object as done: owned (adopted or not), or `shared`: used, not owned (Handler.shareable). */
  private recordOurs(node: NodeInfo, handler: Handler, id: string, nk: Record<string, string>, parent: Record<string, string>, how: 'owned' | 'adopted' | 'shared'): void {
    this.d.journal.record(node.key, {
      objectClass: handler.objectClass,
      state: 'done',
      id,
      naturalKey: nk,
      parent: Object.keys(parent).length ? parent : undefined,
      adopted: how === 'adopted' || undefined,
      shared: how === 'shared' || undefined,
      replacedBy: undefined,
    });
  }

  /** Does the natural key carry the set's TAG (then each set has its own object and nothing is shared)? */
  private carriesTag(nk: Record<string, string>, values: PassValues): boolean {
    const v = values.get('TAG');
    const prev = this.d.prevValues.TAG;
    const tag = typeof v === 'string' && v !== KNOWN ? v : (this.d.journal.meta.tag ?? (typeof prev === 'string' ? prev : undefined));
    return tag !== undefined && tag !== '' && Object.values(nk).some((x) => x.includes(tag));
  }

  /**
   * The object this record owns for the entry under its recorded natural key and parent, when the rendered ones
   * differ and it is still in the org with its recorded id. A parent known only after apply is one this run
   * creates, so it differs from the recorded one; a natural key not known yet is compared in the apply pass.
   * A pending intent counts too: the create of a killed run may have made the object under the old key.
   */
  private async superseded(handler: Handler, recorded: RecordedObject | undefined, nk: Record<string, string>, parent: Record<string, string>): Promise<Superseded | undefined> {
    if (!recorded || recorded.state === 'deleted' || recorded.shared) return undefined;
    const sameParent = !hasUnknown(parent) && keyOf(parent) === keyOf(recorded.parent ?? {});
    if (sameParent && (hasUnknown(nk) || keyOf(nk) === keyOf(recorded.naturalKey))) return undefined;
    let obj: Obj | undefined;
    try {
      obj = await this.find(handler.objectClass, recorded.parent ?? {}, recorded.naturalKey, recorded);
    } catch (e) {
      // its parent is gone, and with it the object
      if (!isNotFound(e)) throw e;
    }
    if (obj === undefined) return undefined;
    const id = handler.idOf(obj);
    return recorded.id === undefined || recorded.id === id ? { rec: recorded, id } : undefined;
  }

  /**
   * Before the entry's key records its new object: the superseded one is kept recorded as `KEY~<id>` (deleted
   * once the run succeeded), or, adopted, leaves the record (okta-bootstrap did not create it, so never deletes
   * it); a replaced object taken back under the key leaves its `KEY~<id>` entry.
   */
  private supersede(key: string, old: Superseded | undefined, takenBack: string | undefined): void {
    const objects = this.d.journal.objects;
    if (takenBack !== undefined) delete objects[replacedKey(key, takenBack)];
    if (!old) return;
    if (old.rec.adopted) {
      this.d.progress.line(`  kept ${key}'s previous ${old.rec.objectClass} ${old.id} ("${words(old.rec.naturalKey)}"): it was adopted (okta-bootstrap did not create it), so it is not deleted; it is no longer recorded`);
      return;
    }
    this.d.journal.record(replacedKey(key, old.id), { ...old.rec, state: 'done', id: old.id, replacedBy: key });
  }

  /**
   * The handler, with `diff` also comparing the object's place among its siblings (priority.ts): the siblings'
   * objects come from the same listing of the parent (the loader's cache).
   */
  private async ordered(node: NodeInfo, handler: Handler, parent: Record<string, string>): Promise<Handler> {
    const group = [...(this.d.siblings?.values() ?? [])].find((g) => g.some((s) => s.key === node.key));
    const self = group?.find((s) => s.key === node.key);
    if (!group || !self || group.length < 2) return handler;
    const org = new Map<string, Obj | undefined>();
    for (const s of group) if (s.key !== node.key && s.name !== undefined) org.set(s.key, await this.d.loader.get(handler.objectClass, parent, { name: s.name }));
    return { ...handler, diff: (existing, body) => [...handler.diff(existing, body), ...orderDiff(self, existing, group, (s) => org.get(s.key))] };
  }

  /** One object in one pass. */
  async run(node: NodeInfo, values: PassValues, mode: Mode): Promise<void> {
    const { key, entry } = node;
    const { opts, progress, values: resolver, log } = this.d;
    if (entry.objType !== 'json' || !entry.objectClass) return;
    const objectClass = entry.objectClass;
    const handler = handlerFor(objectClass);
    const rendered = resolver.renderObject(node, values);
    const endpoint = rendered.endpoint;
    const body = prepared(handler, rendered.body);
    this.checkBody(key, handler, body, mode);
    const nk = handler.naturalKey(body);
    const parent = handler.parentOf(body, endpoint);
    const groups = entry.groups?.map((g) => String(resolver.render(key, g, values)));
    const octx = (): HandlerContext => ({ api: this.d.api, parent, ...(groups ? { groups } : {}) });
    const recorded = this.d.recorded[key];
    const canLook = () => !hasUnknown(nk) && !hasUnknown(parent) && !Object.values(parent).some((id) => this.createdIds.has(id));
    let old = await this.superseded(handler, recorded, nk, parent);
    // with a changed key, the recorded id (a client's client_id) names the old object: look the new key up alone
    let existing = canLook() ? await (old ? this.d.loader.get(objectClass, parent, nk) : this.find(objectClass, parent, nk, recorded)) : undefined;
    const existingId = existing === undefined ? undefined : handler.idOf(existing);
    // the same object under a key that only looks different (Okta compares logins and group names ignoring case)
    if (old && existingId === old.id) old = undefined;
    // an object an earlier, failed run replaced for this key, found again under the key it had: ours again, unless
    // that run had begun to delete it (then its delete is finished first, and a new object made)
    const back = existingId === undefined ? undefined : this.d.recorded[replacedKey(key, existingId)];
    let takenBack = back?.replacedBy === key && back.state === 'done' ? existingId : undefined;
    let unfinished: { id: string; parent: Record<string, string> } | undefined;
    if (takenBack !== undefined && existing !== undefined && handler.halfDeleted?.(existing)) {
      unfinished = { id: takenBack, parent: back?.parent ?? {} };
      takenBack = undefined;
      existing = undefined;
    }
    const planner = existing !== undefined && canLook() ? await this.ordered(node, handler, parent) : handler;
    const share = handler.shareable && !this.carriesTag(nk, values) ? handler.shareable : undefined;
    const planRec = takenBack !== undefined ? back : recorded;
    let plan: ObjectPlan = planObject(body, existing, planRec, planner, { ...(old ? { replaces: old.id } : {}), ...(share ? { share } : {}) });
    const req = await handler.createRequest(octx(), body);
    const creates = plan.action === 'create' || plan.action === 'replace';
    const planned: PlannedObject = {
      key,
      objectClass,
      action: plan.action,
      ...(creates
        ? { method: req.method, path: requestPath(req) }
        : plan.action === 'update'
          ? { method: 'PUT', path: `${req.path}/${plan.existingId ?? ''}` }
          : {}),
      body: maskDeep(creates ? (req.body ?? {}) : body, opts.showSecrets),
      diffs: plan.diffs,
      id: plan.existingId,
      reason: plan.reason,
      name: words(nk),
      ...(old ? { replaces: { id: old.id, name: words(old.rec.naturalKey), kept: Boolean(old.rec.adopted) } } : {}),
    };

    if (mode === 'plan') {
      // preflight: the body Okta's spec would refuse (types, required fields, enums), reported before any write
      this.bodyProblems.push(...shapeProblems(key, plan.action, req, body, plan.existingId, this.bodyProblems));
      this.plan.set(key, planned);
      // children of an object to be created see "(known after apply)"; of an existing one, the org's object
      values.set(key, existing === undefined ? KNOWN : this.withCarried(key, handler, existing));
      return;
    }

    progress.started();
    try {
      let obj: Obj;
      let adopted = false;
      let action = plan.action;
      if (action === 'conflict') {
        if (!opts.adopt && !this.adoptApproved.has(key)) {
          progress.object('conflict', key, objectClass, `${plan.existingId ?? ''}: ${plan.reason}${plan.diffs.length ? `; ${plan.diffs.length} field(s) differ` : ''}`, plan.diffs);
          throw new ConflictError(`${key}: an ${objectClass} with the same natural key (${Object.values(nk).join(', ')}) already exists (${plan.existingId ?? ''}) and this output did not create it`, {
            key,
            object: objectClass,
            // a new TAG gives a new object only when the natural key carries the TAG (a trusted origin's does not)
            suggestion: `Adopt it with --adopt (or run without --yes and confirm the plan), ${Object.values(nk).some((v) => this.d.journal.meta.tag && v.includes(this.d.journal.meta.tag)) ? 'choose another TAG (--new-tag), ' : ''}or remove it from the org.`,
          });
        }
        adopted = true;
        action = adoptedAction(plan);
      }
      if (unfinished) {
        await handler.delete({ api: this.d.api, parent: unfinished.parent }, { id: unfinished.id });
        this.d.journal.record(replacedKey(key, unfinished.id), { state: 'deleted' });
        progress.line(`  finished deleting ${replacedKey(key, unfinished.id)} (${objectClass}), which an earlier run had begun to delete`);
      }
      this.supersede(key, old, takenBack);
      if (action === 'create' || action === 'replace' || existing === undefined) {
        // what was generated for this body (a user's login) goes to disk with the intent: a re-run after a kill
        // renders the same body and so finds the object the create may have made
        this.d.values.keepGenerated(key);
        obj = await this.d.creator.create({ key, handler, ctx: octx(), body, nk }, (made) => this.saveObjectValue(node, handler, made));
        this.createdIds.add(handler.idOf(obj));
        const replaces = old && !old.rec.adopted ? ` (replaces ${old.id}, deleted once the run has finished)` : '';
        progress.object('created', key, objectClass, `${handler.idOf(obj)}${replaces}`);
      } else if (action === 'shared') {
        obj = existing;
        const id = handler.idOf(obj);
        this.recordOurs(node, handler, id, nk, parent, 'shared');
        progress.object('unchanged', key, objectClass, `${id} (shared: used, not owned)`);
      } else {
        obj = existing;
        const id = handler.idOf(obj);
        if (action === 'update') {
          if (!handler.update) {
            log.warn(`${key}: Okta does not allow updating ${objectClass} in place; left as it is (${plan.diffs.map((d) => d.path).join(', ')} differ).`);
          } else {
            obj = await handler.update(octx(), obj, body);
          }
        }
        // what diff cannot see: memberships, app assignments
        const ensured = handler.ensure ? await handler.ensure(octx(), obj, body) : [];
        if (ensured.length > 0 && action === 'unchanged') {
          action = 'update';
          plan = { ...plan, diffs: [] };
        }
        plan = { ...plan, diffs: [...plan.diffs, ...ensured] };
        this.recordOurs(node, handler, id, nk, parent, adopted || planRec?.adopted ? 'adopted' : 'owned');
        if (action === 'update' && (handler.update || ensured.length > 0)) progress.object('updated', key, objectClass, id, plan.diffs);
        else if (adopted) progress.object('adopted', key, objectClass, id);
        else progress.object('unchanged', key, objectClass, `${id}${plan.resumed ? ' (created by the interrupted run)' : ''}`);
      }
      obj = this.withCarried(key, handler, obj);
      // ours, and missing what only its create response held (the create committed, its answer was lost): repair
      const ours = !adopted && !planRec?.adopted && action !== 'shared';
      if (ours && handler.repair) {
        const repaired = await handler.repair(octx(), obj);
        if (repaired !== obj) log.warn(`${key}: ${objectClass} ${handler.idOf(obj)} was missing what only its create response held (an interrupted create): repaired it (a client gets a new secret).`);
        obj = repaired;
      }
      values.set(key, obj);
      this.saveObjectValue(node, handler, obj);
      await this.d.journal.flush();
    } catch (e) {
      if (!(e instanceof ConflictError) && !(e instanceof QuitError)) progress.object('failed', key, objectClass, errorLine(e));
      throw e;
    } finally {
      progress.finished();
    }
  }
}
