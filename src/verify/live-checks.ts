/**
 * Checks 4 and 5 of verify: the live dance for the silver and gold users (as the app does it), the token
 * verified as a resource server would and introspected as the gateway will; then the access matrix through
 * the gateway (PROXY_URI when set, else the local gateway started in-process).
 */
import { introspect, scopesOf } from '../gateway/introspect.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { named, type VerifyContext } from './context.js';
import { checkAccessToken, runDance, type DanceResult } from './dance.js';
import { requestedScopes } from './org-checks.js';
import { fail, pass, skip, type CheckResult } from './types.js';
import { LEVELS, type Level } from './values.js';

const CLAIMS_SHOWN = ['iss', 'aud', 'sub', 'uid', 'cid', 'scp', 'iat', 'exp', 'jti', 'ver'];

function byHand(ctx: VerifyContext, lv: Level): string {
  const v = ctx.values;
  const issuer = v.issuer?.value ?? '{OKTA_AZ_SERVER_ISSUER}';
  const q = new URLSearchParams({ client_id: v.authnClientId?.value ?? '{AUTHN_CLIENT_ID}', response_type: 'code', scope: requestedScopes(ctx, lv).join(' '), redirect_uri: v.redirectUri?.value ?? '{REDIRECT_URI}', state: 'verify' });
  return `open ${issuer}/v1/authorize?${q.toString()} in a browser, sign in as ${v[lv].username?.value ?? `${lv.toUpperCase()}_USERNAME`}, take the code from the redirect, then: curl -u "$AUTHN_CLIENT_ID:$AUTHN_CLIENT_SECRET" -d grant_type=authorization_code -d code=CODE -d redirect_uri=${v.redirectUri?.value ?? '{REDIRECT_URI}'} ${issuer}/v1/token`;
}

/** The org refuses the headless sign-in (not a wrong password): skip, don't fail. */
export function authnNotAllowed(r: Extract<DanceResult, { ok: false }>): string | undefined {
  if (r.step !== 'authn') return undefined;
  if (r.authnStatus) return `the org answered /api/v1/authn with status ${r.authnStatus} (MFA or a password change is required for this user), so the headless dance cannot sign in`;
  if (r.status === 403 || r.status === 404 || r.status === 405 || r.status === 501) return `the org does not allow /api/v1/authn (${r.message}); Identity Engine orgs may turn the classic authn API off`;
  return undefined;
}

function danceCause(ctx: VerifyContext, lv: Level, r: Extract<DanceResult, { ok: false }>): { cause: string; fix: string } {
  const v = ctx.values;
  const who = `${lv} user ${v[lv].username?.value}`;
  const desc = r.description ?? '';
  if (r.step === 'authn') {
    if (r.status === 401) return { cause: `${r.message}: ${who} cannot sign in with ${lv.toUpperCase()}_PASSWORD (from ${v[lv].password?.source}), or is not ACTIVE`, fix: `check audit.user.${lv}; set ${lv.toUpperCase()}_PASSWORD to the user's password (output/mulesoft.json) or reset it in the Admin Console` };
    return { cause: r.message, fix: `check OKTA_TENANT (${ctx.orgUrl})` };
  }
  if (r.step === 'authorize') {
    if (/not assigned/i.test(desc)) return { cause: `/v1/authorize: ${desc} (${who})`, fix: 'assign the AUTHN client to the user\'s group or Everyone (see audit.assignment)' };
    if (/policy evaluation failed/i.test(desc)) return { cause: `/v1/authorize: ${desc} — no ACTIVE rule of a policy that includes ${v.authnClientId?.value} matches the ${lv} user with authorization_code`, fix: `see audit.policy and audit.rule.${lv}` };
    if (r.error === 'invalid_scope') return { cause: `/v1/authorize: ${r.error} ${desc} (asked for ${requestedScopes(ctx, lv).join(' ')})`, fix: `see audit.scope.*; ${lv === 'gold' ? 'the gold user asks for silver and gold' : 'the silver user asks for silver'}` };
    if (r.error === 'unauthorized_client') return { cause: `/v1/authorize: ${desc}`, fix: 'the AUTHN client must have the authorization_code grant type' };
    if (r.status === 404) return { cause: `${r.message}: ${named('OKTA_AZ_SERVER_ISSUER', v.issuer)} names no authorization server`, fix: 'see authserver.metadata' };
    // Okta's HTML error page for a redirect URI the client does not have (read by dance.ts, error-page.ts).
    if (r.status === 400 && /redirect_uri/i.test(desc)) {
      return {
        cause: `redirect_uri is not registered for AUTHN_CLIENT_ID ${v.authnClientId?.value ?? ''}: /v1/authorize refused ${named('REDIRECT_URI', v.redirectUri)} with its error page (${r.error ?? 'error'}: ${desc})`,
        fix: `add ${v.redirectUri?.value ?? 'REDIRECT_URI'} to the client's Sign-in redirect URIs, or set REDIRECT_URI to one of them (see audit.redirect_uri)`,
      };
    }
    if (r.status === 200) {
      return {
        cause: `Okta answered /v1/authorize with a page (200) instead of redirecting: it wants an interaction (consent, MFA or a sign-in) that a headless dance cannot give`,
        fix: `make the client's consent TRUSTED or the scopes' consent IMPLICIT, or run the dance by hand: ${byHand(ctx, lv)}`,
      };
    }
    if (/redirect/i.test(desc)) return { cause: `/v1/authorize: ${desc}`, fix: 'see audit.redirect_uri' };
    return { cause: r.message, fix: 'see the audit checks above' };
  }
  if (r.status === 401) return { cause: `${r.message}: AUTHN_CLIENT_ID / AUTHN_CLIENT_SECRET (from ${v.authnClientSecret?.source}) do not authenticate at ${v.issuer?.value}/v1/token`, fix: 'set AUTHN_CLIENT_SECRET to the secret of the client Anypoint registered (or `register-client --write-env`)' };
  return { cause: r.message, fix: 'see the audit checks above' };
}

export async function danceChecks(ctx: VerifyContext): Promise<CheckResult[]> {
  const v = ctx.values;
  const out: CheckResult[] = [];
  for (const lv of LEVELS) {
    const L = v[lv];
    const U = lv.toUpperCase();
    const TD = `the ${lv} user gets tokens: authn → sessionToken → authorize (code + PKCE) → token`;
    const TT = `the ${lv} access token verifies against /v1/keys (signature, iss, aud, exp, scp)`;
    const TI = `introspecting the ${lv} token with the introspection client says active, as the gateway will`;
    const missing = (
      [
        ['OKTA_AZ_SERVER_ISSUER', v.issuer],
        ['AUTHN_CLIENT_ID', v.authnClientId],
        ['AUTHN_CLIENT_SECRET', v.authnClientSecret],
        ['REDIRECT_URI', v.redirectUri],
        [`${U}_USERNAME`, L.username],
        [`${U}_PASSWORD`, L.password],
      ] as const
    ).filter(([, x]) => !x).map(([k]) => k);
    if (ctx.danceSkipped) {
      out.push(skip(4, `dance.${lv}`, TD, ctx.danceSkipped, byHand(ctx, lv)), skip(4, `token.${lv}`, TT, 'no token'), skip(4, `introspect.${lv}`, TI, 'no token'));
      continue;
    }
    if (missing.length) {
      out.push(fail(4, `dance.${lv}`, TD, `${missing.join(', ')} not found in the environment, .env or output files`, '`get-settings --mulesoft` lists where each value comes from'), skip(4, `token.${lv}`, TT, 'no token'), skip(4, `introspect.${lv}`, TI, 'no token'));
      continue;
    }
    const r = await runDance({
      orgUrl: ctx.orgUrl,
      issuer: v.issuer!.value,
      clientId: v.authnClientId!.value,
      clientSecret: v.authnClientSecret!.value,
      redirectUri: v.redirectUri!.value,
      username: L.username!.value,
      password: L.password!.value,
      scopes: requestedScopes(ctx, lv),
      fetch: ctx.fetch,
    });
    if (!r.ok) {
      const why = authnNotAllowed(r);
      if (why) {
        ctx.danceSkipped = why;
        out.push(skip(4, `dance.${lv}`, TD, why, byHand(ctx, lv)), skip(4, `token.${lv}`, TT, 'no token'), skip(4, `introspect.${lv}`, TI, 'no token'));
        continue;
      }
      const { cause, fix } = danceCause(ctx, lv, r);
      out.push(fail(4, `dance.${lv}`, TD, cause, fix), skip(4, `token.${lv}`, TT, 'no token: the dance failed'), skip(4, `introspect.${lv}`, TI, 'no token: the dance failed'));
      continue;
    }
    ctx.tokens[lv] = r.tokens.accessToken;
    out.push(pass(4, `dance.${lv}`, TD, `granted: ${r.tokens.scopes.join(' ')}${r.tokens.expiresIn ? `, expires in ${r.tokens.expiresIn}s` : ''}`));

    // Verify the token as a resource server would.
    const need = requestedScopes(ctx, lv).filter((s) => s !== 'openid');
    if (!ctx.jwks || !ctx.metadata?.issuer) {
      out.push(skip(4, `token.${lv}`, TT, 'no usable keys or metadata (authserver.keys, authserver.metadata)'));
    } else {
      const audiences = ctx.server?.audiences?.length ? ctx.server.audiences : v.audiences;
      const c = await checkAccessToken({ token: r.tokens.accessToken, jwks: ctx.jwks, issuer: ctx.metadata.issuer, audiences, requiredScopes: need });
      const claims = c.claims ? Object.fromEntries(CLAIMS_SHOWN.filter((k) => c.claims![k] !== undefined).map((k) => [k, c.claims![k]])) : undefined;
      if (c.ok) out.push(pass(4, `token.${lv}`, TT, `signed by key ${c.kid ?? '(no kid)'} of /v1/keys; iss, aud, exp and scp are right`, { claims: claims! }));
      else {
        const fix =
          c.what === 'scp'
            ? `the rule that answered for the ${lv} user does not grant ${need.join(' ')}: see audit.rule.${lv} and audit.rule.order`
            : c.what === 'aud'
              ? 'the API expects the server\'s audience; check the authorization server\'s audiences'
              : c.what === 'iss'
                ? 'see authserver.metadata'
                : 'rotate the authorization server keys and retry';
        out.push(fail(4, `token.${lv}`, TT, `the ${lv} access token: ${c.message}`, fix, claims ? { claims } : undefined));
      }
    }

    // Introspect it as the gateway will.
    if (!v.introspectionUrl || !v.introspectClientId || !v.introspectClientSecret) {
      out.push(skip(4, `introspect.${lv}`, TI, 'introspection values missing (introspection.credentials)'));
      continue;
    }
    const ir = await introspect({ url: v.introspectionUrl.value, clientId: v.introspectClientId.value, clientSecret: v.introspectClientSecret.value, token: r.tokens.accessToken, fetch: ctx.fetch });
    if (ir.kind !== 'ok') {
      out.push(fail(4, `introspect.${lv}`, TI, `introspection ${ir.kind === 'rejected' ? `returned ${ir.status} ${ir.error ?? ''}` : ir.kind === 'unreachable' ? `unreachable (${ir.message})` : ir.message}`, 'see introspection.credentials'));
    } else if (!ir.body.active) {
      out.push(fail(4, `introspect.${lv}`, TI, `${named('TOKEN_INTROSPECTION_URL', v.introspectionUrl)} says the fresh ${lv} token is not active: it is not the server that issued it (${ctx.metadata?.issuer ?? v.issuer?.value})`, 'set TOKEN_INTROSPECTION_URL to {OKTA_AZ_SERVER_ISSUER}/v1/introspect, here and in Anypoint'));
    } else {
      const scopes = scopesOf(ir.body);
      const lacking = need.filter((s) => !scopes.includes(s));
      if (lacking.length) out.push(fail(4, `introspect.${lv}`, TI, `introspection says scope "${scopes.join(' ')}", without ${lacking.join(' ')}`, `see audit.rule.${lv}`));
      else if (v.authnClientId && ir.body.client_id !== v.authnClientId.value) out.push(fail(4, `introspect.${lv}`, TI, `introspection says client_id ${ir.body.client_id}, not AUTHN_CLIENT_ID ${v.authnClientId.value}`, 'check AUTHN_CLIENT_ID'));
      else out.push(pass(4, `introspect.${lv}`, TI, `active, client_id ${ir.body.client_id}, user ${ir.body.username ?? ir.body.sub}, scope ${ir.body.scope}`));
    }
  }
  return out;
}

interface Expectation {
  who: Level | 'none';
  path: '/planets' | '/moons';
  status: number;
  label: string;
}

const MATRIX: Expectation[] = [
  { who: 'silver', path: '/planets', status: 200, label: 'allowed' },
  { who: 'silver', path: '/moons', status: 403, label: 'denied, insufficient scope' },
  { who: 'gold', path: '/planets', status: 200, label: 'allowed' },
  { who: 'gold', path: '/moons', status: 200, label: 'allowed' },
  { who: 'none', path: '/planets', status: 400, label: '400' },
  { who: 'none', path: '/moons', status: 400, label: '400' },
];

const matrixTitle = (m: Expectation) => `${m.who === 'none' ? 'no token' : `${m.who} user`}: GET ${m.path} → ${m.label}`;

export interface MatrixResult {
  checks: CheckResult[];
  gateway?: string;
}

export async function matrixChecks(ctx: VerifyContext): Promise<MatrixResult> {
  const v = ctx.values;
  let gw: RunningGateway | undefined;
  let base: string;
  let gatewayLabel: string;
  const local = !v.proxyUri;
  if (v.proxyUri) {
    base = v.proxyUri.value.replace(/\/+$/, '');
    gatewayLabel = `PROXY_URI ${base} (from ${v.proxyUri.source})`;
  } else {
    if (!v.introspectionUrl || !v.introspectClientId || !v.introspectClientSecret || !v.authnClientId) {
      return {
        checks: MATRIX.map((m) => skip(5, `gateway.${m.who}.${m.path.slice(1)}`, matrixTitle(m), 'PROXY_URI is not set and the local gateway needs TOKEN_INTROSPECTION_URL, INTROSPECT_CLIENT_ID/SECRET and AUTHN_CLIENT_ID', 'set PROXY_URI to your Anypoint API proxy, or fix the values above')),
      };
    }
    gw = await startGateway({
      port: 0,
      introspectionUrl: v.introspectionUrl.value,
      clientId: v.introspectClientId.value,
      clientSecret: v.introspectClientSecret.value,
      allowedClientIds: [v.authnClientId.value],
      policies: v.gatewayPolicies,
      cache: false,
      // its introspection calls are verify's OAuth calls: the same governed transport
      fetch: ctx.fetch,
    });
    base = gw.url;
    gatewayLabel = `local gateway ${gw.url} (PROXY_URI not set), policies ${JSON.stringify(v.gatewayPolicies)}`;
  }
  const out: CheckResult[] = [];
  try {
    for (const m of MATRIX) {
      const id = `gateway.${m.who}.${m.path.slice(1)}`;
      const title = matrixTitle(m);
      const token = m.who === 'none' ? undefined : ctx.tokens[m.who];
      if (m.who !== 'none' && !token) {
        out.push(skip(5, id, title, `no ${m.who} token (dance.${m.who} ${ctx.danceSkipped ? 'was skipped' : 'failed'})`));
        continue;
      }
      let status: number;
      let body: { error?: string; description?: string } = {};
      try {
        // The gateway is not Okta: plain fetch, not the org's governed transport.
        const res = await fetch(`${base}${m.path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(15_000), redirect: 'manual' });
        status = res.status;
        const text = await res.text();
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          body = {};
        }
      } catch (e) {
        const code = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        out.push(fail(5, id, title, `the gateway ${base} cannot be reached (${code})`, local ? 'the in-process gateway failed to answer; run with --debug' : 'start the API proxy, or run `okta-bootstrap gateway --mulesoft` and set PROXY_URI to it'));
        continue;
      }
      const said = `${status}${body.error ? ` ${body.error}` : ''}${body.description ? `: ${body.description}` : ''}`;
      const scopeDenial = local ? body.error === 'insufficient_scope' : true;
      if (status === m.status && (m.status !== 403 || scopeDenial)) {
        out.push(pass(5, id, title, said));
        continue;
      }
      out.push(fail(5, id, title, `expected ${m.status}, the gateway answered ${said}`, matrixFix(ctx, m, status, body, local)));
    }
  } finally {
    await gw?.close();
  }
  return { checks: out, gateway: gatewayLabel };
}

function matrixFix(ctx: VerifyContext, m: Expectation, status: number, body: { error?: string; description?: string }, local: boolean): string {
  const v = ctx.values;
  const need = m.path === '/planets' ? v.silver.scope.value : v.gold.scope.value;
  const where = local ? 'the local gateway' : "the API's policies in Anypoint";
  if (m.status === 400) return `${where} must refuse a request without a token: apply the OpenID Connect token enforcement policy to GET ${m.path}`;
  if (m.status === 403 && status === 200) return `${where} let the silver user read ${m.path}: apply the token enforcement policy to GET ${m.path} with scope ${need}`;
  if (status === 401) return `the gateway says the token is not valid: its Token Introspection URL must be ${v.introspectionUrl?.value ?? '{issuer}/v1/introspect'} and its introspection credentials must work (see introspection.credentials)`;
  if (status === 403 && (body.error === 'invalid_client' || /client/i.test(body.description ?? ''))) {
    return local ? 'the local gateway only admits AUTHN_CLIENT_ID: check it is the client the app uses' : `give the app's client ${v.authnClientId?.value} access to the API in Anypoint (client ID enforcement: request access / approve the contract)`;
  }
  if (status === 403) return `the ${m.who} token lacks a scope the gateway requires for GET ${m.path}: the gateway must require ${need} there (not another name), and the token must carry it (see token.${m.who})`;
  if (status >= 500) return 'the gateway could not validate the token with the authorization server: check its introspection settings (get-settings --mulesoft_introspect)';
  return `check the gateway's policy for GET ${m.path}`;
}
