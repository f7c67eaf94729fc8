/**
 * register-client's record: every client `okta-bootstrap register-client` registers is owned by
 * `<output-dir>/register-client.json`, a record in the output format (src/core/output-format.ts) with meta.input
 * "register-client", so `destroy --output <output-dir>/register-client.json` removes them and `ls` lists them.
 *
 * - One entry per client, keyed by its client_name in capitals ("Solar System Auth" → SOLAR_SYSTEM_AUTH); a client
 *   registered on purpose with --new while one is live takes the next free key (SOLAR_SYSTEM_AUTH_2, ...).
 *   Natural key {client_name}; the top-level value under the key holds client_id, client_name and redirect_uris
 *   (while pending: client_name, redirect_uris and existingBefore, the ids of the clients that matched before the
 *   request); the secret, which Okta returns only on create, is kept under meta.replay[KEY].secret (mode 0600).
 * - Registration goes through the engine's create-once owner (src/apply/create.ts): the intent is written
 *   ("pending") before the request; after an ambiguous failure (5xx, a timeout, a connection lost after sending)
 *   the client is looked up before the request is sent again.
 * - DCR allows any number of clients with one client_name, so "found by name" is not enough: the lookup matches
 *   client_name AND the set of redirect_uris, and never takes a client that was already there before the request
 *   (listed first, and written with the intent), nor one a record owns. A pending entry left by a run that died
 *   (kill -9) is resolved the same way on the next run; without that list, the clients that existed before are told
 *   apart by `client_id_issued_at`
 *   ("Time at which the client_id was issued", https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/).
 * - The record's lock (src/core/lock.ts) is held from reading the record to its last write.
 */
import { dirname, join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { BootstrapError, ConfigError, NetworkError } from '../core/errors.js';
import { isRecord } from '../core/json.js';
import { acquireOutputLock } from '../core/lock.js';
import type { Logger } from '../core/log.js';
import { readOutputFile, type OutputMeta, type RecordedObject } from '../core/output-format.js';
import { latestOutputName } from '../core/output-names.js';
import { listRecords } from '../core/records.js';
import { isAmbiguousWriteFailure, type OktaApi } from '../okta/client.js';
import { keyOf } from '../okta/handlers/common.js';
import { clientHandler } from '../okta/handlers/client.js';
import type { HandlerContext, Obj } from '../okta/handlers/types.js';
import { CreateOwner, madeBefore, type CreateJob } from './create.js';
import { newMeta, OutputJournal } from './journal.js';
import { ExistingLoader } from './lookup.js';

export const REGISTER_INPUT = 'register-client';
const DCR = '/oauth2/v1/clients';

export function registerRecordFile(outputDir: string): string {
  return join(outputDir, latestOutputName(REGISTER_INPUT));
}

/** The record key of a client_name: "Solar System Auth" → "SOLAR_SYSTEM_AUTH" (CLIENT when nothing is left). */
export function clientKey(name: string): string {
  const k = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return k === '' ? 'CLIENT' : k;
}

/** The first of KEY, KEY_2, KEY_3, ... that is free or `reusable`. */
export function freeKey(objects: Record<string, RecordedObject>, base: string, reusable: (key: string) => boolean): string {
  for (let n = 1; ; n++) {
    const key = n === 1 ? base : `${base}_${n}`;
    const rec = objects[key];
    if (!rec || rec.state === 'deleted' || reusable(key)) return key;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** The client has this client_name and exactly these redirect URIs (in any order). */
export function matchesRegistration(c: Obj, name: string, redirectUris: string[]): boolean {
  if (c.client_name !== name) return false;
  const have = new Set(strings(c.redirect_uris));
  const want = new Set(redirectUris);
  return have.size === want.size && [...want].every((u) => have.has(u));
}

export interface RegisterOptions {
  api: OktaApi;
  outputDir: string;
  /** The DCR body (client_name, redirect_uris, ...). */
  body: Obj;
  name: string;
  redirectUris: string[];
  /** --new: register another client even when a recorded one is live. */
  another: boolean;
  /** What holds the lock, e.g. `okta-bootstrap register-client --name "Solar System Auth"`. */
  command: string;
  log: Logger;
  /** The client AUTHN_CLIENT_ID names in .env or the environment, with its secret: reused when nothing recorded is live. */
  known?: { clientId: string; secret?: string };
  /** The wait between create attempts (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Registration {
  /** The record's key of the client; undefined for a client the record does not hold (outcome "known"). */
  key?: string;
  clientId: string;
  clientSecret?: string;
  /**
   * registered: a new client; recorded: the recorded client, live, reused; found: an earlier run's pending
   * registration that had reached Okta, now recorded; known: the client .env names, which no record of this folder holds.
   */
  outcome: 'registered' | 'recorded' | 'found' | 'known';
  file: string;
}

/** Registers the client, or reuses the recorded one, under the record's lock. */
export async function registerRecorded(o: RegisterOptions): Promise<Registration> {
  const file = registerRecordFile(o.outputDir);
  const lock = await acquireOutputLock(file, o.command, (line) => o.log.warn(line));
  try {
    return await underLock(o, file);
  } finally {
    await lock.release();
  }
}

async function underLock(o: RegisterOptions, file: string): Promise<Registration> {
  const orgUrl = o.api.orgUrl;
  const prev = await readOutputFile(file, { record: true });
  if (prev && !prev.meta) {
    throw new ConfigError(`${file} holds no okta-bootstrap record; register-client does not write over it.`, { suggestion: `Move it aside (mv ${file} ${file}.old) or pass another --output-dir.` });
  }
  if (prev?.meta && prev.meta.orgUrl !== orgUrl) {
    throw new ConfigError(`${file} records clients of ${prev.meta.orgUrl}, not ${orgUrl}; okta-bootstrap does not write over another org's record.`, {
      suggestion: 'Pass --output-dir with a folder of its own for this org.',
    });
  }
  const meta: OutputMeta = { ...(prev?.meta ?? newMeta(REGISTER_INPUT, orgUrl)), status: 'running', startedAt: new Date().toISOString(), finishedAt: undefined };
  const journal = new OutputJournal({ dir: o.outputDir, input: REGISTER_INPUT, runAt: new Date(), write: true, paths: [file] }, { ...(prev?.values ?? {}), OKTA_TENANT: orgUrl }, meta);
  const s = new Session(o, journal, file);
  try {
    const r = await s.run();
    if (prev || Object.keys(journal.objects).length > 0) {
      meta.status = 'complete';
      meta.finishedAt = new Date().toISOString();
      await journal.flush();
    }
    return r;
  } catch (e) {
    if (journal.writeCount > 0) {
      meta.status = 'incomplete';
      await journal.flush().catch(() => undefined);
    }
    throw s.withTrueAdvice(e);
  }
}

class Session {
  private readonly ctx: HandlerContext;
  private readonly nk: Record<string, string>;
  private readonly owner: CreateOwner;
  /** How the create-once owner looks the client up after an ambiguous failure; set before each registration. */
  private lookup: () => Promise<Obj | undefined> = () => Promise.resolve(undefined);

  constructor(
    private readonly o: RegisterOptions,
    private readonly journal: OutputJournal,
    private readonly file: string,
  ) {
    this.ctx = { api: o.api, parent: {} };
    this.nk = { client_name: o.name };
    const loader = new ExistingLoader(async (_cls, _parent, keys) => {
      const found = await this.lookup();
      const out = new Map<string, Obj>();
      for (const k of keys) if (found) out.set(keyOf(k), found);
      return out;
    });
    this.owner = new CreateOwner({ journal, loader, log: o.log, sleep: o.sleep ?? ((ms: number) => wait(ms)) });
  }

  private job(key: string): CreateJob {
    return { key, handler: clientHandler, ctx: this.ctx, body: this.o.body, nk: this.nk };
  }

  /** This name's live entries (pending or done), in the order they were recorded. */
  private entries(): [string, RecordedObject][] {
    return Object.entries(this.journal.objects).filter(([, r]) => r.objectClass === clientHandler.objectClass && r.naturalKey.client_name === this.o.name && r.state !== 'deleted');
  }

  private unclaimed(redirectUris: string[], before: (c: Obj) => boolean): Promise<Obj[]> {
    return unclaimedClients({ api: this.o.api, file: this.file, objects: this.journal.objects, name: this.o.name, redirectUris }, before);
  }

  /** Records `obj` (found in the org, its secret lost) under `key`: Okta issues a new secret (repair). */
  private async takeOver(key: string, obj: Obj): Promise<Obj> {
    const repaired = clientHandler.repair ? await clientHandler.repair(this.ctx, obj) : obj;
    this.owner.recordDone(this.job(key), repaired);
    this.keep(key, repaired);
    await this.journal.flush();
    return repaired;
  }

  /** Keeps the client's id, name and redirect URIs as the key's value, and its secret (Okta's only copy) for re-runs. */
  private keep(key: string, obj: Obj): void {
    this.journal.setValue(key, { client_id: obj.client_id, client_name: obj.client_name, redirect_uris: obj.redirect_uris });
    const secret = secretOf(obj);
    if (secret) this.journal.replayOf(key).secret = secret;
  }

  private result(key: string, clientId: string, outcome: Registration['outcome']): Registration {
    const secret = this.journal.meta.replay?.[key]?.secret ?? (this.o.known?.clientId === clientId ? this.o.known.secret : undefined);
    return { key, clientId, clientSecret: secret, outcome, file: this.file };
  }

  async run(): Promise<Registration> {
    const { log, name } = this.o;
    const reusable = new Set<string>();
    let found: Registration | undefined;

    // 1. Pending intents of an earlier run (it died or failed after sending): did the registration reach Okta?
    for (const [key] of this.entries().filter(([, r]) => r.id === undefined)) {
      const hit = await findPendingRegistration({ api: this.o.api, file: this.file, objects: this.journal.objects, values: this.journal.values }, key, this.o.redirectUris);
      if (!hit) {
        log.verbose(`${key}: the registration an earlier run started never reached Okta (no "${name}" client with these redirect URIs was issued since); registering it now.`);
        reusable.add(key);
        continue;
      }
      const obj = await this.takeOver(key, hit);
      log.warn(`${key}: the registration an earlier run started did reach Okta: client ${clientHandler.idOf(obj)} is now recorded in ${this.file} (Okta issued it a new secret: the first one was lost).`);
      found ??= this.result(key, clientHandler.idOf(obj), 'found');
    }
    // Found: that was this command's registration (also with --new: the same command run again after a failure).
    if (found) return found;
    if (this.o.another) return this.register(reusable);

    // 2. The recorded clients of this name: the first one still in the org is reused.
    for (const [key, rec] of this.entries()) {
      if (rec.id === undefined) continue;
      const k = { client_id: rec.id, client_name: name };
      const live = (await clientHandler.findExisting(this.ctx, [k])).get(keyOf(k));
      if (live) {
        log.info(`"${name}" is recorded in ${this.file} as ${rec.id} (${key}); reusing it (pass --new for another).`);
        if (!matchesRegistration(live, name, this.o.redirectUris)) {
          log.warn(`${key}: client ${rec.id}'s redirect URIs are ${strings(live.redirect_uris).join(', ') || '(none)'}, not ${this.o.redirectUris.join(', ')}; it is reused unchanged (pass --new for a client with these).`);
        }
        return this.result(key, rec.id, 'recorded');
      }
      log.warn(`${key}: client ${rec.id} recorded in ${this.file} is no longer in the org (deleted outside okta-bootstrap); marked deleted.`);
      this.journal.record(key, { state: 'deleted' });
      reusable.add(key);
    }

    // 3. A client .env or the environment names (registered by Anypoint, or by an earlier version of this command)
    const known = this.o.known;
    if (known) {
      const k = { client_id: known.clientId, client_name: name };
      if ((await clientHandler.findExisting(this.ctx, [k])).get(keyOf(k))) {
        log.info(
          `AUTHN_CLIENT_ID ${known.clientId} is already registered as "${name}"; reusing it (pass --new for another). ` +
            `${this.file} does not record it, so destroy leaves it in the org.`,
        );
        return { clientId: known.clientId, clientSecret: known.secret, outcome: 'known', file: this.file };
      }
    }
    return this.register(reusable);
  }

  private async register(reusable: Set<string>): Promise<Registration> {
    const { log, name } = this.o;
    const key = freeKey(this.journal.objects, clientKey(name), (k) => reusable.has(k));
    if (this.journal.meta.replay) delete this.journal.meta.replay[key];
    // The clients that match before the request are not the one it makes, whatever happens to its answer; they are
    // written with the intent, for the next run to tell them apart if this one dies before the answer.
    const uris = this.o.redirectUris;
    const existingBefore = (await this.unclaimed(uris, () => false)).map((c) => String(c.client_id));
    this.journal.setValue(key, { client_name: name, redirect_uris: uris, existingBefore } satisfies PendingValue);
    const before = new Set(existingBefore);
    this.lookup = async () => (await this.unclaimed(uris, (c) => before.has(String(c.client_id))))[0];
    log.info(`Registering "${name}" with dynamic client registration (POST ${DCR}), as Anypoint does; recorded in ${this.file} as ${key}`);
    const created = await this.owner.create(this.job(key), (obj) => this.keep(key, obj));
    this.keep(key, created);
    await this.journal.flush();
    return this.result(key, clientHandler.idOf(created), 'registered');
  }

  /**
   * The advice of a failed registration says what the next run really does (the API client's generic 5xx advice
   * speaks of an input's run, which register-client is not).
   */
  withTrueAdvice(e: unknown): unknown {
    if (!(e instanceof BootstrapError)) return e;
    const server = (e.details.status ?? 0) >= 500 || isAmbiguousWriteFailure(e) || e instanceof NetworkError;
    if (!server) return e;
    const pending = this.entries().some(([, r]) => r.state === 'pending');
    e.details.suggestion = pending
      ? `Run the same command again: ${this.file} records the registration as pending, and the next run looks "${this.o.name}" up by name and redirect URIs before it registers again, so it makes no second client.`
      : `Run the same command again: no client was registered by this run.`;
    return e;
  }
}

interface RecordScope {
  api: OktaApi;
  /** The record (register-client.json). */
  file: string;
  /** Its entries: the ids they hold are never another registration's client. */
  objects: Record<string, RecordedObject>;
}

/**
 * Clients with this name and these redirect URIs that `before` does not rule out and that no record of the folder
 * owns (this one included).
 */
export async function unclaimedClients(o: RecordScope & { name: string; redirectUris: string[] }, before: (c: Obj) => boolean): Promise<Obj[]> {
  const owned = new Set<string>();
  for (const r of (await listRecords(dirname(o.file))).records) {
    if (r.file === o.file) continue;
    for (const rec of Object.values(r.meta.objects)) if (rec.objectClass === clientHandler.objectClass && rec.id && rec.state !== 'deleted' && !rec.shared) owned.add(rec.id);
  }
  for (const rec of Object.values(o.objects)) if (rec.id && rec.state !== 'deleted') owned.add(rec.id);
  const all = await o.api.list<Obj>(DCR, { q: o.name, limit: 200 });
  return all.filter((c) => matchesRegistration(c, o.name, o.redirectUris) && !owned.has(String(c.client_id)) && !before(c));
}

/**
 * The client a pending entry of register-client's record registered, if its request reached Okta: the newest
 * client of its name and redirect URIs that matched neither before its request (`existingBefore`, or issued well
 * before the intent) nor belongs to a record. Undefined: that registration never happened (or the entry is not
 * pending). `redirectUris` is the fallback for an entry whose value does not name them.
 */
export async function findPendingRegistration(o: RecordScope & { values: Record<string, unknown> }, key: string, redirectUris: string[] = []): Promise<Obj | undefined> {
  const rec = o.objects[key];
  const name = rec?.naturalKey.client_name;
  if (!rec || rec.state !== 'pending' || rec.id !== undefined || name === undefined) return undefined;
  const intent = pendingValue(o.values[key]);
  const earlier = new Set(intent.existingBefore ?? []);
  const notIt = (c: Obj) => earlier.has(String(c.client_id)) || madeBefore(c, rec.at);
  const found = await unclaimedClients({ ...o, name, redirectUris: intent.redirectUris ?? redirectUris }, notIt);
  return found.sort((a, b) => Number(b.client_id_issued_at ?? 0) - Number(a.client_id_issued_at ?? 0))[0];
}

/** The value of a pending entry's key: what its registration asked for, and the matching clients that existed before. */
interface PendingValue {
  client_name: string;
  redirect_uris: string[];
  existingBefore: string[];
}

function pendingValue(v: unknown): { redirectUris?: string[]; existingBefore?: string[] } {
  if (!isRecord(v)) return {};
  return { redirectUris: Array.isArray(v.redirect_uris) ? strings(v.redirect_uris) : undefined, existingBefore: Array.isArray(v.existingBefore) ? strings(v.existingBefore) : undefined };
}

function secretOf(obj: Obj): string | undefined {
  return typeof obj.client_secret === 'string' && obj.client_secret !== '' ? obj.client_secret : undefined;
}
