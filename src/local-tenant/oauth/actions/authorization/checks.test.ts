/**
 * The named checks of /authorize: their order, and each refusal reached through the real endpoint (the earlier
 * checks let the request through) with the `error` and `error_description` it redirects.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addApp, addGroup, addPolicy, addScopes, addUser } from '../../../../../test/support/oauth-test-fixture.js';
import { authn } from '../../../authn/authn.js';
import { OktaHttpError } from '../../../errors.js';
import { isObject } from '../../../routes/util.js';
import { findAuthServer, openStore, type TenantStore } from '../../../store.js';
import { NOT_ASSIGNED } from '../../access.js';
import type { Form } from '../../client-auth.js';
import { s256Challenge } from '../../pkce.js';
import { POLICY_FAILED, SCOPES_NOT_CONFIGURED } from '../../policy.js';
import { has, OAuthProvider, type OAuthResult } from '../../provider.js';
import { authorizeRequest, firstRefusal, REQUEST_CHECKS, SIGN_IN_CHECKS, type Refusal, type SignIn } from './checks.js';
import { authorize, NOT_LOGGED_IN } from './index.js';

const CB = 'http://localhost/cb';
const CHALLENGE = s256Challenge('v'.repeat(43));

let store: TenantStore;
let provider: OAuthProvider;
let now: number;

async function session(login = 'alice@example.com', password = 'Passw0rdAlice'): Promise<string> {
  const r = await authn(provider, { username: login, password });
  const token = isObject(r.body) ? r.body.sessionToken : undefined;
  if (typeof token !== 'string') throw new Error('authn gave no sessionToken');
  return token;
}

/** The redirect's parameters, from the query, the fragment or a form_post page. */
function answer(r: OAuthResult): { where: 'query' | 'fragment' | 'form_post'; params: URLSearchParams } {
  if (r.status === 200) {
    const inputs = [...String(r.body).matchAll(/name="([^"]*)" value="([^"]*)"/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']);
    return { where: 'form_post', params: new URLSearchParams(inputs) };
  }
  expect(r.status).toBe(302);
  const url = new URL(r.headers.location ?? '');
  return url.hash ? { where: 'fragment', params: new URLSearchParams(url.hash.slice(1)) } : { where: 'query', params: url.searchParams };
}

const web = (over: Form = {}): Form => ({
  client_id: '0oaWeb', redirect_uri: CB, response_type: 'code', scope: 'api:read', state: 'st', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...over,
});
const spa = (over: Form = {}): Form => ({ client_id: '0oaSpa', redirect_uri: CB, response_type: 'id_token', scope: 'openid', state: 'st', nonce: 'n', ...over });

beforeEach(async () => {
  store = await openStore();
  now = Date.UTC(2026, 5, 1, 12, 0, 0);
  provider = new OAuthProvider({ store, orgUrl: () => 'http://127.0.0.1:9999', now: () => now });
  await addGroup(store, '00gSilver', 'Silver');
  await addUser(store, '00uAlice', 'alice@example.com', 'Passw0rdAlice', ['00gSilver']);
  await addUser(store, '00uBob', 'bob@example.com', 'Passw0rdBob', []);
  await addApp(store, '0oaWeb', {}, ['00gSilver']);
  await addApp(store, '0oaSpa', { responseTypes: ['code', 'token', 'id_token'], grantTypes: ['authorization_code', 'implicit'], tokenEndpointAuthMethod: 'none', clientSecret: undefined }, ['00gSilver']);
  await addApp(store, '0oaNoImplicit', { responseTypes: ['code', 'token'], grantTypes: ['authorization_code'] }, ['00gSilver']);
  await addApp(store, '0oaOff', { status: 'INACTIVE' }, ['00gSilver']);
  await addScopes(store, 'default', ['api:read', 'api:write']);
  await addPolicy(store, 'default', { id: '00pWeb', clients: ['0oaWeb'], rules: [{ id: '0prWeb', groups: ['00gSilver'], scopes: ['api:read', 'openid'] }] });
  // The SPA's rule allows api:read only: an ID token asked with `openid api:read` gets no openid.
  await addPolicy(store, 'default', { id: '00pSpa', clients: ['0oaSpa'], rules: [{ id: '0prSpa', groups: ['00gSilver'], grants: ['authorization_code', 'implicit'], scopes: ['api:read'] }] });
});

describe('the order of the checks', () => {
  it('runs the request checks, then the sign-in checks, in this order', () => {
    expect(REQUEST_CHECKS.map((c) => c.name)).toEqual([
      'responseTypeIsKnown',
      'responseTypeIsConfigured',
      'grantTypeIsConfigured',
      'responseModeIsSupported',
      'queryModeHasNoTokens',
      'stateIsGiven',
      'idTokenAsksOpenid',
      'idTokenHasNonce',
      'challengeMethodHasChallenge',
      'challengeMethodIsS256',
      'challengeIsWellFormed',
      'publicClientUsesPkce',
      'promptIsSupported',
      'maxAgeIsValid',
    ]);
    expect(SIGN_IN_CHECKS.map((c) => c.name)).toEqual(['userIsAssigned', 'policyAllows', 'idTokenIsGrantedOpenid']);
  });
});

describe('before the redirect URI is trusted: an HTML 400 page, not redirected', () => {
  const unescape = (s: string): string => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  async function rejection(params: Form): Promise<{ status: number; body: unknown }> {
    const r = await authorize(provider, 'default', params);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers.location).toBeUndefined();
    const text = String(r.body);
    const dd = (id: string): string => unescape(new RegExp(`<dd id="${id}">([^<]*)</dd>`).exec(text)?.[1] ?? '');
    return { status: r.status, body: { error: dd('error-code'), error_description: dd('error-description') } };
  }

  it.each([
    ['an unknown client', web({ client_id: '0oaNope' }), 'invalid_client', "Invalid value for 'client_id' parameter."],
    ['an INACTIVE client', web({ client_id: '0oaOff' }), 'invalid_client', "Invalid value for 'client_id' parameter."],
    ['no client_id', web({ client_id: undefined }), 'invalid_client', "Invalid value for 'client_id' parameter."],
    ['a redirect URI that is not the client’s', web({ redirect_uri: 'http://evil/cb' }), 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."],
    ['no redirect URI', web({ redirect_uri: undefined }), 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."],
  ])('%s', async (_what, params, error, description) => {
    expect(await rejection(params)).toEqual({ status: 400, body: { error, error_description: description } });
  });

  it('an unknown authorization server is 404 E0000007', async () => {
    const e = await authorize(provider, 'ausNope', web()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OktaHttpError);
    expect(e).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
  });
});

interface Case {
  check: string;
  params: () => Form | Promise<Form>;
  error: string;
  description: string;
  /** Where the error is sent (query unless a token or ID token was asked for). */
  where?: 'query' | 'fragment' | 'form_post';
}

const REQUEST_CASES: Case[] = [
  { check: 'responseTypeIsKnown', params: () => web({ response_type: 'code device' }), error: 'unsupported_response_type', description: 'The response type is not supported by the authorization server.' },
  { check: 'responseTypeIsKnown', params: () => web({ response_type: '' }), error: 'unsupported_response_type', description: 'The response type is not supported by the authorization server.' },
  { check: 'responseTypeIsConfigured', params: () => web({ response_type: 'token' }), where: 'fragment', error: 'unsupported_response_type', description: 'The response type is not supported by the authorization server. Configured response types: [code].' },
  { check: 'grantTypeIsConfigured', params: () => web({ client_id: '0oaNoImplicit', response_type: 'token' }), where: 'fragment', error: 'unauthorized_client', description: 'The client is not authorized to use the provided grant type. Configured grant types: [authorization_code].' },
  { check: 'responseModeIsSupported', params: () => web({ response_mode: 'okta_post_message' }), error: 'invalid_request', description: "The 'response_mode' parameter value 'okta_post_message' is not supported." },
  { check: 'queryModeHasNoTokens', params: () => spa({ response_type: 'token', response_mode: 'query' }), where: 'fragment', error: 'invalid_request', description: "The 'response_mode' value 'query' is not allowed when the response type contains 'token' or 'id_token'." },
  { check: 'stateIsGiven', params: () => web({ state: undefined }), error: 'invalid_request', description: "The 'state' parameter is required for authorize requests." },
  { check: 'idTokenAsksOpenid', params: () => spa({ scope: 'api:read' }), where: 'fragment', error: 'invalid_scope', description: "The 'openid' scope must be requested with the 'id_token' response type." },
  { check: 'idTokenHasNonce', params: () => spa({ nonce: undefined }), where: 'fragment', error: 'invalid_request', description: "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types." },
  { check: 'challengeMethodHasChallenge', params: () => web({ code_challenge: undefined }), error: 'invalid_request', description: "The 'code_challenge' parameter is required with 'code_challenge_method'." },
  { check: 'challengeMethodIsS256', params: () => web({ code_challenge_method: 'plain' }), error: 'invalid_request', description: "The 'code_challenge_method' parameter must be 'S256'." },
  { check: 'challengeMethodIsS256', params: () => web({ code_challenge_method: undefined }), error: 'invalid_request', description: "The 'code_challenge_method' parameter must be 'S256'." },
  { check: 'challengeIsWellFormed', params: () => web({ code_challenge: 'too-short' }), error: 'invalid_request', description: "The 'code_challenge' parameter is invalid." },
  { check: 'publicClientUsesPkce', params: () => spa({ response_type: 'code', nonce: undefined }), error: 'invalid_request', description: "PKCE code challenge is required when the token endpoint authentication method is 'NONE'." },
  { check: 'promptIsSupported', params: () => web({ prompt: 'none login' }), error: 'invalid_request', description: "The 'prompt' parameter value 'none login' is not supported." },
  { check: 'promptIsSupported', params: () => web({ prompt: 'enroll_authenticator' }), error: 'invalid_request', description: "The 'prompt' parameter value 'enroll_authenticator' is not supported." },
  { check: 'maxAgeIsValid', params: () => web({ max_age: '-1' }), error: 'invalid_request', description: "The 'max_age' parameter must be a non-negative integer." },
];

describe('request checks: each refusal is reached and redirected', () => {
  it.each(REQUEST_CASES.map((c) => [`${c.check} (${c.description})`, c] as const))('%s', async (_name, c) => {
    const params: Form = { ...(await c.params()), sessionToken: await session() };
    const { where, params: got } = answer(await authorize(provider, 'default', params));
    expect(where).toBe(c.where ?? 'query');
    expect([got.get('error'), got.get('error_description'), got.get('state')]).toEqual([c.error, c.description, params.state ?? null]);
    // It is this check that refused first.
    const state = store.read();
    const app = has(state.apps, params.client_id ?? '');
    const server = findAuthServer(state, 'default');
    if (!app || !server) throw new Error('fixture missing');
    const req = authorizeRequest(server, app, CB, params);
    expect(REQUEST_CHECKS.find((check) => check(req) !== undefined)?.name).toBe(c.check);
  });

  it('a refused request leaves the session token unused', async () => {
    const sessionToken = await session();
    expect(answer(await authorize(provider, 'default', { ...web({ state: undefined }), sessionToken })).params.get('error')).toBe('invalid_request');
    expect(answer(await authorize(provider, 'default', { ...web(), sessionToken })).params.get('code')).toBeTruthy();
  });

  it('an error goes by form_post when asked', async () => {
    const r = answer(await authorize(provider, 'default', { ...web({ response_mode: 'form_post', scope: '' }), sessionToken: await session() }));
    expect([r.where, r.params.get('error'), r.params.get('state')]).toEqual(['form_post', 'invalid_scope', 'st']);
  });
});

const SIGN_IN_CASES: Case[] = [
  { check: 'userIsAssigned', params: async () => web({ sessionToken: await session('bob@example.com', 'Passw0rdBob') }), error: 'access_denied', description: NOT_ASSIGNED },
  { check: 'policyAllows', params: async () => web({ scope: 'api:write', sessionToken: await session() }), error: 'access_denied', description: POLICY_FAILED },
  { check: 'policyAllows', params: async () => web({ scope: 'api:nope', sessionToken: await session() }), error: 'invalid_scope', description: SCOPES_NOT_CONFIGURED },
  { check: 'idTokenIsGrantedOpenid', params: async () => spa({ scope: 'openid api:read', sessionToken: await session() }), where: 'fragment', error: 'access_denied', description: POLICY_FAILED },
];

/** Without a usable session token or session, prompt=none answers login_required; else the sign-in page. */
const NO_USER: { what: string; params: () => Promise<Form> }[] = [
  { what: 'no session token', params: () => Promise.resolve(web()) },
  { what: 'an unknown session token', params: () => Promise.resolve(web({ sessionToken: 'not-a-session-token' })) },
  {
    what: 'a used session token',
    params: async () => {
      const sessionToken = await session();
      await authorize(provider, 'default', { ...web(), sessionToken });
      return web({ sessionToken });
    },
  },
  {
    what: 'an expired session token',
    params: async () => {
      const sessionToken = await session();
      now += 300_000; // the session token lives 5 minutes
      return web({ sessionToken });
    },
  },
  {
    what: 'the session token of a user suspended since',
    params: async () => {
      const sessionToken = await session();
      await store.mutate((s) => {
        const alice = s.users['00uAlice'];
        if (alice) alice.status = 'SUSPENDED';
      });
      return web({ sessionToken });
    },
  },
];

describe('no signed-in user', () => {
  it.each(NO_USER.map((c) => [c.what, c] as const))('%s: the sign-in page', async (_what, c) => {
    const page = await authorize(provider, 'default', await c.params());
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(String(page.body)).toContain('<button type="submit" id="okta-signin-submit">Sign in</button>');
  });
  it.each(NO_USER.map((c) => [c.what, c] as const))('%s, prompt=none: login_required', async (_what, c) => {
    const { params: got } = answer(await authorize(provider, 'default', { ...(await c.params()), prompt: 'none' }));
    expect([got.get('error'), got.get('error_description'), got.get('state')]).toEqual(['login_required', NOT_LOGGED_IN, 'st']);
  });
});

describe('sign-in checks: each refusal is reached and redirected', () => {
  it.each(SIGN_IN_CASES.map((c) => [`${c.check} (${c.description})`, c] as const))('%s', async (_name, c) => {
    const params = await c.params();
    const { where, params: got } = answer(await authorize(provider, 'default', params));
    expect(where).toBe(c.where ?? 'query');
    expect([got.get('error'), got.get('error_description'), got.get('state')]).toEqual([c.error, c.description, 'st']);
  });
});

describe('sign-in checks, one by one', () => {
  function signIn(over: Partial<SignIn> = {}): SignIn {
    const state = store.read();
    const app = has(state.apps, '0oaWeb');
    const server = findAuthServer(state, 'default');
    const user = has(state.users, '00uAlice');
    if (!app || !server || !user) throw new Error('fixture missing');
    const nowSec = Math.floor(now / 1000);
    return {
      req: authorizeRequest(server, app, CB, { ...web(), sessionToken: 'given' }),
      state,
      now: nowSec,
      user,
      decision: { ok: true, policyId: '00pWeb', ruleId: '0prWeb', grantedScopes: ['api:read'], accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 },
      ...over,
    };
  }
  const refusalOf = (s: SignIn): [string, Refusal] | undefined => {
    const check = SIGN_IN_CHECKS.find((c) => c(s) !== undefined);
    const refusal = check?.(s);
    return check && refusal ? [check.name, refusal] : undefined;
  };

  it('a good sign-in passes every check', () => {
    expect(firstRefusal(SIGN_IN_CHECKS, signIn())).toBeUndefined();
  });

  it('each missing piece is refused by its own check, failing closed', () => {
    const s = signIn();
    expect(refusalOf(signIn({ req: { ...s.req, app: { ...s.req.app, groupAssignments: {} } } }))).toEqual(['userIsAssigned', { error: 'access_denied', description: NOT_ASSIGNED }]);
    expect(refusalOf(signIn({ decision: { ok: false, error: 'access_denied', error_description: POLICY_FAILED } }))).toEqual(['policyAllows', { error: 'access_denied', description: POLICY_FAILED }]);
    expect(refusalOf(signIn({ decision: { ok: false, error: 'invalid_scope', error_description: SCOPES_NOT_CONFIGURED } }))).toEqual(['policyAllows', { error: 'invalid_scope', description: SCOPES_NOT_CONFIGURED }]);
    expect(refusalOf(signIn({ req: { ...s.req, types: new Set(['id_token']) } }))).toEqual(['idTokenIsGrantedOpenid', { error: 'access_denied', description: POLICY_FAILED }]);
  });
});
