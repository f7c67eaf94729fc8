import { describe, expect, it } from 'vitest';
import type { InputEntry } from '../input/schema.js';
import { chainDeps, inputPriority, orderDiff, priorityGroups, topoOrder } from './priority.js';

const rule = (name: string, priority: unknown, endpoint = '/api/v1/authorizationServers/{{AS.id}}/policies/{{P.id}}/rules'): InputEntry =>
  ({ objType: 'json', objectClass: 'okta:rule', oktaEndpoint: endpoint, default: { name, priority } });

describe('priority order of policies and rules', () => {
  const entries: Record<string, InputEntry> = {
    SILVER: rule('silver', 2),
    GOLD: rule('gold', 1),
    OTHER: rule('other', 1, '/api/v1/authorizationServers/{{AS.id}}/policies/{{Q.id}}/rules'),
    GROUP: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'g' } } },
  };
  const order = ['GROUP', 'SILVER', 'GOLD', 'OTHER'];

  it('groups entries by class and parent, in input priority order (ties by input order)', () => {
    const groups = [...priorityGroups(order, (k) => entries[k]).values()].map((g) => g.map((s) => s.key));
    expect(groups).toEqual([['GOLD', 'SILVER'], ['OTHER']]);
    expect(inputPriority(rule('x', '3'))).toBe(3);
    expect(inputPriority(rule('x', '{{P}}'))).toBeUndefined();
  });

  it('chains each sibling after the one before it, unless that closes a cycle, and reorders topologically', () => {
    const deps = new Map<string, string[]>([['SILVER', []], ['GOLD', []], ['OTHER', []], ['GROUP', []]]);
    chainDeps(priorityGroups(order, (k) => entries[k]), deps);
    expect(deps.get('SILVER')).toEqual(['GOLD']);
    expect(deps.get('GOLD')).toEqual([]);
    expect(topoOrder(order, deps)).toEqual(['GROUP', 'GOLD', 'SILVER', 'OTHER']);
    const cyclic = new Map<string, string[]>([['GOLD', ['SILVER']], ['SILVER', []]]);
    chainDeps(priorityGroups(['SILVER', 'GOLD'], (k) => entries[k]), cyclic);
    expect(cyclic.get('SILVER')).toEqual([]);
  });

  it('a wrong relative order in the org is a priority difference; the right one, or equal input priorities, is none', () => {
    const gold = { key: 'GOLD', priority: 1, name: 'gold' };
    const silver = { key: 'SILVER', priority: 2, name: 'silver' };
    const sibs = [gold, silver];
    const org = (p: Record<string, number>) => (s: { key: string }) => (p[s.key] !== undefined ? { priority: p[s.key] } : undefined);
    expect(orderDiff(gold, { priority: 2 }, sibs, org({ SILVER: 1 }))).toEqual([{ path: 'priority', before: 2, after: 1 }]);
    expect(orderDiff(silver, { priority: 1 }, sibs, org({ GOLD: 2 }))).toEqual([{ path: 'priority', before: 1, after: 2 }]);
    // other rules in between do not matter, only the relative order
    expect(orderDiff(gold, { priority: 3 }, sibs, org({ SILVER: 7 }))).toEqual([]);
    expect(orderDiff(gold, { priority: 2 }, sibs, org({}))).toEqual([]);
    const a = { key: 'A', priority: 1, name: 'a' };
    expect(orderDiff(a, { priority: 2 }, [a, { key: 'B', priority: 1, name: 'b' }], org({ B: 1 }))).toEqual([]);
  });
});
