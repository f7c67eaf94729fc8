/**
 * The gateway's decision for one request, as pure functions (the server does the I/O).
 *
 * Statuses follow MuleSoft's documentation of the Mule 4 OAuth token-enforcement policies
 * (docs.mulesoft.com: "OpenID Connect OAuth 2.0 Token Enforcement" and "OAuth 2 Policy Implementation"):
 *   400 no token / token sent both ways / header without "Bearer"
 *   401 the token is not valid (introspection says inactive, or it has expired), or the authorization server
 *       cannot be reached ("error when connecting to the authorization server")
 *   403 scope validation failed, or client ID enforcement failed (the token's client_id is not a client given
 *       access to the API)
 *   500 bad response from the authorization server (here also: it refused the gateway's introspection
 *       credentials, which is a gateway misconfiguration, not the caller's fault)
 * MuleSoft does not document the error body. We send JSON `{"error": <RFC 6750 code>, "description": <one line>}`
 * and, on 401/403, an RFC 6750 `WWW-Authenticate: Bearer error="…"` header.
 */
import type { IntrospectOutcome, IntrospectionResponse } from './introspect.js';
import { scopesOf } from './introspect.js';
import { requiredScopes, type PolicyRule } from './policies.js';

export interface Decision {
  allow: boolean;
  status: number;
  /** RFC 6750 / OAuth error code on denials. */
  error?: string;
  /** One line: why. */
  reason: string;
  user?: string;
  client?: string;
  scopes: string[];
  /** The policy key that set the scope requirement. */
  resource?: string;
}

export function denyBadRequest(reason: string): Decision {
  return { allow: false, status: 400, error: 'invalid_request', reason, scopes: [] };
}

/** A failed introspection call, in gateway terms. `undefined` for an `ok` outcome. */
export function denyForOutcome(outcome: IntrospectOutcome, url: string): Decision | undefined {
  switch (outcome.kind) {
    case 'ok':
      return undefined;
    case 'unreachable':
      return {
        allow: false,
        status: 401,
        error: 'invalid_token',
        reason: `cannot validate the token: the authorization server at ${url} cannot be reached (${outcome.message})`,
        scopes: [],
      };
    case 'rejected':
      return {
        allow: false,
        status: 500,
        error: 'server_error',
        reason:
          outcome.status === 401
            ? `the authorization server refused the gateway's introspection credentials (401 ${outcome.error ?? ''}${outcome.errorDescription ? `: ${outcome.errorDescription}` : ''}); check INTROSPECT_CLIENT_ID and INTROSPECT_CLIENT_SECRET`
            : `the authorization server answered the introspection with ${outcome.status}${outcome.error ? ` ${outcome.error}` : ''}${outcome.errorDescription ? `: ${outcome.errorDescription}` : ''}`,
        scopes: [],
      };
    case 'bad-response':
      return { allow: false, status: 500, error: 'server_error', reason: `bad response from the authorization server: ${outcome.message}`, scopes: [] };
  }
}

export interface AccessInput {
  introspection: IntrospectionResponse;
  method: string;
  path: string;
  rules: PolicyRule[];
  /** Client ID enforcement: the clients given access to the API. */
  allowedClientIds: readonly string[];
  skipClientIdValidation?: boolean;
  /** epoch seconds */
  nowSec: number;
}

function who(r: IntrospectionResponse): string | undefined {
  for (const v of [r.username, r.sub, r.uid]) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

/** Given a successful introspection, decides on activity, expiry, client and scopes, in that order. */
export function decideAccess(input: AccessInput): Decision {
  const r = input.introspection;
  const user = who(r);
  const client = typeof r.client_id === 'string' ? r.client_id : undefined;
  const scopes = scopesOf(r);
  const base = { user, client, scopes };
  if (!r.active) {
    return { ...base, allow: false, status: 401, error: 'invalid_token', reason: 'the token is not active (expired, revoked, or not issued by this authorization server)' };
  }
  if (typeof r.exp === 'number' && r.exp <= input.nowSec) {
    return { ...base, allow: false, status: 401, error: 'invalid_token', reason: `the token expired at ${new Date(r.exp * 1000).toISOString()}` };
  }
  if (!input.skipClientIdValidation && (client === undefined || !input.allowedClientIds.includes(client))) {
    return {
      ...base,
      allow: false,
      status: 403,
      error: 'invalid_client',
      reason: `client ${client ?? '(none)'} has not been given access to this API (client ID enforcement; allowed: ${input.allowedClientIds.join(', ') || 'none'})`,
    };
  }
  const need = requiredScopes(input.rules, input.method, input.path);
  const missing = need.scopes.filter((s) => !scopes.includes(s));
  if (missing.length > 0) {
    return {
      ...base,
      resource: need.resource,
      allow: false,
      status: 403,
      error: 'insufficient_scope',
      reason: `insufficient scope: ${need.resource} needs ${missing.join(' ')} (the token has ${scopes.join(' ') || 'no scopes'})`,
    };
  }
  return { ...base, resource: need.resource, allow: true, status: 200, reason: need.resource ? `allowed by ${need.resource}` : 'allowed (no scope required)' };
}

/** The JSON body and headers of a denial. */
export function denialResponse(d: Decision): { status: number; headers: Record<string, string>; body: { error: string; description: string } } {
  const error = d.error ?? 'access_denied';
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (d.status === 401 || d.status === 403) {
    const q = (s: string) => s.replace(/["\\]/g, "'");
    headers['www-authenticate'] = `Bearer error="${error}", error_description="${q(d.reason)}"`;
  }
  return { status: d.status, headers, body: { error, description: d.reason } };
}

/** The one log line per request: method path → status, user, client, scopes, decision. */
export function logLine(method: string, path: string, d: Decision): string {
  const scopes = d.scopes.length ? d.scopes.join(' ') : '-';
  return `${method} ${path} ${d.status} user=${d.user ?? '-'} client=${d.client ?? '-'} scopes="${scopes}" ${d.allow ? 'ALLOW' : 'DENY'}: ${d.reason}`;
}
