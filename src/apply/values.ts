/**
 * The value resolver: where each value of a run comes from. A plain entry's value is `--set`, then the
 * environment, then `.env` (src/resolve/sources.ts), then the input's default (rendered), then a prompt; a data
 * entry's value is the earlier output it names. Values from outside the input (OKTA_TENANT, references to keys the
 * input does not define) come from the same sources, then from the data sources, then from a prompt. In the
 * planning pass nothing is asked: what is not known yet is KNOWN ("(known after apply)").
 */
import { isRecord } from '../core/json.js';
import type { Logger } from '../core/log.js';
import { isSecretName, maskDeep } from '../core/mask.js';
import { QuitError } from '../core/errors.js';
import type { InputEntry } from '../input/schema.js';
import type { Prompter } from '../resolve/prompt.js';
import { externalValue, type ValueSources } from '../resolve/sources.js';
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
}

export class ValueResolver {
  /** Values from outside the input given during this run: OKTA_TENANT and answers to prompts. */
  readonly externals = new Map<string, unknown>();
  private promptChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ValueResolverOptions) {}

  get prompter(): Prompter {
    return this.o.prompter;
  }

  /** Prompts one at a time, whatever runs concurrently. */
  prompt<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.promptChain.then(fn);
    this.promptChain = p.catch(() => undefined);
    return p;
  }

  /** A value from outside this input, asking for it when nobody gave one and asking is allowed. */
  async external(key: string, askable: boolean): Promise<unknown> {
    if (this.externals.has(key)) return this.externals.get(key);
    const ext = externalValue(this.o.sources, key);
    if (ext !== undefined) return ext.value;
    if (key in this.o.dataValues) return this.o.dataValues[key];
    if (!askable) return KNOWN;
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
      values.set(k, await this.external(k, mode === 'apply' || this.o.dryRun));
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
      endpoint: entry.oktaEndpoint ? String(this.render(key, entry.oktaEndpoint, values)) : undefined,
    };
  }

  /** A plain or data entry's value as far as it is known without asking (the prefetch uses it). */
  knownValue(node: NodeInfo, values: PassValues): unknown {
    const { key, entry } = node;
    if (entry.objType === 'data') return this.o.dataEntries.get(key);
    const ext = externalValue(this.o.sources, key);
    if (ext !== undefined) return ext.value;
    return entry.default !== undefined ? this.render(key, entry.default, values) : KNOWN;
  }

  /** In the apply pass, the person reviews each value (or "a" accepted them all). */
  async review(key: string, entry: InputEntry, candidate: unknown, display?: unknown): Promise<unknown> {
    if (this.o.prompter.auto) return candidate;
    const index = this.o.order.indexOf(key) + 1;
    const answer = await this.prompt(() => this.o.prompter.review({ key, entry, candidate, display, index, total: this.o.order.length }));
    if (answer.action === 'quit') throw new QuitError();
    if (answer.action === 'continue') return answer.value;
    return candidate;
  }

  /** A plain or data entry: its value into this pass's values; in the apply pass, reviewed and recorded. */
  async value(node: NodeInfo, values: PassValues, mode: Mode): Promise<void> {
    const { key, entry } = node;
    let v: unknown;
    if (entry.objType === 'data') {
      v = this.o.dataEntries.get(key);
    } else {
      const ext = externalValue(this.o.sources, key);
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
      } else if (mode === 'plan' && !this.o.dryRun) {
        v = KNOWN;
      } else {
        v = await this.prompt(() => this.o.prompter.askValue(key, { hint: entry.hint, secret: isSecretName(key) }));
      }
      if (mode === 'apply') v = await this.review(key, entry, v);
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
