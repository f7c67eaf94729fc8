/**
 * The tenant's state and its persistence.
 *
 * - In memory only when there is no state path.
 * - With a state path: every `mutate(fn)` takes the lock file (`<state>.lock`, see lock.ts), reloads the
 *   file if another process changed it, applies `fn` to that latest state, writes the whole document to a
 *   temp file, fsyncs it and renames it over the state file (writeFileAtomic). So two processes (two
 *   `local serve`, or a serve and an embedded tenant) never lose each other's writes, and readers never see
 *   a torn file.
 * - `read()` is cheap: one stat; the file is parsed again only when its inode, size or mtime changed.
 *
 * Handlers must validate before they change anything: a `fn` that throws after a partial change leaves
 * that change in memory (the file-backed store reloads from disk in that case; the in-memory store cannot).
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { writeFileAtomic } from '../core/fs.js';
import { ConfigError } from '../core/errors.js';
import { withFileLock } from './lock.js';
import { derivedId, newApiToken, newId, newKid, nowIso } from './ids.js';
import type { AuthServerRecord, TenantState } from './types.js';
import { ensureSystemScopes, systemScopeRecords } from './system-scopes.js';

export interface TenantStore {
  readonly statePath: string | undefined;
  /** The current state (reloaded first if the file changed on disk). Do not modify it: use mutate(). */
  read(): TenantState;
  /** Applies `fn` to the latest state and persists the result atomically; serialised in-process and across processes. */
  mutate<T>(fn: (state: TenantState) => T): Promise<T>;
  /** Waits for pending writes. */
  flush(): Promise<void>;
}

/**
 * The alias Okta accepts in paths for the org's default custom authorization server, which has a real `aus…` id
 * like any other ("It allows you to specify `default` instead of the `authorizationServerId` in requests to it",
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/). Its issuer is
 * `{org}/oauth2/default` (https://developer.okta.com/docs/concepts/auth-servers/#default-custom-authorization-server).
 */
export const DEFAULT_AUTH_SERVER_ALIAS = 'default';

/**
 * The authorization server a path names: by its id, or by the alias of the default server. Every route that takes
 * an `authServerId` resolves it here, so `/api/v1/authorizationServers/default/...`, `/oauth2/default/v1/...` and
 * `/oauth2/default/.well-known/...` reach the same record as its `aus…` id.
 */
export function findAuthServer(state: TenantState, idOrAlias: string): AuthServerRecord | undefined {
  return byId(state.authorizationServers, idOrAlias) ?? Object.values(state.authorizationServers).find((s) => s.alias !== undefined && s.alias === idOrAlias);
}

/** The issuer of a server: `{org}/oauth2/{alias}` for the default server, `{org}/oauth2/{id}` for the others. */
export function issuerPath(s: AuthServerRecord): string {
  return `/oauth2/${s.alias ?? s.id}`;
}

export function newAuthServerRecord(
  id: string,
  fields: { name: string; description?: string; audiences: string[]; issuerMode?: 'ORG_URL' | 'DYNAMIC' },
  now = nowIso(),
): AuthServerRecord {
  return {
    id,
    name: fields.name,
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    audiences: fields.audiences,
    issuerMode: fields.issuerMode ?? 'ORG_URL',
    status: 'ACTIVE',
    kid: newKid(),
    lastRotated: now,
    created: now,
    lastUpdated: now,
    scopes: systemScopeRecords(id, now),
    claims: {},
    policies: {},
  };
}

/** A fresh org: the `default` authorization server, the built-in Everyone group, a new API token. */
export function initialState(apiToken = newApiToken()): TenantState {
  const now = nowIso();
  const everyone = newId('00g');
  const defaultServer: AuthServerRecord = {
    ...newAuthServerRecord(newId('aus'), { name: 'default', description: 'Default Authorization Server for your Applications', audiences: ['api://default'] }, now),
    alias: DEFAULT_AUTH_SERVER_ALIAS,
  };
  return {
    version: 1,
    apiToken,
    created: now,
    adminUserId: newId('00u'),
    userTypeId: newId('oty'),
    everyoneGroupId: everyone,
    authorizationServers: { [defaultServer.id]: defaultServer },
    groups: {
      [everyone]: {
        id: everyone,
        type: 'BUILT_IN',
        profile: { name: 'Everyone', description: 'All users in your organization' },
        created: now,
        lastUpdated: now,
        lastMembershipUpdated: now,
      },
    },
    users: {},
    apps: {},
    trustedOrigins: {},
    oauth: {},
  };
}

function parseState(text: string, path: string): TenantState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`The local tenant state ${path} is not valid JSON: ${(e as Error).message}`, {
      suggestion: `Run "okta-bootstrap local reset --state ${path}" to start a new org.`,
    });
  }
  const s = parsed as Partial<TenantState> | null;
  if (!s || typeof s !== 'object' || s.version !== 1 || typeof s.apiToken !== 'string' || typeof s.authorizationServers !== 'object') {
    throw new ConfigError(`${path} is not a local tenant state file (version 1).`, {
      suggestion: `Run "okta-bootstrap local reset --state ${path}" to start a new org.`,
    });
  }
  s.oauth ??= {};
  const state = s as TenantState;
  migrateDefaultServerId(state);
  for (const server of Object.values(state.authorizationServers)) ensureSystemScopes(server);
  return state;
}

/**
 * A state file written before the default server had a real id stored it under the id `default`. It gets a real
 * `aus…` id, derived from the org's creation time so every process that reads the file before it is written again
 * agrees on it (and the next write keeps it), and the alias. Tokens and signing keys the OAuth part recorded for
 * the old id no longer validate, as after a key rotation.
 */
function migrateDefaultServerId(state: TenantState): void {
  const old = byId(state.authorizationServers, DEFAULT_AUTH_SERVER_ALIAS);
  if (!old || old.id !== DEFAULT_AUTH_SERVER_ALIAS) return;
  const id = derivedId('aus', state.created, DEFAULT_AUTH_SERVER_ALIAS);
  delete state.authorizationServers[DEFAULT_AUTH_SERVER_ALIAS];
  state.authorizationServers[id] = { ...old, id, alias: DEFAULT_AUTH_SERVER_ALIAS };
}

interface Stamp {
  ino: number;
  size: number;
  mtimeMs: number;
}
const stampOf = (st: Stats): Stamp => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
const sameStamp = (a: Stamp | undefined, b: Stamp) => !!a && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

class MemoryStore implements TenantStore {
  readonly statePath = undefined;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private state: TenantState) {}
  read(): TenantState {
    return this.state;
  }
  mutate<T>(fn: (state: TenantState) => T): Promise<T> {
    const run = () => fn(this.state);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
  async flush(): Promise<void> {
    await this.queue;
  }
}

class FileStore implements TenantStore {
  private state!: TenantState;
  private stamp: Stamp | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lockPath: string;

  constructor(readonly statePath: string) {
    this.lockPath = `${statePath}.lock`;
  }

  /** Loads the file, or creates a fresh org in it (under the lock, so two starters agree on one token). */
  async open(): Promise<void> {
    await withFileLock(this.lockPath, async () => {
      if (!this.reloadIfChanged()) {
        this.state = initialState();
        await this.write();
      }
    });
  }

  /** Returns false when there is no file. */
  private reloadIfChanged(): boolean {
    let st: Stats | undefined;
    try {
      st = statSync(this.statePath, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    if (!st) return false;
    const stamp = stampOf(st);
    if (sameStamp(this.stamp, stamp)) return true;
    const text = readFileSync(this.statePath, 'utf8');
    this.state = parseState(text, this.statePath);
    // Stat again after reading: if a writer renamed in between, the next read reloads once more.
    this.stamp = stamp;
    return true;
  }

  private async write(): Promise<void> {
    await writeFileAtomic(this.statePath, JSON.stringify(this.state));
    this.stamp = stampOf(statSync(this.statePath));
  }

  read(): TenantState {
    if (!this.reloadIfChanged() && !this.state) this.state = initialState();
    return this.state;
  }

  mutate<T>(fn: (state: TenantState) => T): Promise<T> {
    const run = () =>
      withFileLock(this.lockPath, async () => {
        this.reloadIfChanged();
        try {
          const result = fn(this.state);
          await this.write();
          return result;
        } catch (e) {
          this.stamp = undefined; // forget a half-applied or unwritten change: reload from disk
          this.reloadIfChanged();
          throw e;
        }
      });
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async flush(): Promise<void> {
    await this.queue;
  }
}

export async function openStore(statePath?: string): Promise<TenantStore> {
  if (!statePath) return new MemoryStore(initialState());
  const store = new FileStore(statePath);
  await store.open();
  return store;
}

/** Reads a state file without a server (for `local info`); undefined when there is none. */
export function readStateFile(statePath: string): TenantState | undefined {
  let text: string;
  try {
    text = readFileSync(statePath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseState(text, statePath);
}

/**
 * `local reset`: a fresh org in the state file. The API token is kept, so .env files and running
 * `local serve` processes (which re-read the file) keep working; pass `newToken` to rotate it.
 */
export async function resetStateFile(statePath: string, opts: { newToken?: boolean } = {}): Promise<TenantState> {
  return withFileLock(`${statePath}.lock`, async () => {
    let old: TenantState | undefined;
    try {
      old = readStateFile(statePath);
    } catch {
      old = undefined; // a corrupt file is exactly what reset is for
    }
    const fresh = initialState(opts.newToken || !old ? undefined : old.apiToken);
    if (old?.orgUrl) fresh.orgUrl = old.orgUrl;
    await writeFileAtomic(statePath, JSON.stringify(fresh));
    return fresh;
  });
}

/**
 * The record stored under `id` in one of the state's id-keyed maps, or undefined. Own properties only: the maps
 * are plain objects (the state is one JSON document), so `state.groups['__proto__']` or `['constructor']` would
 * otherwise find Object.prototype or Object itself, and a later update would write to every object. Every lookup
 * by an id a client sent goes through here.
 */
export function byId<T>(map: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(map, id) ? map[id] : undefined;
}
