/**
 * The OAuth dance the sample app does, headless: `POST /api/v1/authn` → sessionToken → `/v1/authorize`
 * (authorization code + PKCE S256, `sessionToken` parameter, redirects NOT followed: the code is read from the
 * Location header) → `/v1/token` with the app's client credentials. Then the access token is verified with
 * `jose` against the server's `/v1/keys`: signature, `iss`, `aud`, `exp`, and the `scp` claim.
 *
 * These are the public OAuth endpoints and the classic authn API, called without the API token (as a
 * browser-based app would; Okta calls this a "public application" authn call), through the governed transport
 * (src/verify/transport.ts): rate limits, timeouts, no redirect followed.
 * Every failure says at which step and with Okta's error code and description, so verify can explain it.
 *
 * What is repeated after a 5xx, a reset or a timeout:
 * - authn (`POST /api/v1/authn`) by the transport: a repeat only mints another one-time sessionToken
 *   (https://developer.okta.com/docs/reference/api/authn/#primary-authentication);
 * - authorize never by the transport: it consumes the one-time sessionToken;
 * - token never by the transport: an authorization code is single-use (RFC 6749 §4.1.2; Okta revokes what a
 *   replayed code issued).
 * Instead the whole dance starts again with a new sessionToken and a new code, up to DANCE_ATTEMPTS times.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { basicAuth } from '../gateway/introspect.js';
import { connectionErrorCode, createGovernor, type GovernedInit } from '../okta/governor.js';
import { errorOfPage } from './error-page.js';
import { oauthFetch, type VerifyFetch } from './transport.js';

/** Attempts of the whole dance when a step got no answer or a 5xx (each attempt signs in anew). */
export const DANCE_ATTEMPTS = 4;

export type DanceStep = 'authn' | 'authorize' | 'token';

export interface DanceInput {
  orgUrl: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  username: string;
  password: string;
  /** e.g. ["openid", "http://myapp.com/scp/silver"] */
  scopes: string[];
  /** The transport; default: a governed one of its own (src/verify/transport.ts). */
  fetch?: VerifyFetch;
}

export interface DanceTokens {
  accessToken: string;
  idToken?: string;
  /** The `scope` of the token response, split. */
  scopes: string[];
  expiresIn?: number;
}

export type DanceResult =
  | { ok: true; tokens: DanceTokens }
  | {
      ok: false;
      step: DanceStep;
      /** HTTP status of the failing call, when there was an answer. */
      status?: number;
      /** Okta errorCode (authn) or OAuth `error`. */
      error?: string;
      description?: string;
      /** authn answered 200 with a status other than SUCCESS (MFA_REQUIRED, PASSWORD_EXPIRED, …). */
      authnStatus?: string;
      message: string;
    };

interface Answer {
  status: number;
  headers: Headers;
  json?: Record<string, unknown>;
  text: string;
}

async function call(f: VerifyFetch, url: string, init: GovernedInit): Promise<Answer | { unreachable: string }> {
  try {
    const res = await f(url, { ...init, redirect: 'manual' });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  } catch (e) {
    return { unreachable: connectionErrorCode(e) ?? (e instanceof Error ? e.message : String(e)) };
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Step 1: the classic authn API. */
export async function authn(f: VerifyFetch, orgUrl: string, username: string, password: string): Promise<{ ok: true; sessionToken: string } | Extract<DanceResult, { ok: false }>> {
  const r = await call(f, `${orgUrl.replace(/\/+$/, '')}/api/v1/authn`, {
    method: 'POST',
    idempotent: true,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password, options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: false } }),
  });
  if ('unreachable' in r) return { ok: false, step: 'authn', message: `POST /api/v1/authn: no answer (${r.unreachable})` };
  const sessionToken = str(r.json?.sessionToken);
  if (r.status === 200 && r.json?.status === 'SUCCESS' && sessionToken) return { ok: true, sessionToken };
  if (r.status === 200) {
    const s = str(r.json?.status) ?? '(none)';
    return { ok: false, step: 'authn', status: 200, authnStatus: s, message: `POST /api/v1/authn answered status ${s}, not SUCCESS` };
  }
  // Okta's error body carries errorCode and errorSummary as strings: https://developer.okta.com/docs/reference/error-codes/
  const error = str(r.json?.errorCode);
  const description = str(r.json?.errorSummary);
  return {
    ok: false,
    step: 'authn',
    status: r.status,
    error,
    description,
    message: `POST /api/v1/authn → ${r.status}${error ? ` ${error}` : ''}${description ? ` ${description}` : ''}`,
  };
}

/** A failure that another attempt may not have: no answer, or a server error, at any step. */
function transient(r: DanceResult): boolean {
  return !r.ok && (r.status === undefined || r.status >= 500);
}

export async function runDance(input: DanceInput): Promise<DanceResult> {
  const f = input.fetch ?? oauthFetch(createGovernor());
  let r = await danceOnce(input, f);
  for (let attempt = 1; attempt < DANCE_ATTEMPTS && transient(r); attempt++) r = await danceOnce(input, f);
  return r;
}

async function danceOnce(input: DanceInput, f: VerifyFetch): Promise<DanceResult> {
  const a = await authn(f, input.orgUrl, input.username, input.password);
  if (!a.ok) return a;

  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('base64url');
  const issuer = input.issuer.replace(/\/+$/, '');
  const q = new URLSearchParams({
    client_id: input.clientId,
    response_type: 'code',
    response_mode: 'query',
    scope: input.scopes.join(' '),
    redirect_uri: input.redirectUri,
    state,
    nonce: randomBytes(12).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    sessionToken: a.sessionToken,
  });
  const az = await call(f, `${issuer}/v1/authorize?${q.toString()}`, { method: 'GET', idempotent: false, headers: { Accept: 'text/html,application/json' } });
  if ('unreachable' in az) return { ok: false, step: 'authorize', message: `GET ${issuer}/v1/authorize: no answer (${az.unreachable})` };
  const location = az.headers.get('location');
  if (az.status < 300 || az.status >= 400 || !location) {
    // A request Okta will not send back to the client (unknown client_id, unregistered redirect_uri) is an HTML page.
    const page = az.json === undefined && /text\/html/i.test(az.headers.get('content-type') ?? '') ? errorOfPage(az.text) : {};
    const error = str(az.json?.error) ?? str(az.json?.errorCode) ?? page.error;
    const description = str(az.json?.error_description) ?? str(az.json?.errorSummary) ?? page.description;
    return {
      ok: false,
      step: 'authorize',
      status: az.status,
      error,
      description,
      message: `GET /v1/authorize → ${az.status} without a redirect${error ? `: ${error}` : ''}${description ? ` ${description}` : ''}`,
    };
  }
  const back = new URL(location, input.redirectUri);
  const params = back.hash.length > 1 && !back.searchParams.has('code') && !back.searchParams.has('error') ? new URLSearchParams(back.hash.slice(1)) : back.searchParams;
  const azError = params.get('error');
  if (azError) {
    return { ok: false, step: 'authorize', status: az.status, error: azError, description: params.get('error_description') ?? undefined, message: `/v1/authorize redirected with error=${azError}: ${params.get('error_description') ?? ''}` };
  }
  const code = params.get('code');
  if (!code) return { ok: false, step: 'authorize', status: az.status, message: `/v1/authorize redirected to ${back.origin}${back.pathname} without a code` };
  if (params.get('state') !== state) return { ok: false, step: 'authorize', status: az.status, message: '/v1/authorize returned a different state' };

  const tk = await call(f, `${issuer}/v1/token`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basicAuth(input.clientId, input.clientSecret) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: input.redirectUri, code_verifier: verifier }).toString(),
  });
  if ('unreachable' in tk) return { ok: false, step: 'token', message: `POST ${issuer}/v1/token: no answer (${tk.unreachable})` };
  const accessToken = str(tk.json?.access_token);
  if (tk.status !== 200 || !accessToken) {
    const error = str(tk.json?.error) ?? str(tk.json?.errorCode);
    const description = str(tk.json?.error_description) ?? str(tk.json?.errorSummary);
    return { ok: false, step: 'token', status: tk.status, error, description, message: `POST /v1/token → ${tk.status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}` };
  }
  return {
    ok: true,
    tokens: {
      accessToken,
      idToken: str(tk.json?.id_token),
      scopes: (str(tk.json?.scope) ?? '').split(' ').filter(Boolean),
      expiresIn: typeof tk.json?.expires_in === 'number' ? tk.json.expires_in : undefined,
    },
  };
}

export type TokenCheck =
  | { ok: true; claims: JWTPayload; kid?: string }
  | { ok: false; what: 'keys' | 'signature' | 'iss' | 'aud' | 'exp' | 'scp' | 'format'; message: string; claims?: JWTPayload };

export interface TokenCheckInput {
  token: string;
  jwks: JSONWebKeySet;
  issuer: string;
  /** The server's audiences; the token's `aud` must be one of them (skipped when empty). */
  audiences: string[];
  requiredScopes: string[];
  /** epoch ms, for tests */
  now?: number;
}

/** Verifies an access token as a resource server would: signature against the JWKS, iss, aud, exp, scp. */
export async function checkAccessToken(input: TokenCheckInput): Promise<TokenCheck> {
  let claims: JWTPayload | undefined;
  try {
    claims = decodeJwt(input.token);
  } catch (e) {
    return { ok: false, what: 'format', message: `the access token is not a JWT: ${(e as Error).message}` };
  }
  try {
    const { payload } = await jwtVerify(input.token, createLocalJWKSet(input.jwks), {
      issuer: input.issuer,
      audience: input.audiences.length ? input.audiences : undefined,
      currentDate: input.now !== undefined ? new Date(input.now) : undefined,
    });
    claims = payload;
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) return { ok: false, what: 'exp', message: `the token expired (exp ${String(claims.exp)})`, claims };
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      const what = e.claim === 'iss' ? 'iss' : e.claim === 'aud' ? 'aud' : 'format';
      const got = e.claim === 'iss' ? String(claims.iss) : e.claim === 'aud' ? JSON.stringify(claims.aud) : e.claim;
      const want = e.claim === 'iss' ? input.issuer : e.claim === 'aud' ? input.audiences.join(' or ') : '';
      return { ok: false, what, message: `${e.claim} is ${got}${want ? `, expected ${want}` : ''} (${e.message})`, claims };
    }
    if (e instanceof joseErrors.JWKSNoMatchingKey) return { ok: false, what: 'keys', message: `no key in /v1/keys matches the token's kid`, claims };
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, what: 'signature', message: 'the signature does not verify against /v1/keys', claims };
    return { ok: false, what: 'format', message: (e as Error).message, claims };
  }
  const scp = Array.isArray(claims.scp) ? claims.scp.filter((s): s is string => typeof s === 'string') : [];
  const missing = input.requiredScopes.filter((s) => !scp.includes(s));
  if (missing.length) return { ok: false, what: 'scp', message: `scp is [${scp.join(', ')}], it lacks ${missing.join(' ')}`, claims };
  return { ok: true, claims, kid: decodeProtectedHeader(input.token).kid };
}
