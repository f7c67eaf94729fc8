/**
 * Everything the org checks look at, read once before any check runs: the management objects (through the Okta
 * client, independent reads in parallel), the server's public documents (metadata, keys) and one introspection
 * of a made-up token. The checks (src/verify/checks/) are pure functions of this snapshot and the values, so a
 * unit test builds a snapshot by hand with exactly the fault it wants.
 *
 * Conventions: a field is `undefined` when there was nothing to read (no id to look up, or a prerequisite the
 * checks need is not there), and `null` when Okta answered "not found" (404 or E0000007).
 */
import { importJWK, type JWK } from 'jose';
import { introspect, type IntrospectOutcome } from '../gateway/introspect.js';
import type { OktaApi } from '../okta/client.js';
import { isNotFound } from '../okta/handlers/common.js';
import type { AccessPolicy, AccessRule } from './access-policy.js';
import { fetchJson, type AuthServerObj, type GroupObj, type Metadata, type UserObj } from './context.js';
import { LEVELS, type Level, type LevelValues, type Sourced, type VerifyValues } from './values.js';

/** Read-only all the way down: no check can change what another one sees. */
export type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export const AS = '/api/v1/authorizationServers';
export const strip = (u: string): string => u.replace(/\/+$/, '');

export interface AppObj {
  readonly id: string;
  readonly label?: string;
  readonly status?: string;
  readonly settings?: { readonly oauthClient?: { readonly redirect_uris?: readonly string[] } };
}

export interface TrustedOriginObj {
  readonly id: string;
  readonly name?: string;
  readonly origin?: string;
  readonly status?: string;
  readonly scopes?: readonly { readonly type?: string }[];
}

/** A public JSON document as fetched: the HTTP status (0 = no answer) and the parsed body or what went wrong. */
export interface Fetched {
  readonly url: string;
  readonly status: number;
  readonly error?: string;
}

export interface MetadataRead extends Fetched {
  /** The body, when it is a JSON object with a string `issuer`. */
  readonly document?: DeepReadonly<Metadata>;
}

export interface KeyRead {
  readonly jwk: Readonly<JWK>;
  /** Why jose cannot use it as a signing key; absent when it can. */
  readonly problem?: string;
}

export interface KeysRead extends Fetched {
  /** The body's `keys`, when it is an array. */
  readonly keys?: readonly KeyRead[];
}

export interface IntrospectionRead {
  readonly url: string;
  readonly outcome: IntrospectOutcome;
  /** After a 401: the app INTROSPECT_CLIENT_ID names, to tell a wrong id from a wrong secret. */
  readonly client?: Readonly<AppObj> | null;
}

export interface UserRead {
  readonly user: DeepReadonly<UserObj> | null;
  readonly groups: readonly DeepReadonly<GroupObj>[];
  /** The level's group, read only when the user is not in it (to tell "not a member" from "no such group"). */
  readonly group?: DeepReadonly<GroupObj> | null;
}

export interface PolicyRead {
  readonly policy: AccessPolicy;
  readonly rules: readonly AccessRule[];
}

export interface AuthnClientRead {
  readonly app: Readonly<AppObj> | null;
  /** When the app exists: the groups it is assigned to, and the org's Everyone group. */
  readonly assignedGroupIds?: readonly string[];
  readonly everyone?: DeepReadonly<GroupObj>;
}

export interface OrgSnapshot {
  readonly orgUrl: string;
  readonly server?: DeepReadonly<AuthServerObj> | null;
  /** The rest of the server's reads happen only when it is ACTIVE. */
  readonly metadata?: MetadataRead;
  readonly keys?: KeysRead;
  readonly scopes?: readonly { readonly name: string }[];
  readonly policies?: readonly PolicyRead[];
  readonly introspection?: IntrospectionRead;
  readonly users: Readonly<Partial<Record<Level, UserRead>>>;
  readonly authnClient?: AuthnClientRead;
  /** Read when REDIRECT_URI is a URL. */
  readonly trustedOrigins?: readonly TrustedOriginObj[];
}

/** The value that names a level's user: its id from the runs, else the username. */
export const userRef = (L: LevelValues): Sourced | undefined => L.userId ?? L.username;

/** The made-up token the introspection check sends: Okta must answer {"active":false}. */
export const DUMMY_TOKEN = 'okta-bootstrap-verify-not-a-token';

async function getOrNull<T>(api: OktaApi, path: string): Promise<T | null> {
  try {
    return (await api.request<T>('GET', path)).body;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

const enc = encodeURIComponent;

/** Imports each key with jose, as a resource server would; the ones it refuses carry the reason. */
export async function readKeys(list: readonly unknown[]): Promise<KeyRead[]> {
  return Promise.all(
    list.map(async (item): Promise<KeyRead> => {
      const jwk: JWK = typeof item === 'object' && item !== null ? item : {};
      try {
        if (jwk.use && jwk.use !== 'sig') throw new Error(`use ${jwk.use}`);
        await importJWK(jwk, jwk.alg ?? 'RS256');
        return { jwk };
      } catch (e) {
        return { jwk, problem: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
}

async function readServerDocuments(f: typeof fetch, orgUrl: string, id: string): Promise<{ metadata: MetadataRead; keys: KeysRead }> {
  const metaUrl = `${strip(orgUrl)}/oauth2/${enc(id)}/.well-known/oauth-authorization-server`;
  const meta = await fetchJson(f, metaUrl);
  const json: unknown = meta.json;
  const document = typeof json === 'object' && json !== null && 'issuer' in json && typeof json.issuer === 'string' ? (json as Metadata) : undefined;
  const metadata: MetadataRead = { url: metaUrl, status: meta.status, ...(meta.error ? { error: meta.error } : {}), ...(document ? { document } : {}) };
  const keysUrl = document?.jwks_uri ?? `${strip(orgUrl)}/oauth2/${enc(id)}/v1/keys`;
  const k = await fetchJson(f, keysUrl);
  const body: unknown = k.json;
  const list = typeof body === 'object' && body !== null && 'keys' in body && Array.isArray(body.keys) ? (body.keys as unknown[]) : undefined;
  const keys: KeysRead = { url: keysUrl, status: k.status, ...(k.error ? { error: k.error } : {}), ...(list ? { keys: await readKeys(list) } : {}) };
  return { metadata, keys };
}

async function readPolicies(api: OktaApi, serverId: string): Promise<PolicyRead[]> {
  const policies = await api.list<AccessPolicy>(`${AS}/${enc(serverId)}/policies`);
  return Promise.all(policies.map(async (policy) => ({ policy, rules: await api.list<AccessRule>(`${AS}/${enc(serverId)}/policies/${enc(policy.id)}/rules`) })));
}

async function readIntrospection(api: OktaApi, f: typeof fetch, v: VerifyValues): Promise<IntrospectionRead | undefined> {
  if (!v.introspectionUrl || !v.introspectClientId || !v.introspectClientSecret) return undefined;
  const url = v.introspectionUrl.value;
  const outcome = await introspect({ url, clientId: v.introspectClientId.value, clientSecret: v.introspectClientSecret.value, token: DUMMY_TOKEN, fetch: f });
  if (outcome.kind !== 'rejected' || outcome.status !== 401) return { url, outcome };
  return { url, outcome, client: await getOrNull<AppObj>(api, `/api/v1/apps/${enc(v.introspectClientId.value)}`) };
}

async function readUser(api: OktaApi, L: LevelValues): Promise<UserRead | undefined> {
  const ref = userRef(L);
  if (!ref) return undefined;
  const user = await getOrNull<UserObj>(api, `/api/v1/users/${enc(ref.value)}`);
  if (!user) return { user, groups: [] };
  const groups = await api.list<GroupObj>(`/api/v1/users/${enc(user.id)}/groups`);
  const gid = L.groupId?.value;
  if (gid === undefined || groups.some((g) => g.id === gid)) return { user, groups };
  return { user, groups, group: await getOrNull<GroupObj>(api, `/api/v1/groups/${enc(gid)}`) };
}

async function readAuthnClient(api: OktaApi, v: VerifyValues): Promise<AuthnClientRead | undefined> {
  if (!v.authnClientId) return undefined;
  const app = await getOrNull<AppObj>(api, `/api/v1/apps/${enc(v.authnClientId.value)}`);
  if (!app) return { app };
  const [assigned, everyone] = await Promise.all([
    api.list<{ id: string }>(`/api/v1/apps/${enc(app.id)}/groups`),
    api.list<GroupObj>('/api/v1/groups', { q: 'Everyone' }).then((gs) => gs.find((g) => g.type === 'BUILT_IN' || g.profile?.name === 'Everyone')),
  ]);
  return { app, assignedGroupIds: assigned.map((a) => a.id), ...(everyone ? { everyone } : {}) };
}

function isUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

export interface ReadOrgOptions {
  api: OktaApi;
  /** For the public OAuth documents and the introspection call. */
  fetch: typeof fetch;
  orgUrl: string;
  values: VerifyValues;
}

/** Reads the org once, for every org check. */
export async function readOrg(opts: ReadOrgOptions): Promise<OrgSnapshot> {
  const { api, values: v, orgUrl } = opts;
  const serverId = v.serverId?.value;
  const readServer = async () => {
    if (serverId === undefined) return {};
    const server = await getOrNull<AuthServerObj>(api, `${AS}/${enc(serverId)}`);
    if (server?.status !== 'ACTIVE') return { server };
    const [docs, scopes, policies] = await Promise.all([
      readServerDocuments(opts.fetch, orgUrl, serverId),
      api.list<{ name: string }>(`${AS}/${enc(server.id)}/scopes`),
      readPolicies(api, server.id),
    ]);
    return { server, ...docs, scopes, policies };
  };
  const readUsers = async () => {
    const reads = await Promise.all(LEVELS.map(async (lv) => [lv, await readUser(api, v[lv])] as const));
    const users: Partial<Record<Level, UserRead>> = {};
    for (const [lv, r] of reads) if (r) users[lv] = r;
    return users;
  };
  const [server, introspection, users, authnClient, trustedOrigins] = await Promise.all([
    readServer(),
    readIntrospection(api, opts.fetch, v),
    readUsers(),
    readAuthnClient(api, v),
    v.redirectUri && isUrl(v.redirectUri.value) ? api.list<TrustedOriginObj>('/api/v1/trustedOrigins') : undefined,
  ]);
  return { orgUrl, ...server, users, ...(introspection ? { introspection } : {}), ...(authnClient ? { authnClient } : {}), ...(trustedOrigins ? { trustedOrigins } : {}) };
}
