/**
 * The local gateway for the local-validation kinds (kong, aws, tyk, apigee, mulesoft_jwt): validates the access
 * token itself, the way that gateway does, from the configuration file get-settings generated (kinds.ts), then
 * proxies to the upstream (by default the built-in solar-system API).
 *
 * Per request: Bearer token from the Authorization header → signature against the JWKS (the JWKS URI in the file,
 * or the issuer's discovery document's jwks_uri for Kong and AWS, whose issuer must equal the configured one),
 * refetched at once when the token's `kid` is unknown (Okta rotates its keys:
 * https://developer.okta.com/docs/concepts/key-rotation/) → RS256 only → `iss` and `aud` exact → `exp`/`nbf` with
 * the kind's clock skew → the kind's authorization step (scopes) → upstream. Signature and claims use jose.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { ConfigError } from '../core/errors.js';
import { introspect } from './introspect.js';
import { loadKindProfile, scopesFrom, type Failure, type JwtKind, type KindProfile } from './kinds.js';
import { buildSolarSystemApi } from './solar-system.js';
import { badGateway, builtinUpstream, httpUpstream, listenOn, proxyApp, type GatewayLogEntry, type Upstream, type UpstreamAnswer } from './server.js';

export interface JwtGatewayOptions {
  kind: JwtKind;
  /** The generated file (apigee: the apiproxy/ folder); or an already-read profile. */
  config: string | KindProfile;
  /** 0 = any free port. Default 8081. */
  port?: number;
  host?: string;
  upstream?: string;
  /** Clock for exp/nbf, epoch ms. Default Date.now. */
  now?: () => number;
  onLog?: (line: string, entry: GatewayLogEntry) => void;
  /** Resolves decK environment references in the file (Kong introspection credentials). Default: none set. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface RunningJwtGateway {
  url: string;
  kind: JwtKind;
  profile: KindProfile;
  log: GatewayLogEntry[];
  /** How many times the JWKS was fetched (a rotation shows as a refetch). */
  jwksFetches(): number;
  close(): Promise<void>;
}

export interface Verified {
  ok: true;
  claims: JWTPayload;
}
export interface Rejected {
  ok: false;
  failure: Failure;
  detail: string;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** jose's error codes (https://github.com/panva/jose/blob/main/docs/util/errors) in gateway terms. */
function failureOf(e: unknown): Rejected {
  const err = e as { code?: string; claim?: string; message?: string };
  const detail = err.message ?? String(e);
  switch (err.code) {
    case 'ERR_JWT_EXPIRED':
      return { ok: false, failure: 'expired', detail };
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return { ok: false, failure: 'unknown_key', detail: `${detail} (refetched the JWKS: no key has the token's kid)` };
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return { ok: false, failure: 'bad_signature', detail };
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (err.claim === 'iss') return { ok: false, failure: 'bad_issuer', detail };
      if (err.claim === 'aud') return { ok: false, failure: 'bad_audience', detail };
      if (err.claim === 'nbf') return { ok: false, failure: 'not_yet_valid', detail };
      return { ok: false, failure: 'malformed', detail };
    default:
      return { ok: false, failure: 'malformed', detail };
  }
}

interface Keys {
  get(): Promise<ReturnType<typeof createRemoteJWKSet>>;
  fetches(): number;
}

/** The JWKS of the profile: direct, or through the issuer's discovery document (fetched once). */
function keysOf(profile: KindProfile): Keys {
  let fetches = 0;
  const counting: typeof fetch = (input, init) => {
    fetches++;
    return fetch(input, init);
  };
  let set: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const make = (uri: string) =>
    // A custom fetch only to count the JWKS fetches; no cooldown, so an unknown kid refetches at once.
    createRemoteJWKSet(new URL(uri), { cooldownDuration: 0, [customFetch]: counting });
  return {
    fetches: () => fetches,
    get() {
      if (!set) {
        const keys = profile.keys;
        set =
          'jwksUri' in keys
            ? Promise.resolve(make(keys.jwksUri))
            : (async () => {
                const res = await fetch(keys.discovery);
                if (!res.ok) throw new Error(`the discovery document ${keys.discovery} answered ${res.status}`);
                const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
                if (profile.issuer !== undefined && doc.issuer !== profile.issuer) {
                  throw new Error(`the discovery document's issuer ${String(doc.issuer)} is not the configured issuer ${profile.issuer}`);
                }
                if (typeof doc.jwks_uri !== 'string') throw new Error(`the discovery document ${keys.discovery} has no jwks_uri`);
                return make(doc.jwks_uri);
              })();
        set.catch(() => {
          set = undefined;
        });
      }
      return set;
    },
  };
}

/** Verifies a token as the profile's gateway does. Pure apart from the JWKS fetches. */
export async function verifyToken(profile: KindProfile, keys: Keys, token: string, nowMs: number): Promise<Verified | Rejected> {
  try {
    decodeJwt(token);
  } catch (e) {
    return { ok: false, failure: 'malformed', detail: (e as Error).message };
  }
  let jwks: Awaited<ReturnType<Keys['get']>>;
  try {
    jwks = await keys.get();
  } catch (e) {
    return { ok: false, failure: 'unknown_key', detail: `cannot get the signing keys: ${(e as Error).message}` };
  }
  try {
    const { payload } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      ...(profile.issuer !== undefined ? { issuer: profile.issuer } : {}),
      ...(profile.audiences.length > 0 ? { audience: profile.audiences } : {}),
      clockTolerance: profile.clockSkewSec,
      currentDate: new Date(nowMs),
    });
    return { ok: true, claims: payload };
  } catch (e) {
    return failureOf(e);
  }
}

const DECK_ENV = /^\$\{\{\s*env\s+"([A-Z0-9_]+)"\s*\}\}$/;

/** A decK `${{ env "DECK_X" }}` reference resolved from `env` (decK reads only DECK_-prefixed variables). */
export function resolveDeckRef(value: string, env: Readonly<Record<string, string | undefined>>): string {
  const m = DECK_ENV.exec(value);
  if (!m?.[1]) return value;
  const v = env[m[1]];
  if (v === undefined || v === '') {
    throw new ConfigError(`The Kong file references ${m[1]}, which is not set.`, { suggestion: `Set ${m[1]} in the gateway's environment, as for \`deck gateway sync\`.` });
  }
  return v;
}

/** Kong's introspection mode: Okta's answer in place of local validation (active, iss, aud, exp checked here too). */
async function introspectToken(profile: KindProfile, creds: { url: string; clientId: string; clientSecret: string }, token: string, nowMs: number): Promise<Verified | Rejected> {
  const outcome = await introspect({ url: creds.url, clientId: creds.clientId, clientSecret: creds.clientSecret, token });
  if (outcome.kind !== 'ok') return { ok: false, failure: 'unknown_key', detail: `introspection at ${creds.url} failed (${outcome.kind})` };
  const r = outcome.body;
  if (!r.active) return { ok: false, failure: 'bad_signature', detail: 'introspection says the token is not active' };
  if (typeof r.exp === 'number' && r.exp + profile.clockSkewSec <= nowMs / 1000) return { ok: false, failure: 'expired', detail: 'the token has expired' };
  if (profile.issuer !== undefined && r.iss !== undefined && r.iss !== profile.issuer) return { ok: false, failure: 'bad_issuer', detail: `iss ${r.iss} is not ${profile.issuer}` };
  const aud = Array.isArray(r.aud) ? r.aud : [r.aud];
  if (profile.audiences.length > 0 && !aud.some((a) => typeof a === 'string' && profile.audiences.includes(a))) return { ok: false, failure: 'bad_audience', detail: `aud ${JSON.stringify(r.aud)} is not ${profile.audiences.join(', ')}` };
  return { ok: true, claims: r };
}

export async function startJwtGateway(opts: JwtGatewayOptions): Promise<RunningJwtGateway> {
  const profile = typeof opts.config === 'string' ? await loadKindProfile(opts.kind, opts.config) : opts.config;
  const env = opts.env ?? {};
  const creds = profile.introspection && {
    url: profile.introspection.url,
    clientId: resolveDeckRef(profile.introspection.clientId, env),
    clientSecret: resolveDeckRef(profile.introspection.clientSecret, env),
  };
  const now = opts.now ?? Date.now;
  const keys = keysOf(profile);
  const log: GatewayLogEntry[] = [];
  const api = opts.upstream ? undefined : buildSolarSystemApi();
  const upstream: Upstream = api ? builtinUpstream(api) : httpUpstream(opts.upstream ?? '');

  const app = proxyApp();

  function record(req: FastifyRequest, status: number, allow: boolean, reason: string, claims?: JWTPayload, resource?: string): void {
    const path = req.url.split('?')[0] ?? '/';
    const user = typeof claims?.sub === 'string' ? claims.sub : undefined;
    const client = typeof claims?.cid === 'string' ? claims.cid : undefined;
    const scopes = claims ? scopesFrom(claims, profile.scopeClaim) : [];
    const entry: GatewayLogEntry = { at: new Date(now()).toISOString(), method: req.method, path, status, decision: allow ? 'allow' : 'deny', reason, user, client, scopes, resource, cached: false };
    log.push(entry);
    opts.onLog?.(`${req.method} ${path} ${status} [${profile.kind}] user=${user ?? '-'} client=${client ?? '-'} scopes="${scopes.join(' ') || '-'}" ${allow ? 'ALLOW' : 'DENY'}: ${reason}`, entry);
  }

  function deny(req: FastifyRequest, reply: FastifyReply, failure: Failure, detail: string, claims?: JWTPayload, resource?: string) {
    const r = profile.respond(failure, detail);
    record(req, r.status, false, `${failure}: ${detail}`, claims, resource);
    return reply.code(r.status).headers(r.headers).send(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
  }

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    const url = new URL(req.url, 'http://gateway.local');
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
    if (!m?.[1]) return deny(req, reply, 'missing_token', header === undefined ? 'no Authorization header' : 'the Authorization header is not "Bearer <token>"');
    const v = creds ? await introspectToken(profile, creds, m[1], now()) : await verifyToken(profile, keys, m[1], now());
    if (!v.ok) return deny(req, reply, v.failure, v.detail);
    const a = profile.authorize(v.claims, req.method, url.pathname);
    if (!a.ok) return deny(req, reply, a.failure, a.detail, v.claims, a.resource);
    let answer: UpstreamAnswer;
    try {
      answer = await upstream(req);
    } catch (e) {
      const reason = `the upstream ${opts.upstream ?? 'solar-system API'} cannot be reached: ${(e as Error).message}`;
      record(req, 502, false, reason, v.claims, a.resource);
      return badGateway(reply, reason);
    }
    record(req, answer.status, true, a.resource ? `allowed by ${a.resource}` : 'allowed (no scope required)', v.claims, a.resource);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  }

  const url = await listenOn(app, handle, opts);
  return {
    url,
    kind: opts.kind,
    profile,
    log,
    jwksFetches: () => keys.fetches(),
    async close() {
      await app.close();
      await api?.close();
    },
  };
}
