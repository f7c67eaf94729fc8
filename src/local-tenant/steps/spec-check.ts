/**
 * specCheck (options.specCheck): validates every request body and every response body against Okta's spec
 * (src/spec/validator.ts over the committed fixture) and records violations on the request's log entry.
 * Tests assert there are none. Off by default: it costs a JSON parse and a schema check per response.
 *
 * Error statuses the spec leaves out: 401 E0000011 applies to every operation (https://developer.okta.com/docs/reference/error-codes/, the spec's
 * ErrorInvalidToken401), and Okta answers other 4xx that an operation does not list (e.g. 400 for a bad
 * `search` on listGroups, 413 for an oversized body). For a 4xx the operation does not declare, the body is
 * checked against the operation's declared error schema instead (same Error object), so its shape is still
 * verified; an undeclared 2xx or 5xx stays a violation.
 *
 * Dynamic client registration's 400: the oauth spec's schema says Okta's Error object, but its examples and
 * Okta's behaviour (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/) are the OAuth error `{error, error_description}`, which this tenant sends. An
 * OAuth-style error body from /oauth2/v1/clients is therefore checked against the spec's OAuthError schema
 * (as declared for /oauth2/v1/revoke's 400).
 *
 * Known defects of the spec itself (POST /api/v1/authn in no spec file, the authorize 302, the JWK discriminator,
 * rule people `exclude`) are left out by the validator (`KNOWN_SPEC_DEFECTS` in src/spec/validator.ts, with their
 * reasons); each one left out is noted on the log entry as `spec defect tolerated: <id> <pointer>`.
 */
import type { StepFactory } from './types.js';
import { routePath } from './route-path.js';
import { createSpecValidator, type SpecValidator, type ToleratedViolation, type Violation } from '../../spec/validator.js';

function parseJson(payload: unknown): unknown {
  if (payload === undefined || payload === null || payload === '') return undefined;
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A declared 4xx of the operation with a body, to check an undeclared 4xx error body against. */
function declaredErrorStatus(v: SpecValidator, method: string, path: string): number | undefined {
  const op = v.matchOperation(method, path)?.operation;
  if (!op) return undefined;
  const s = Object.keys(op.responses).find((k) => /^4\d\d$/.test(k) && op.responses[k]!.content && k !== '429');
  return s ? Number(s) : undefined;
}

export const specCheckStep: StepFactory = (ctx) => {
  if (!ctx.options.specCheck) return { name: 'specCheck' };
  const validator = createSpecValidator();
  const record = (entry: { violations?: Violation[]; notes?: string[] } | null, found: Violation[], tolerated: ToleratedViolation[]) => {
    if (!entry) return;
    if (found.length > 0) (entry.violations ??= []).push(...found);
    for (const t of tolerated) (entry.notes ??= []).push(`spec defect tolerated: ${t.defect} ${t.violation.pointer}`.trimEnd());
  };
  return {
    name: 'specCheck',
    preHandler(req) {
      const path = routePath(req);
      const tolerated: ToleratedViolation[] = [];
      record(req.tenantEntry, validator.checkRequest(req.method, path, req.body, req.headers['content-type'], { tolerated }), tolerated);
    },
    onSend(req, reply, payload) {
      const path = routePath(req);
      const ct = String(reply.getHeader('content-type') ?? '') || undefined;
      const body = parseJson(payload);
      const oauthStyle = path.startsWith('/oauth2/v1/clients') && reply.statusCode === 400 && typeof body === 'object' && body !== null && 'error' in body;
      const tolerated: ToleratedViolation[] = [];
      let found = oauthStyle
        ? validator.checkResponse('POST', '/oauth2/v1/revoke', 400, body, ct)
        : validator.checkResponse(req.method, path, reply.statusCode, body, ct, { tolerated });
      if (reply.statusCode >= 400 && reply.statusCode < 500 && found.some((f) => f.kind === 'unknown-status')) {
        const fallback = declaredErrorStatus(validator, req.method, path);
        if (fallback !== undefined) found = validator.checkResponse(req.method, path, fallback, body, ct, { tolerated });
        (req.tenantEntry!.notes ??= []).push(`status ${reply.statusCode} not declared by the spec for this operation; body checked as ${fallback ?? 'none'}`);
      }
      record(req.tenantEntry, found, tolerated);
      return undefined;
    },
  };
};
