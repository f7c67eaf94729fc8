/**
 * The sample app's HTTP server (fastify): one page, three POST actions, the OIDC callback at REDIRECT_URI.
 *
 *   GET  /             the page
 *   GET  <REDIRECT_URI's path>?code|error&state   the authorization response (and, with only `state`, the return
 *                      from Okta's logout); answered with a redirect to / so the code never stays in the address bar
 *   POST /login        level=silver|gold [prompt=none] → 303 to Okta's authorize endpoint
 *   POST /call         resource=planets|moons → the app calls PROXY_URI + path with the access token, 303 to /
 *   POST /logout       clears the app session → 303 to Okta's end_session_endpoint (ends the Okta session) or /
 *   GET  /style.css    the stylesheet
 *
 * Every POST carries the session's CSRF token. Every answer has a Content-Security-Policy without inline script
 * (there is no script at all), X-Frame-Options: DENY and no-store caching. The access log has method, path (never
 * the query: it holds codes), status and time, never a token.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppConfig } from './config.js';
import { listenPort } from './config.js';
import { explainApi, explainSignIn, notAllowed, scopesNotGranted, type SignInFailure } from './explain.js';
import { AuthorizationResponseError, RelyingParty, ResponseBodyError } from './oidc.js';
import { renderPage } from './page.js';
import { csrfMatches, SessionStore, type AppSession } from './session.js';
import { STYLESHEET } from './style.js';

export interface AppServerOptions {
  config: AppConfig;
  /** Default: REDIRECT_URI's port. 0 picks a free one (tests). */
  port?: number;
  /** Default: 127.0.0.1 (localhost also answers there). */
  host?: string;
  /** One line per request. */
  onLog?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

type Form = Record<string, string>;

function parseForm(body: string): Form {
  const out: Form = {};
  for (const [k, v] of new URLSearchParams(body)) if (!(k in out)) out[k] = v;
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function startApp(o: AppServerOptions): Promise<RunningApp> {
  const { config } = o;
  const doFetch = o.fetch ?? fetch;
  const rp = new RelyingParty(config);
  const sessions = new SessionStore();
  const secure = new URL(config.redirectUri).protocol === 'https:';
  const callbackPath = new URL(config.redirectUri).pathname || '/';
  const issuerOrigin = new URL(config.issuer).origin;
  const csp = `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${issuerOrigin}; base-uri 'none'; frame-ancestors 'none'`;

  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
  });

  const started = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (req, reply) => {
    started.set(req, performance.now());
    void reply
      .header('content-security-policy', csp)
      .header('x-frame-options', 'DENY')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store');
  });
  app.addHook('onResponse', async (req, reply) => {
    const ms = Math.round(performance.now() - (started.get(req) ?? performance.now()));
    o.onLog?.(`${req.method} ${req.url.split('?')[0]} ${reply.statusCode} ${ms}ms`);
  });

  /** The request's session, or a new one (its cookie is set on the reply). */
  function sessionOf(req: FastifyRequest, reply: FastifyReply): AppSession {
    const found = sessions.fromCookie(req.headers.cookie);
    if (found) return found;
    const s = sessions.create();
    void reply.header('set-cookie', sessions.cookie(s, secure));
    return s;
  }

  function checkedPost(req: FastifyRequest, reply: FastifyReply): { session: AppSession; form: Form } | undefined {
    const session = sessions.fromCookie(req.headers.cookie);
    const form = (req.body ?? {}) as Form;
    if (!session || !csrfMatches(session, form.csrf)) {
      void reply.code(403).type('text/plain; charset=utf-8').send('Forbidden: the form was not sent by this app (missing or wrong CSRF token). Reload the page and try again.');
      return undefined;
    }
    return { session, form };
  }

  const toPage = (reply: FastifyReply) => reply.code(303).header('location', '/').send();

  app.get('/style.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=300').send(STYLESHEET));
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());

  async function callback(req: FastifyRequest, reply: FastifyReply, session: AppSession): Promise<FastifyReply> {
    const q = req.query as Record<string, string | undefined>;
    const url = new URL(req.url, config.redirectUri);
    // The return from Okta's logout: only `state`.
    if (session.logoutState && q.state === session.logoutState && !q.code && !q.error) {
      session.logoutState = undefined;
      session.notice = { kind: 'info', title: 'Signed out', text: 'You are signed out of the app and of Okta.' };
      return toPage(reply);
    }
    const pending = session.pending;
    const level = config.levels.find((l) => l.name === pending?.level);
    const fail = (f: SignInFailure, detail?: string) => {
      session.notice = {
        kind: 'error',
        title: `Sign-in failed: ${f.error}`,
        text: explainSignIn(f, level, config.levels),
        ...(detail ?? f.description ? { detail: `Okta said: ${detail ?? f.description}` } : {}),
      };
      return toPage(reply);
    };
    if (!pending || q.state !== pending.state) return fail({ error: 'state_mismatch' }, q.error ? `${q.error}: ${q.error_description ?? ''}` : undefined);
    session.pending = undefined;
    if (q.error) return fail({ error: q.error, ...(q.error_description ? { description: q.error_description } : {}) });
    try {
      const signedIn = await rp.finishSignIn(url, pending);
      const missing = scopesNotGranted(level?.scopes ?? [], signedIn.scopes);
      // The level is the highest one whose scopes the token carries.
      const held = [...config.levels].reverse().find((l) => l.scopes.every((sc) => sc === 'openid' || signedIn.scopes.includes(sc)));
      const rotated = sessions.rotate(session);
      void reply.header('set-cookie', sessions.cookie(rotated, secure));
      rotated.signedIn = { ...signedIn, ...(held ? { level: held.name } : {}) };
      rotated.api = undefined;
      rotated.notice = missing.length
        ? {
            kind: 'error',
            title: 'Signed in, with fewer scopes than asked',
            // An authorization server that grants part of a request (Okta answers access_denied instead).
            text: `Okta issued a token without ${missing.join(' ')}: ${level ? notAllowed(level, config.levels) : 'your user is not allowed them.'}`,
          }
        : undefined;
    } catch (e) {
      if (e instanceof AuthorizationResponseError) return fail({ error: e.error, ...(e.error_description ? { description: e.error_description } : {}) });
      if (e instanceof ResponseBodyError) return fail({ error: 'token_error' }, `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`);
      return fail({ error: 'token_error' }, errorText(e));
    }
    return toPage(reply);
  }

  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const q = req.query as Record<string, string | undefined>;
    const session = sessionOf(req, reply);
    if (path === callbackPath && (q.state !== undefined || q.code !== undefined || q.error !== undefined)) return callback(req, reply, session);
    if (path !== '/') return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    const page = renderPage(config, session);
    // A notice is shown once.
    session.notice = undefined;
    return reply.type('text/html; charset=utf-8').send(page.value);
  });

  app.post('/login', async (req, reply) => {
    const ok = checkedPost(req, reply);
    if (!ok) return reply;
    const { session, form } = ok;
    const level = config.levels.find((l) => l.name === form.level);
    if (!level) return reply.code(400).type('text/plain; charset=utf-8').send('Unknown access level.');
    // Each panel's "Sign in" asks Okta for its sign-in page even within an Okta session (prompt=login), so the
    // silver and the gold user can take turns; "use my Okta session" asks for no page at all (prompt=none).
    // https://developer.okta.com/docs/reference/api/oidc/#parameter-details (prompt)
    const prompt = form.prompt === 'none' ? 'none' : 'login';
    try {
      const { url, pending } = await rp.startSignIn(level.name, level.scopes, prompt);
      session.pending = pending;
      return reply.code(303).header('location', url.href).send();
    } catch (e) {
      session.notice = { kind: 'error', title: 'Sign-in could not start', text: explainSignIn({ error: 'unreachable' }, level, config.levels), detail: `${config.issuer}: ${errorText(e)}` };
      return toPage(reply);
    }
  });

  app.post('/call', async (req, reply) => {
    const ok = checkedPost(req, reply);
    if (!ok) return reply;
    const { session, form } = ok;
    const resource = config.resources.find((r) => r.name === form.resource);
    if (!resource) return reply.code(400).type('text/plain; charset=utf-8').send('Unknown resource.');
    const token = session.signedIn?.accessToken;
    try {
      const res = await doFetch(`${config.proxyUri}${resource.path}`, {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        body = text.slice(0, 500);
      }
      session.api = { resource: resource.name, status: res.status, body, explanation: explainApi(resource, { status: res.status, body }, session.signedIn?.scopes) };
    } catch (e) {
      session.api = {
        resource: resource.name,
        status: 0,
        body: undefined,
        explanation: `The gateway at ${config.proxyUri} cannot be reached (${errorText(e)}): start it (\`okta-bootstrap gateway --mulesoft\`) or set PROXY_URI.`,
      };
    }
    return toPage(reply);
  });

  app.post('/logout', async (req, reply) => {
    const ok = checkedPost(req, reply);
    if (!ok) return reply;
    const idToken = ok.session.signedIn?.idToken;
    sessions.destroy(ok.session);
    const fresh = sessions.create();
    void reply.header('set-cookie', sessions.cookie(fresh, secure));
    let end: URL | undefined;
    try {
      const state = randomBytes(16).toString('base64url');
      end = await rp.endSessionUrl(idToken, state);
      if (end) fresh.logoutState = state;
    } catch {
      end = undefined;
    }
    if (!end) fresh.notice = { kind: 'info', title: 'Signed out of the app', text: 'Your Okta session, if any, is still open.' };
    return reply.code(303).header('location', end?.href ?? '/').send();
  });

  const port = o.port ?? listenPort(config.redirectUri);
  await app.listen({ port, host: o.host ?? '127.0.0.1' });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const base = new URL(config.redirectUri);
  base.port = String(actual);
  return { url: base.origin, close: () => app.close() };
}
