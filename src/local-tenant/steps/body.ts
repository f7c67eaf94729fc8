/**
 * bodyLimit / content-type parsing. Bodies are read as text up to options.bodyLimit (default 1 MiB;
 * larger → 413 with an Okta error object, see server.ts's error handler) and parsed:
 * - application/json, and any other or missing content type: JSON; not JSON → 400 E0000003. An empty body is no body.
 *   (Okta answers a non-JSON body on a JSON endpoint with E0000003 whatever the content type says.)
 * - application/x-www-form-urlencoded (the OAuth endpoints): an object of strings; a repeated key becomes an
 *   array, so the OAuth part can reject repeated parameters as RFC 6749 requires.
 */
import type { StepFactory } from './types.js';
import { notWellFormed } from '../errors.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export const bodyStep: StepFactory = (ctx) => ({
  name: 'bodyLimit',
  setup(app) {
    const bodyLimit = ctx.options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const json = (_req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(notWellFormed());
      }
    };
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, json);
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
      done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
    });
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, json);
  },
});
