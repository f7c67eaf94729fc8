import { describe, expect, it } from 'vitest';
import { CC_OIDC_SCOPES, evaluatePolicy, NO_DEFAULT_SCOPES, parseScopeParam, POLICY_FAILED, SCOPES_NOT_CONFIGURED, type PolicyLike, type PolicyRequest, type RuleLike } from './policy.js';

const policy = (over: Partial<PolicyLike> = {}): PolicyLike => ({ id: '00p1', status: 'ACTIVE', priority: 1, conditions: { clients: { include: ['0oaClient'] } }, ...over });
const rule = (over: Partial<RuleLike> & { groups?: string[]; users?: string[]; grants?: string[]; scopes?: string[]; minutes?: number } = {}): RuleLike => ({
  id: over.id ?? '0pr1',
  status: over.status ?? 'ACTIVE',
  priority: over.priority ?? 1,
  conditions: {
    people: { groups: { include: over.groups ?? ['00gSilver'] }, users: { include: over.users ?? [] } },
    grantTypes: { include: over.grants ?? ['authorization_code', 'client_credentials'] },
    scopes: { include: over.scopes ?? ['api:read'] },
  },
  actions: { token: { accessTokenLifetimeMinutes: over.minutes ?? 30, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
});
const base = (over: Partial<PolicyRequest> = {}): PolicyRequest => ({
  policies: [{ policy: policy(), rules: [rule()] }],
  scopes: [{ name: 'api:read' }, { name: 'api:write' }],
  clientId: '0oaClient',
  grantType: 'authorization_code',
  user: { id: '00uAlice', groupIds: ['00gSilver'] },
  requestedScopes: ['api:read'],
  ...over,
});
const denied = { ok: false, error: 'access_denied', error_description: POLICY_FAILED };

describe('evaluatePolicy', () => {
  it('allows a user in the right group and reports the rule, scopes and lifetimes', () => {
    expect(evaluatePolicy(base())).toEqual({ ok: true, policyId: '00p1', ruleId: '0pr1', grantedScopes: ['api:read'], accessTokenLifetimeMinutes: 30, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 });
  });
  it('denies a user outside the group', () => {
    expect(evaluatePolicy(base({ user: { id: '00uBob', groupIds: ['00gGold'] } }))).toEqual(denied);
  });
  it('allows a user named directly, and everyone with EVERYONE', () => {
    const direct = base({ policies: [{ policy: policy(), rules: [rule({ groups: [], users: ['00uBob'] })] }], user: { id: '00uBob', groupIds: [] } });
    expect(evaluatePolicy(direct).ok).toBe(true);
    const everyone = base({ policies: [{ policy: policy(), rules: [rule({ groups: ['EVERYONE'] })] }], user: { id: '00uX', groupIds: [] } });
    expect(evaluatePolicy(everyone).ok).toBe(true);
  });
  it('honours excludes', () => {
    const r = rule({ groups: ['EVERYONE'] });
    r.conditions = { ...r.conditions, people: { groups: { include: ['EVERYONE'] }, users: { include: [], exclude: ['00uAlice'] } } };
    expect(evaluatePolicy(base({ policies: [{ policy: policy(), rules: [r] }] }))).toEqual(denied);
  });
  it('ignores people for client_credentials, and needs a user for user grants', () => {
    expect(evaluatePolicy(base({ grantType: 'client_credentials', user: undefined })).ok).toBe(true);
    expect(evaluatePolicy(base({ user: undefined }))).toEqual(denied);
  });
  it('denies a grant type the rule does not list', () => {
    expect(evaluatePolicy(base({ grantType: 'implicit' }))).toEqual(denied);
  });
  it('denies a scope no rule grants, denies a request the rule covers only in part, and * grants all', () => {
    expect(evaluatePolicy(base({ requestedScopes: ['api:write'] }))).toEqual(denied);
    expect(evaluatePolicy(base({ requestedScopes: ['api:write', 'api:read'] }))).toEqual(denied);
    // the same for client_credentials: a silver-only rule does not answer a silver + gold request
    expect(evaluatePolicy(base({ grantType: 'client_credentials', user: undefined, requestedScopes: ['api:read', 'api:write'] }))).toEqual(denied);
    const star = evaluatePolicy(base({ policies: [{ policy: policy(), rules: [rule({ scopes: ['*'] })] }], requestedScopes: ['api:write', 'openid'] }));
    expect(star).toMatchObject({ ok: true, grantedScopes: ['api:write', 'openid'] });
  });
  it('rejects unknown scopes with invalid_scope, and OIDC scopes for client_credentials', () => {
    expect(evaluatePolicy(base({ requestedScopes: ['nope'] }))).toEqual({ ok: false, error: 'invalid_scope', error_description: SCOPES_NOT_CONFIGURED });
    expect(evaluatePolicy(base({ grantType: 'client_credentials', requestedScopes: ['openid', 'api:read'] }))).toEqual({ ok: false, error: 'invalid_scope', error_description: CC_OIDC_SCOPES });
  });
  it('uses default scopes when none are requested', () => {
    expect(evaluatePolicy(base({ requestedScopes: [] }))).toEqual({ ok: false, error: 'invalid_scope', error_description: NO_DEFAULT_SCOPES });
    expect(evaluatePolicy(base({ requestedScopes: [], scopes: [{ name: 'api:read', default: true }] }))).toMatchObject({ ok: true, grantedScopes: ['api:read'] });
    // no scope asked: the default scopes the rule permits, not the others
    const two = [{ name: 'api:read', default: true }, { name: 'api:write', default: true }];
    expect(evaluatePolicy(base({ requestedScopes: [], scopes: two }))).toMatchObject({ ok: true, grantedScopes: ['api:read'] });
    expect(evaluatePolicy(base({ requestedScopes: [], scopes: [{ name: 'api:write', default: true }] }))).toEqual(denied);
  });
  it('skips an INACTIVE rule', () => {
    expect(evaluatePolicy(base({ policies: [{ policy: policy(), rules: [rule({ status: 'INACTIVE' })] }] }))).toEqual(denied);
    const fallback = base({ policies: [{ policy: policy(), rules: [rule({ status: 'INACTIVE', id: 'r1' }), rule({ id: 'r2', priority: 2 })] }] });
    expect(evaluatePolicy(fallback)).toMatchObject({ ok: true, ruleId: 'r2' });
  });
  it('skips an INACTIVE policy', () => {
    expect(evaluatePolicy(base({ policies: [{ policy: policy({ status: 'INACTIVE' }), rules: [rule()] }] }))).toEqual(denied);
  });
  it('denies a client the policy does not include; ALL_CLIENTS includes every client', () => {
    expect(evaluatePolicy(base({ clientId: '0oaOther' }))).toEqual(denied);
    const all = base({ clientId: '0oaOther', policies: [{ policy: policy({ conditions: { clients: { include: ['ALL_CLIENTS'] } } }), rules: [rule()] }] });
    expect(evaluatePolicy(all).ok).toBe(true);
  });
  it('takes rules and policies in priority order, whatever their listing order', () => {
    const rules = [rule({ id: 'late', priority: 2, minutes: 90 }), rule({ id: 'early', priority: 1, minutes: 15 })];
    expect(evaluatePolicy(base({ policies: [{ policy: policy(), rules }] }))).toMatchObject({ ok: true, ruleId: 'early', accessTokenLifetimeMinutes: 15 });
    // the higher-priority rule does not match the user: the next one does
    const rules2 = [rule({ id: 'gold', priority: 1, groups: ['00gGold'] }), rule({ id: 'silver', priority: 2 })];
    expect(evaluatePolicy(base({ policies: [{ policy: policy(), rules: rules2 }] }))).toMatchObject({ ok: true, ruleId: 'silver' });
    const policies = [
      { policy: policy({ id: 'p2', priority: 2 }), rules: [rule({ id: 'r-p2' })] },
      { policy: policy({ id: 'p1', priority: 1 }), rules: [rule({ id: 'r-p1' })] },
    ];
    expect(evaluatePolicy(base({ policies }))).toMatchObject({ ok: true, policyId: 'p1', ruleId: 'r-p1' });
  });
  it('passes over a rule that allows only part of the request, to a later rule, then a later policy', () => {
    const silver = rule({ id: 'silver', priority: 1, groups: ['00gSilver', '00gGold'], scopes: ['openid', 'silver'] });
    const gold = rule({ id: 'gold', priority: 2, groups: ['00gGold'], scopes: ['openid', 'silver', 'gold'], minutes: 5 });
    const scopes = [{ name: 'silver' }, { name: 'gold' }];
    const goldUser = { id: '00uG', groupIds: ['00gGold'] };
    const req = base({ scopes, user: goldUser, requestedScopes: ['openid', 'silver', 'gold'], policies: [{ policy: policy(), rules: [silver, gold] }] });
    expect(evaluatePolicy(req)).toMatchObject({ ok: true, ruleId: 'gold', grantedScopes: ['openid', 'silver', 'gold'], accessTokenLifetimeMinutes: 5 });
    // asking only for silver, the gold user is answered by the first rule
    expect(evaluatePolicy({ ...req, requestedScopes: ['openid', 'silver'] })).toMatchObject({ ok: true, ruleId: 'silver' });
    // a silver user asking for gold too: no rule covers it
    expect(evaluatePolicy({ ...req, user: { id: '00uS', groupIds: ['00gSilver'] } })).toEqual(denied);
    const later = base({ scopes, user: goldUser, requestedScopes: ['openid', 'silver', 'gold'], policies: [
      { policy: policy({ id: 'p1', priority: 1 }), rules: [silver] },
      { policy: policy({ id: 'p2', priority: 2 }), rules: [gold] },
    ] });
    expect(evaluatePolicy(later)).toMatchObject({ ok: true, policyId: 'p2', ruleId: 'gold' });
  });
});

describe('parseScopeParam', () => {
  it('splits, dedupes and drops empties', () => {
    expect(parseScopeParam('openid  api:read openid')).toEqual(['openid', 'api:read']);
    expect(parseScopeParam(undefined)).toEqual([]);
  });
});
