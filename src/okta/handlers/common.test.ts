/**
 * The pure parts the handlers share: natural-key map keys, the desired-driven diff, parents from endpoints,
 * search expressions in batches, and the handler table.
 */
import { describe, expect, it } from 'vitest';
import { diffBody, keyOf, matches, orExpressions, parentFromEndpoint, quote } from './common.js';
import { createOktaClient } from '../client.js';
import { handlerFor, OBJECT_CLASSES } from './index.js';

describe('keyOf', () => {
  it('does not depend on field order', () => {
    expect(keyOf({ a: '1', b: '2' })).toBe(keyOf({ b: '2', a: '1' }));
    expect(keyOf({ a: '1' })).not.toBe(keyOf({ a: '2' }));
  });
});

describe('diffBody', () => {
  const server = {
    id: 'aus1',
    name: 'as',
    description: 'd',
    audiences: ['api://a', 'api://b'],
    issuer: 'http://o/oauth2/aus1',
    issuerMode: 'ORG_URL',
    status: 'ACTIVE',
    created: 'c',
    lastUpdated: 'l',
    credentials: { signing: { kid: 'k', rotationMode: 'AUTO' } },
    _links: { self: { href: 'x' } },
  };

  it('compares only what the input sets; arrays as multisets', () => {
    expect(diffBody(server, { name: 'as', audiences: ['api://b', 'api://a'] })).toEqual([]);
    expect(diffBody(server, { name: 'as', description: 'new' })).toEqual([{ path: 'description', before: 'd', after: 'new' }]);
    expect(diffBody(server, { audiences: ['api://a'] })).toEqual([{ path: 'audiences', before: ['api://a', 'api://b'], after: ['api://a'] }]);
  });

  it('never counts Okta-filled fields or the ignored ones, but counts status when the input sets it', () => {
    expect(diffBody(server, { id: 'other', created: 'x', _links: {}, issuer: 'y', credentials: { signing: { kid: 'z' } } }, ['issuer', 'credentials.signing'])).toEqual([]);
    expect(diffBody(server, { status: 'INACTIVE' })).toEqual([{ path: 'status', before: 'ACTIVE', after: 'INACTIVE' }]);
  });

  it('null in the input matches an absent field; write-only secrets never count', () => {
    const user = { profile: { login: 'a@b.c', firstName: 'A' }, credentials: { password: {}, recovery_question: { question: 'q?' } } };
    expect(diffBody(user, { profile: { login: 'a@b.c', mobilePhone: null }, credentials: { password: { value: 'pw' }, recovery_question: { question: 'q?', answer: 'a' } } }, ['credentials.password', 'credentials.recovery_question.answer'])).toEqual([]);
    expect(diffBody(user, { credentials: { recovery_question: { question: 'other?' } } })).toEqual([{ path: 'credentials.recovery_question.question', before: 'q?', after: 'other?' }]);
  });

  it('compares array elements on the fields the input sets', () => {
    expect(matches([{ type: 'CORS', allowedOktaApps: [] }, { type: 'REDIRECT' }], [{ type: 'REDIRECT' }, { type: 'CORS' }])).toBe(true);
    expect(matches([{ type: 'CORS' }], [{ type: 'REDIRECT' }])).toBe(false);
    expect(diffBody({ profile: 'x' }, { profile: { name: 'n' } })).toEqual([{ path: 'profile', before: 'x', after: { name: 'n' } }]);
  });
});

describe('parentFromEndpoint', () => {
  it.each([
    ['/api/v1/authorizationServers/aus1/scopes', { authServerId: 'aus1' }],
    ['https://o.okta.com/api/v1/authorizationServers/aus1/policies/00p2/rules', { authServerId: 'aus1', policyId: '00p2' }],
    ['/api/v1/apps/0oa1/groups/00g2', { appId: '0oa1', groupId: '00g2' }],
    ['/api/v1/groups', {}],
    [undefined, {}],
  ])('%s', (endpoint, parent) => {
    expect(parentFromEndpoint(endpoint)).toEqual(parent);
  });
});

describe('orExpressions', () => {
  it('quotes values and splits into URL-sized expressions covering every value once', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    const logins = Array.from({ length: 300 }, (_, i) => `user.number.${i}@example.com`);
    const exprs = orExpressions('profile.login', logins);
    expect(exprs.length).toBeGreaterThan(1);
    expect(exprs.length).toBeLessThan(8);
    for (const e of exprs) expect(encodeURIComponent(e).length).toBeLessThanOrEqual(6000);
    const all = exprs.flatMap((e) => e.split(' or ').map((t) => t.replace(/^profile\.login eq "(.*)"$/, '$1')));
    expect(all).toEqual(logins);
    expect(orExpressions('profile.name', ['a', 'a'])).toEqual(['profile.name eq "a"']);
  });
});

describe('handlerFor', () => {
  it('refuses a class it does not know (the compiler proves every known class has a handler)', () => {
    for (const c of OBJECT_CLASSES) expect(handlerFor(c).objectClass).toBe(c);
    expect(() => handlerFor('okta:nope')).toThrow(/unknown objectClass/);
  });

  it('destroys children before their parents', () => {
    const rank = (c: string) => handlerFor(c).destroyRank;
    expect(rank('okta:rule')).toBeLessThan(rank('okta:oauth_policy'));
    expect(rank('okta:oauth_policy')).toBeLessThan(rank('okta:scope'));
    expect(rank('okta:scope')).toBe(rank('okta:claim'));
    expect(rank('okta:claim')).toBeLessThan(rank('okta:authz_server'));
    expect(rank('okta:app_group_assignment')).toBeLessThan(rank('okta:client'));
    expect(rank('okta:user')).toBeLessThan(rank('okta:user_group'));
  });

  it('the create request follows the class, not the entry\'s oktaEndpoint: a scope is POSTed to /scopes', async () => {
    // parentOf reads the ids out of an endpoint that names the wrong collection (/claims); the request is the class's
    const scope = handlerFor('okta:scope');
    const parent = scope.parentOf({ name: 's' }, '/api/v1/authorizationServers/aus1/claims');
    // no request is sent: a client for an address nothing listens on
    const ctx = { api: createOktaClient({ orgUrl: 'http://127.0.0.1:9', token: 'unused-token' }), parent };
    expect(await scope.createRequest(ctx, { name: 's' })).toEqual({ method: 'POST', path: '/api/v1/authorizationServers/aus1/scopes', body: { name: 's' } });
    expect(await handlerFor('okta:user').createRequest(ctx, { profile: { login: 'a@b.c' } })).toMatchObject({ method: 'POST', path: '/api/v1/users', query: { activate: true } });
  });

  it('natural keys and parents', () => {
    expect(handlerFor('okta:user').naturalKey({ profile: { login: 'a@b.c' } })).toEqual({ 'profile.login': 'a@b.c' });
    expect(handlerFor('okta:user_group').naturalKey({ profile: { name: 'g' } })).toEqual({ 'profile.name': 'g' });
    expect(handlerFor('okta:client').naturalKey({ client_name: 'c' })).toEqual({ client_name: 'c' });
    expect(handlerFor('okta:trusted_origin').naturalKey({ origin: 'https://x', name: 'x' })).toEqual({ origin: 'https://x' });
    expect(handlerFor('okta:rule').parentOf({ name: 'r' }, '/api/v1/authorizationServers/aus1/policies/00p1/rules')).toEqual({ authServerId: 'aus1', policyId: '00p1' });
    expect(handlerFor('okta:app_group_assignment').parentOf({ appId: '0oa1', groupId: 'Everyone' })).toEqual({ appId: '0oa1' });
    expect(handlerFor('okta:app_group_assignment').naturalKey({ appId: '0oa1', groupId: 'Everyone' })).toEqual({ groupId: 'Everyone' });
    expect(() => handlerFor('okta:scope').naturalKey({ description: 'no name' })).toThrow(/needs a "name"/);
    expect(() => handlerFor('okta:user_group').naturalKey({ profile: {} })).toThrow(/okta:user_group needs a "profile.name"/);
    try {
      handlerFor('okta:user').naturalKey({ profile: { email: 'a@b.c' } });
      expect.unreachable();
    } catch (e) {
      expect((e as { details: { suggestion: string } }).details.suggestion).toBe('Add {"profile": {"login": ...}} to the entry\'s default.');
    }
    expect(handlerFor('okta:authz_server').naturalKey({ name: 'n', audiences: [] })).toEqual({ name: 'n' });
    expect(handlerFor('okta:client').idOf({ client_id: '0oa9', id: 'x' })).toBe('0oa9');
  });
});
