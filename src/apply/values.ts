/**
 * The value resolver: where each value of a run comes from. A plain entry's value is `--set`, then the
 * environment, then `.env` (src/resolve/sources.ts), then the input's default (rendered), then a prompt; a data
 * entry's value is the earlier output it names. Values from outside the input (OKTA_TENANT, references to keys the
 * input does not define) come from the same sources, then from the data sources, then from a prompt. In the
 * planning pass nothing is asked: what is not known yet is KNOWN ("(known after apply)").
 *
 * Two exceptions to that order. A value read from an object (keysFromObjects: `{{OKTA_AZ_SERVER.issuer}}`, ids,
 * URLs built from them; and a key a data source read from its own objects) comes from the object or the data
 * source: only --set beats it (with a warning); the environment's or .env's value is reported once, with its
 * source and the value used, and not used. And a run that cannot ask (no terminal, or --yes) asks nothing: a
 * value nobody gives is collected in `missing`, which the run reports, all at once, before its first write.
 */
import { isRecord } from '../core/json.js';
import type { Logger } from '../core/log.js';
import { isSecretName, maskDeep } from '../core/mask.js';
import { QuitError, type InputProblem } from '../core/errors.js';
import { refsOf } from '../resolve/template.js';
import { objectClassOf, type InputEntry } from '../input/schema.js';
import type { Prompter } from '../resolve/prompt.js';
import { describeSource, externalValue, keysReadFromObjects, recordKeysFromObjects, type ValueSourceName, type ValueSources } from '../resolve/sources.js';
import { readOutputFile } from '../core/output-format.js';
import { KNOWN_AFTER_APPLY, render } from '../resolve/template.js';
import type { OutputJournal } from './journal.js';
import type { ReplayGenerators } from './replay.js';

/** A value that is not known yet: in the planning pass, values that exist only after a create. */
export const KNOWN = KNOWN_AFTER_APPLY;

/** `plan`: no prompt, no write; `apply`: review, then act. */
export type Mode = 'plan' | 'apply';

export interface NodeInfo {
  key: string;
  entry: InputEntry;
  deps: string[];
  /** Keys this entry refers to that the input does not define. */
  external: string[];
}

/** The values one pass has rendered so far, by key. */
export type PassValues = Map<string, unknown>;

export function hasUnknown(v: unknown): boolean {
  if (typeof v === 'string') return v.includes(KNOWN);
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (isRecord(v)) return Object.values(v).some(hasUnknown);
  return false;
}

export interface ValueResolverOptions {
  sources: ValueSources;
  prompter: Prompter;
  journal: OutputJournal;
  gens: ReplayGenerators;
  log: Logger;
  dryRun: boolean;
  showSecrets: boolean;
  /** The input's keys in order (for "3/12" in the review). */
  order: string[];
  /** Values of the data sources (earlier outputs), by their keys. */
  dataValues: Record<string, unknown>;
  /** Data entries' values: the whole earlier output each names. */
  dataEntries: Map<string, unknown>;
  /**
   * False when nobody can answer (no terminal, or --yes): a value with no source is then not asked for but
   * collected in `missing`, and the run reports them all before its first write.
   */
  canAsk: boolean;
  /** This input's keys read from its objects (keysFromObjects): the environment and .env do not give them. */
  fromObject: Set<string>;
  /** Keys the data sources read from their own objects (dataKeysFromObjects): the data source gives them. */
  dataFromObjects: Set<string>;
  /** For a key served by a data source: "data source mulesoft, output/mulesoft.json". */
  dataSource?: (key: string) => string | undefined;
}

/** What the review needs of the rest of the engine. */
export interface ReviewContext {
  nodes: Map<string, NodeInfo>;
  /** Keys whose value is read from an object (directly or through other values). */
  fromObject: Set<string>;
  /** Every key downstream of `key`, in order. */
  dependents(key: string): string[];
  /** The first problem the object's own checks find in its body rendered with `values`, if any. */
  objectProblem(node: NodeInfo, values: PassValues): string | undefined;
  /** For a key served by a data source: "data source mulesoft (output/mulesoft.json)". */
  dataSource(key: string): string | undefined;
}

/** Keys whose value is read from an object of the input: they reference one, or a value that does. */
export function keysFromObjects(order: string[], nodes: Map<string, NodeInfo>): Set<string> {
  const entry = (k: string) => nodes.get(k)?.entry;
  return keysReadFromObjects(order, (k) => objectClassOf(entry(k)) !== undefined, (k) => (entry(k)?.objType === 'data' ? [] : (nodes.get(k)?.deps ?? [])));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function absoluteUrl(v: string): URL | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The form a typed value must have, judged by its key's name and by the form of the value it replaces: a port
 * (1-65535), an absolute http(s) URL (URI/URL keys; Okta's redirect URIs must be absolute:
 * https://developer.okta.com/docs/guides/sign-into-web-app-redirect/node-express/main/#define-a-callback-route),
 * an origin (scheme://host[:port], https://developer.okta.com/docs/guides/enable-cors/main/), an e-mail address, a
 * domain name. Where the docs say nothing (PORT, DOMAIN are this tool's own values) we check what the value is used
 * for: a port in a URL, a domain in logins. Returns the reason it is refused, or undefined.
 */
export function typedValueProblem(key: string, value: string, candidate: unknown): string | undefined {
  const was = typeof candidate === 'string' ? candidate : '';
  if (/(^|_)PORT$/.test(key) || (/^\d{2,5}$/.test(was) && /PORT/.test(key))) {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > 65535) return `${key} must be a port number from 1 to 65535, not "${value}".`;
    return undefined;
  }
  if (/ORIGIN$/.test(key)) {
    const u = absoluteUrl(value.trim());
    if (!u || (u.pathname !== '/' && u.pathname !== '') || u.search) return `${key} must be an origin, scheme://host[:port] (e.g. http://localhost:8080), not "${value}".`;
    return undefined;
  }
  if (/(URI|URL)S?$/.test(key) || absoluteUrl(was)) {
    if (!absoluteUrl(value.trim())) return `${key} must be an absolute URL starting with http:// or https:// (e.g. http://localhost:8080), not "${value}".`;
    return undefined;
  }
  if (/EMAIL$/.test(key) || EMAIL.test(was)) {
    if (!EMAIL.test(value.trim())) return `${key} must be an e-mail address (name@example.com), not "${value}".`;
    return undefined;
  }
  if (/DOMAIN$/.test(key)) {
    if (!HOSTNAME.test(value.trim())) return `${key} must be a domain name (example.com), not "${value}".`;
  }
  return undefined;
}

export class ValueResolver {
  /** Values from outside the input given during this run: OKTA_TENANT and answers to prompts. */
  readonly externals = new Map<string, unknown>();
  /** Values settled by the review (accepted or typed): the passes use them as they are. */
  readonly chosen = new Map<string, unknown>();
  /** Keys the person typed a value for at (p) in this run. */
  readonly typed = new Set<string>();
  /** Values nobody gave in a run that cannot ask, by key: reported together before the first write. */
  readonly missing = new Map<string, InputProblem>();
  private readonly missingUsers = new Map<string, Set<string>>();
  private promptChain: Promise<unknown> = Promise.resolve();
  /** Keys whose ignored or overriding source was reported (once per run). */
  private readonly reported = new Set<string>();
  /** Values of the environment or .env for keys read from objects: not used, reported once the value used is known. */
  private readonly ignored = new Map<string, { value: string; source: ValueSourceName }>();

  constructor(private readonly o: ValueResolverOptions) {}

  private shown(key: string, v: unknown): string {
    return JSON.stringify(maskDeep(v, this.o.showSecrets, key));
  }

  private warnOnce(key: string, line: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.o.log.warn(line);
  }

  /**
   * `key`'s value from --set, the environment or .env. A key read from an object (`fromObject`) takes only
   * --set, with a warning: a value of the environment or .env for it is most likely left from an earlier
   * object (`get-settings --write-env` writes the issuer into .env, and a destroy and a fresh run make a new
   * server), so it is set aside and reported once the value used is known (reportIgnored).
   */
  private given(key: string): { value: string; source: ValueSourceName } | undefined {
    const ext = externalValue(this.o.sources, key);
    if (!ext || !this.o.fromObject.has(key)) return ext;
    if (ext.source === 'set') {
      this.warnOnce(key, `${key}: --set ${key}=${this.shown(key, ext.value)} is used instead of the value this input reads from its objects.`);
      return ext;
    }
    this.ignored.set(key, ext);
    return undefined;
  }

  /** Reports, once, a value of the environment or .env that `given` did not use for `key`, next to the value used. */
  private reportIgnored(key: string, used: unknown, from: string): void {
    const ext = this.ignored.get(key);
    if (!ext || ext.value === used) return;
    this.warnOnce(
      key,
      `${key}: ${describeSource(this.o.sources, ext.source)} gives ${this.shown(key, ext.value)}, which is not used: ${key} is read from ${from}, ${this.shown(key, used)}.`,
    );
  }

  /** A value nobody gave, in a run that cannot ask: collected (with the keys that need it) instead of asked for. */
  private noteMissing(key: string, by: string | undefined, defined: boolean): void {
    const users = this.missingUsers.get(key) ?? new Set<string>();
    if (by) users.add(by);
    this.missingUsers.set(key, users);
    this.missing.set(key, {
      severity: 'error',
      path: [users.size > 0 ? [...users].join(', ') : key],
      message: defined
        ? `${key} has no default, and no --set, environment or .env value gives it`
        : `{{${key}}} names ${key}, which this input does not define, and no --set, environment, .env or data source gives it`,
      suggestion: `Pass --set ${key}=VALUE or put ${key}=VALUE in ${this.o.sources.envFile}${defined ? '' : `, or define ${key} in the input`}; run in a terminal without --yes to be asked for it.`,
    });
  }

  get prompter(): Prompter {
    return this.o.prompter;
  }

  /** Prompts one at a time, whatever runs concurrently. */
  prompt<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.promptChain.then(fn);
    this.promptChain = p.catch(() => undefined);
    return p;
  }

  /**
   * A value from outside this input, asking for it when nobody gave one and asking is allowed. A value a data
   * source read from its objects (mulesoft's OKTA_AZ_SERVER_ID) comes from the data source: --set still wins,
   * with a warning, and a different value in the environment or .env is reported and not used.
   */
  async external(key: string, askable: boolean, by?: string): Promise<unknown> {
    if (this.externals.has(key)) return this.externals.get(key);
    const ext = externalValue(this.o.sources, key);
    if (key in this.o.dataValues && this.o.dataFromObjects.has(key)) {
      const data = this.o.dataValues[key];
      const from = this.o.dataSource?.(key) ?? 'a data source';
      if (ext?.source === 'set') {
        this.warnOnce(key, `${key}: --set ${key}=${this.shown(key, ext.value)} is used instead of the value of the ${from}, ${this.shown(key, data)}.`);
        return ext.value;
      }
      if (ext) this.ignored.set(key, ext);
      this.reportIgnored(key, data, `the ${from}`);
      return data;
    }
    if (ext !== undefined) return ext.value;
    if (key in this.o.dataValues) return this.o.dataValues[key];
    if (!askable || !this.o.canAsk) {
      if (!this.o.canAsk) this.noteMissing(key, by, false);
      return KNOWN;
    }
    return this.prompt(async () => {
      if (this.externals.has(key)) return this.externals.get(key);
      const v = await this.o.prompter.askValue(key, { secret: isSecretName(key) });
      this.externals.set(key, v);
      return v;
    });
  }

  /** Puts the values this node needs from outside the input into this pass's values (KNOWN when not known yet). */
  async prepareExternals(node: NodeInfo, mode: Mode, values: PassValues): Promise<void> {
    for (const k of node.external) {
      if (values.has(k)) continue;
      values.set(k, await this.external(k, mode === 'apply' || this.o.dryRun, node.key));
    }
  }

  private lookupIn(values: PassValues) {
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

  /** A template value rendered with this pass's values, replaying what earlier runs generated for `key`. */
  render(key: string, value: unknown, values: PassValues): unknown {
    return render(value, this.lookupIn(values), this.o.gens.forKey(key));
  }

  /** The rendered body of an object entry (its default), and its rendered endpoint. */
  renderObject(node: NodeInfo, values: PassValues): { body: unknown; endpoint: string | undefined } {
    const { key, entry } = node;
    return {
      body: this.render(key, entry.default ?? {}, values),
      endpoint: entry.objType === 'json' && entry.oktaEndpoint ? String(this.render(key, entry.oktaEndpoint, values)) : undefined,
    };
  }

  /** A plain or data entry's value as far as it is known without asking (the prefetch uses it). */
  knownValue(node: NodeInfo, values: PassValues): unknown {
    const { key, entry } = node;
    if (entry.objType === 'data') return this.o.dataEntries.get(key);
    const ext = this.given(key);
    if (ext !== undefined) return ext.value;
    return entry.default !== undefined ? this.render(key, entry.default, values) : KNOWN;
  }

  /** A plain entry's candidate before the review: its value and where it comes from. */
  private candidate(node: NodeInfo, values: PassValues): { value: unknown; source: string } | undefined {
    const { key, entry } = node;
    const ext = this.given(key);
    if (ext !== undefined) {
      let v: unknown = ext.value;
      if (entry.objType === 'json') {
        try {
          v = JSON.parse(ext.value);
        } catch {
          // a plain string given for a json value: keep it as given
        }
      }
      return { value: v, source: { set: '--set', env: 'environment', dotenv: '.env' }[ext.source] };
    }
    const typed = this.o.journal.meta.replay?.[key]?.typed;
    if (typed !== undefined) return { value: typed, source: 'typed at (p) in an earlier run' };
    if (entry.default === undefined) return undefined;
    const generated = refsOf(entry.default).some((r) => r.kind === 'generate');
    const replayed = generated && this.o.journal.meta.replay?.[key]?.generated !== undefined;
    const value = this.render(key, entry.default, values);
    return { value, source: generated ? (replayed ? 'generated, kept from the last run' : 'generated') : 'input default' };
  }

  /**
   * The review: every value a person can choose, in order, with C/p/a/q; values read from objects listed as
   * known after apply. Missing values from outside the input are asked here too, so nothing is asked later.
   */
  async reviewValues(ctx: ReviewContext): Promise<void> {
    const values: PassValues = new Map();
    const askable = (n: NodeInfo) => !objectClassOf(n.entry) && n.entry.objType !== 'data' && !ctx.fromObject.has(n.key);
    const questions = this.o.order.filter((k) => {
      const n = ctx.nodes.get(k);
      return n !== undefined && askable(n);
    });
    for (const key of this.o.order) {
      const node = ctx.nodes.get(key);
      if (!node) continue;
      for (const k of node.external) {
        if (values.has(k)) continue;
        values.set(k, await this.external(k, true, key));
        const from = ctx.dataSource(k);
        if (from && k !== 'OKTA_TENANT') this.o.prompter.note([`  ${k} = ${JSON.stringify(maskDeep(values.get(k), this.o.showSecrets, k))}   (${from})`]);
      }
      if (objectClassOf(node.entry)) {
        values.set(key, KNOWN);
        continue;
      }
      if (node.entry.objType === 'data') {
        values.set(key, this.o.dataEntries.get(key));
        continue;
      }
      if (!askable(node)) {
        values.set(key, KNOWN);
        this.o.prompter.note([`  ${key} = ${KNOWN}   (read from ${node.deps.join(', ')})`]);
        continue;
      }
      const c = this.candidate(node, values);
      if (c === undefined && !this.o.canAsk) {
        // nobody can answer: reported with every other missing value before the first write
        this.noteMissing(key, undefined, true);
        values.set(key, KNOWN);
        continue;
      }
      let v: unknown = c?.value;
      if (c === undefined) v = await this.o.prompter.askValue(key, { hint: node.entry.hint, secret: isSecretName(key) });
      const validate = (typedValue: string): true | string => this.checkTyped(ctx, node, typedValue, v, values);
      const answer = await this.o.prompter.review({
        key,
        entry: node.entry,
        candidate: v,
        index: questions.indexOf(key) + 1,
        total: questions.length,
        source: c?.source ?? 'typed',
        validate,
      });
      if (answer.action === 'quit') throw new QuitError();
      if (answer.action === 'continue' && answer.value !== v) {
        v = answer.value;
        this.typed.add(key);
        if (typeof v === 'string') this.o.journal.replayOf(key).typed = v;
      }
      values.set(key, v);
      this.chosen.set(key, v);
    }
  }

  /** A value typed at (p): its own form, then the checks of every object it reaches. */
  private checkTyped(ctx: ReviewContext, node: NodeInfo, typed: string, candidate: unknown, values: PassValues): true | string {
    const own = typedValueProblem(node.key, typed, candidate);
    if (own) return own;
    // render what follows with the typed value: the plain values downstream with their candidates, the
    // objects with their bodies, each checked by its handler
    const trial: PassValues = new Map(values);
    trial.set(node.key, typed);
    for (const k of ctx.dependents(node.key)) {
      const n = ctx.nodes.get(k);
      if (!n) continue;
      try {
        if (objectClassOf(n.entry)) {
          const problem = ctx.objectProblem(n, trial);
          if (problem) return `${problem} (${k} is built from ${node.key})`;
          trial.set(k, KNOWN);
        } else if (ctx.fromObject.has(k) || n.entry.objType === 'data') {
          trial.set(k, KNOWN);
        } else {
          trial.set(k, this.chosen.get(k) ?? this.candidate(n, trial)?.value ?? KNOWN);
        }
      } catch {
        trial.set(k, KNOWN);
      }
    }
    return true;
  }

  /** A plain or data entry: its value into this pass's values; in the apply pass, reviewed and recorded. */
  async value(node: NodeInfo, values: PassValues, mode: Mode): Promise<void> {
    const { key, entry } = node;
    let v: unknown;
    if (entry.objType === 'data') {
      v = this.o.dataEntries.get(key);
    } else if (this.chosen.has(key)) {
      v = this.chosen.get(key);
    } else {
      const ext = this.given(key);
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
        // known now (an existing object, or the apply pass), or never before the plan (a dry run)
        if (mode === 'apply' || this.o.dryRun || !hasUnknown(v)) this.reportIgnored(key, v, node.deps.join(', '));
      } else if (mode === 'plan' && !this.o.dryRun) {
        v = KNOWN;
      } else if (!this.o.canAsk) {
        this.noteMissing(key, undefined, true);
        v = KNOWN;
      } else {
        v = await this.prompt(() => this.o.prompter.askValue(key, { hint: entry.hint, secret: isSecretName(key) }));
      }
    }
    values.set(key, v);
    if (mode === 'apply') {
      this.o.log.verbose(`${key} = ${JSON.stringify(maskDeep(v, this.o.showSecrets, key))}`);
      // A data entry's value is a whole earlier output, secrets included: the output records only its name.
      if (entry.saveToOutput) this.o.journal.setValue(key, entry.objType === 'data' ? entry.default : v);
      this.keepGenerated(key);
    }
  }

  /** Records what was generated while rendering `key`, so the next run renders the same. */
  keepGenerated(key: string): void {
    const g = this.o.gens.generatedFor(key);
    if (g) this.o.journal.replayOf(key).generated = g;
  }
}

/** The keys the data sources (their records, by file) read from their own objects: the data source gives them. */
export async function dataKeysFromObjects(files: readonly string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const f of files) for (const k of await recordKeysFromObjects(await readOutputFile(f).catch(() => undefined))) keys.add(k);
  return keys;
}

/** Where a value loaded from data sources came from, for the review ("data source mulesoft, output/mulesoft.json"). */
export function dataSourceLabel(files: readonly (readonly [string, string])[], dataValues: Record<string, unknown>): (key: string) => string | undefined {
  return (key) => {
    if (!(key in dataValues)) return undefined;
    const names = files.map(([d, f]) => `data source ${d}, ${f}`);
    return names.length ? names.join('; ') : 'data source';
  };
}
