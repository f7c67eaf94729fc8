import { listedHandler } from './common.js';
import type { BodyProblem, Handler, Obj } from './types.js';

/** The schemes Okta accepts for a trusted origin (help.okta.com, "Configure Trusted Origins"). */
const SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ionic:', 'capacitor:']);

/**
 * A trusted origin is "the URI scheme, hostname, and port number of a page" (Okta's docs), so a URL with a path,
 * such as a redirect URI http://localhost:8080/callback, stands for its origin http://localhost:8080. The spec and
 * the docs do not say whether Okta trims a path or refuses it; we send the origin alone so that either way the org
 * holds the same object and a re-run finds it by the same natural key. Values that are not URLs are left as they
 * are (check() reports them).
 */
function originOf(v: unknown): unknown {
  if (typeof v !== 'string' || !URL.canParse(v)) return v;
  const u = new URL(v);
  if (!SCHEMES.has(u.protocol) || !u.host) return v;
  return `${u.protocol}//${u.host}`;
}

function checkOrigin(body: Obj): BodyProblem[] {
  const origin = body.origin;
  const ok = typeof origin === 'string' && URL.canParse(origin) && SCHEMES.has(new URL(origin).protocol) && new URL(origin).host !== '';
  return ok
    ? []
    : [{
        path: 'origin',
        message: `${JSON.stringify(origin)} is not an origin (scheme://host[:port] with scheme http, https, ftp, ionic or capacitor); Okta refuses it`,
        suggestion: 'Give a full URL such as http://localhost:8080 (check the value it comes from, such as REDIRECT_URI).',
      }];
}

const listed = listedHandler({
  objectClass: 'okta:trusted_origin',
  destroyRank: 8,
  keyField: 'origin',
  collection: () => '/api/v1/trustedOrigins',
  writable: ['name', 'origin', 'scopes'],
  listQuery: { limit: 200 },
});

/** okta:trusted_origin — /api/v1/trustedOrigins, natural key `origin` (Okta keeps origins unique). */
export const trustedOriginHandler: Handler = {
  ...listed,
  prepare: (body) => ('origin' in body ? { ...body, origin: originOf(body.origin) } : body),
  check: checkOrigin,
  // Okta keeps one trusted origin per origin (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/TrustedOrigin/),
  // so two inputs that need the same origin must use one object. Its `name` is a label only (ours carries the TAG
  // of the set that made it): we chose not to count it, so a run whose name differs still uses the origin.
  shareable: { ignoredFields: ['name'] },
};
