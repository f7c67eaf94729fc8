/**
 * verify's OAuth calls (metadata, keys, authn, authorize, token, introspect) go through the run's governor, like
 * every management call: rate-limit pacing and 429 waits, the request timeout, no redirect followed, and retries
 * of what may be repeated. They never carry the SSWS API token (the governor's plain path refuses one): each
 * OAuth call brings its own client authentication.
 *
 * What may be repeated after a 5xx, a reset or a timeout:
 * - GET (metadata, keys) — the governor's default;
 * - POST /v1/introspect — introspection only reads the token's state (RFC 7662 §2,
 *   https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/introspectCustomAS);
 * - the dance marks its own calls (src/verify/dance.ts): authn may be repeated, authorize and token never.
 */
import { plainHttpProblem } from '../core/config.js';
import type { GovernedInit, Governor } from '../okta/governor.js';

/** A fetch whose init may say whether the request may be repeated and its timeout (GovernedInit). */
export type VerifyFetch = (url: string, init?: GovernedInit) => Promise<Response>;

export function oauthFetch(governor: Governor, timeoutMs?: number): typeof fetch {
  return async (input: string | URL | Request, init?: GovernedInit): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('oauthFetch takes a URL, not a Request');
    const url = new URL(input);
    // Client secrets, passwords and tokens travel on these calls: the same rule as for the API token.
    const problem = plainHttpProblem(url);
    if (problem) throw new Error(`refusing to call ${url.origin}: ${problem}`);
    const method = (init?.method ?? 'GET').toUpperCase();
    const introspection = method === 'POST' && /\/v1\/introspect$/.test(url.pathname);
    return governor.fetch(url.href, {
      ...init,
      idempotent: init?.idempotent ?? (introspection ? true : undefined),
      timeoutMs: init?.timeoutMs ?? timeoutMs,
    });
  };
}
