import { describe, expect, it } from 'vitest';
import { applicableRule, byPriority, decide, findPolicy, policyIncludesClient, ruleMatches, scopesNotAllowed, type AccessRule } from './access-policy.js';

const who = { userId: '00u1', groupIds: ['00gA'] };
const req = { grantType: 'authorization_code', scopes: ['openid', 'gold'] };

function rule(over: Partial<AccessRule> & { id: string }, people: NonNullable<AccessRule['conditions']>['people'] = { groups: { include: ['00gA'] } }): AccessRule {
  return { status: 'ACTIVE', conditions: { people, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['openid', 'gold'] } }, ...over };
}

describe('which policy and rule Okta applies', () => {
  it('a policy applies to the clients it lists, or to ALL_CLIENTS', () => {
    expect(policyIncludesClient({ id: 'p', conditions: { clients: { include: ['0oaA'] } } }, '0oaA')).toBe(true);
    expect(policyIncludesClient({ id: 'p', conditions: { clients: { include: ['ALL_CLIENTS'] } } }, '0oaA')).toBe(true);
    expect(policyIncludesClient({ id: 'p', conditions: { clients: { include: ['0oaB'] } } }, '0oaA')).toBe(false);
    expect(policyIncludesClient({ id: 'p' }, '0oaA')).toBe(false);
  });

  it('the recorded policy id wins over the policy that names the client', () => {
    const a = { id: 'pA', conditions: { clients: { include: ['0oaA'] } } };
    const b = { id: 'pB' };
    expect(findPolicy([a, b], { id: 'pB', clientId: '0oaA' })).toBe(b);
    expect(findPolicy([a, b], { id: 'gone', clientId: '0oaA' })).toBe(a);
    expect(findPolicy([a, b], {})).toBeUndefined();
  });

  it('priority order, lowest first; ties and missing priorities keep the listed order, missing last', () => {
    const xs = [{ id: 'a', priority: 2 }, { id: 'b' }, { id: 'c', priority: 1 }, { id: 'd', priority: 2 }];
    expect(byPriority(xs).map((x) => x.id)).toEqual(['c', 'a', 'd', 'b']);
  });

  it('a rule matches on grant type, people (users or groups, EVERYONE) and every requested scope', () => {
    expect(ruleMatches(rule({ id: 'r', conditions: { people: { groups: { include: ['00gA'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['openid'] } } }), who, req)).toBe(false);
    expect(ruleMatches(rule({ id: 'r' }), who, req)).toBe(true);
    expect(ruleMatches(rule({ id: 'r' }), who, { ...req, grantType: 'client_credentials' })).toBe(false);
    expect(ruleMatches(rule({ id: 'r' }, { groups: { include: ['00gB'] } }), who, req)).toBe(false);
    expect(ruleMatches(rule({ id: 'r' }, { groups: { include: ['EVERYONE'] } }), who, req)).toBe(true);
    expect(ruleMatches(rule({ id: 'r' }, { users: { include: ['00u1'] } }), who, req)).toBe(true);
    expect(ruleMatches(rule({ id: 'r', conditions: { people: { groups: { include: ['00gA'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['silver'] } } }), who, req)).toBe(false);
    expect(ruleMatches(rule({ id: 'r', conditions: { people: { groups: { include: ['00gA'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['*'] } } }), who, req)).toBe(true);
  });

  it('exclusion wins over inclusion', () => {
    expect(ruleMatches(rule({ id: 'r' }, { groups: { include: ['EVERYONE'] }, users: { exclude: ['00u1'] } }), who, req)).toBe(false);
    expect(ruleMatches(rule({ id: 'r' }, { users: { include: ['00u1'] }, groups: { exclude: ['00gA'] } }), who, req)).toBe(false);
  });

  it('the applicable rule is the first ACTIVE matching one by priority', () => {
    const inactive = rule({ id: 'inactive', priority: 1, status: 'INACTIVE' });
    const other = rule({ id: 'other', priority: 2 }, { groups: { include: ['00gB'] } });
    const mine = rule({ id: 'mine', priority: 3 });
    const later = rule({ id: 'later', priority: 4 });
    expect(applicableRule([later, mine, other, inactive], who, req)?.id).toBe('mine');
    expect(applicableRule([other, inactive], who, req)).toBeUndefined();
  });

  it('the scopes a rule does not allow; * allows every scope', () => {
    expect(scopesNotAllowed(rule({ id: 'r' }), ['openid', 'gold', 'moons'])).toEqual(['moons']);
    expect(scopesNotAllowed(rule({ id: 'r', conditions: { scopes: { include: ['*'] } } }), ['moons'])).toEqual([]);
    expect(scopesNotAllowed(rule({ id: 'r', conditions: {} }), ['openid'])).toEqual(['openid']);
  });

  it('decide: a rule allowing part of the request is passed over, then the next policy; none → undefined', () => {
    const silver = rule({ id: 'silver', priority: 1, conditions: { people: { groups: { include: ['00gA'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['openid', 'silver'] } } });
    const gold = rule({ id: 'gold', priority: 2 });
    const p1 = { policy: { id: 'p1', status: 'ACTIVE', priority: 1, conditions: { clients: { include: ['0oaA'] } } }, rules: [silver] };
    const p2 = { policy: { id: 'p2', status: 'ACTIVE', priority: 2, conditions: { clients: { include: ['ALL_CLIENTS'] } } }, rules: [gold] };
    expect(decide([{ ...p1, rules: [silver, gold] }], '0oaA', who, req)?.rule.id).toBe('gold');
    expect(decide([p2, p1], '0oaA', who, req)).toMatchObject({ policy: { id: 'p2' }, rule: { id: 'gold' } });
    expect(decide([p1], '0oaA', who, req)).toBeUndefined();
    expect(decide([p1, p2], '0oaB', who, req)?.rule.id).toBe('gold');
    expect(decide([p1, p2], '0oaB', who, { ...req, scopes: ['openid', 'silver'] })).toBeUndefined();
    expect(decide([{ ...p2, policy: { ...p2.policy, status: 'INACTIVE' } }], '0oaA', who, req)).toBeUndefined();
  });
});
