/**
 * bodyLimit / content-type parsing. Bodies are read as text up to options.bodyLimit (default 1 MiB; larger → 413
 * with an Okta error object, see server.ts's error handler). An empty body is no body, whatever its content type
 * (Okta accepts body-less lifecycle POSTs and DELETEs with or without `Content-Type: application/json`). A body
 * is accepted only in the content type its route takes; a body is never parsed as another type than it declares:
 * - the OAuth endpoints' POSTs (token, introspect, revoke, authorize, userinfo: route-path.ts isFormEndpoint) take
 *   only `application/x-www-form-urlencoded`, an object of strings; a repeated key becomes an array, so the OAuth
 *   part can reject repeated parameters as RFC 6749 requires. Any other type → 400 invalid_request (an OAuth error).
 * - every other route (the management API, /api/v1/authn, dynamic client registration) takes only
 *   `application/json`: any other type (text/plain, a form, none) → 415; JSON that does not parse → 400 E0000003.
 * A request that matches no route keeps its body unread: it is answered 404.
 */
import type { FastifyRequest } from 'fastify';
import type { StepFactory } from './types.js';
import { notWellFormed, oauthError, unsupportedMediaType } from '../errors.js';
import { isFormEndpoint, routePattern } from './route-path.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * JSON.parse without `__proto__` keys: JSON.parse makes them own properties, and a later Object.assign or spread
 * into a record would then replace that record's prototype. Okta ignores properties it does not know, so they are
 * dropped.
 */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}

/** 400 invalid_request: the OAuth endpoints take only form bodies (RFC 6749 §5.2 names invalid_request for a
 *  malformed request; https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/ declares the
 *  request bodies `application/x-www-form-urlencoded`). */
const formRequired = () => oauthError(400, 'invalid_request', 'The request body must be sent as application/x-www-form-urlencoded.');

type Done = (err: Error | null, body?: unknown) => void;
const text = (body: string | Buffer): string => (typeof body === 'string' ? body : body.toString('utf8'));

export const bodyStep: StepFactory = (ctx) => ({
  name: 'bodyLimit',
  setup(app) {
    const bodyLimit = ctx.options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const parse = (kind: 'json' | 'form' | 'other') => (req: FastifyRequest, body: string | Buffer, done: Done) => {
      const s = text(body);
      const pattern = routePattern(req);
      if (s === '' || pattern === undefined) return done(null, undefined);
      const form = isFormEndpoint(req.method, pattern);
      if (form) return kind === 'form' ? done(null, parseForm(s)) : done(formRequired());
      if (kind !== 'json') return done(unsupportedMediaType());
      if (s.trim() === '') return done(null, undefined);
      try {
        done(null, parseJson(s));
      } catch {
        done(notWellFormed());
      }
    };
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, parse('json'));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, parse('form'));
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, parse('other'));
  },
});
