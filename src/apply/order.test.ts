import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RecordedObject } from '../core/output-format.js';
import { OBJECT_CLASSES } from '../okta/handlers/index.js';
import { destroyRank, destroySteps } from './order.js';

const rec = (objectClass: string, state: RecordedObject['state'] = 'done'): RecordedObject => ({ objectClass, state, id: 'x', naturalKey: {}, at: '' });

describe('destroy order', () => {
  it('rules, policies, scopes and claims, servers, assignments, clients, users, groups, origins; skips what is deleted', () => {
    const steps = destroySteps({
      ORIGIN: rec('okta:trusted_origin'),
      GROUP: rec('okta:user_group'),
      SERVER: rec('okta:authz_server'),
      RULE: rec('okta:rule'),
      USER: rec('okta:user', 'pending'),
      GONE: rec('okta:user', 'deleted'),
      SCOPE: rec('okta:scope'),
      CLAIM: rec('okta:claim'),
      POLICY: rec('okta:oauth_policy'),
      CLIENT: rec('okta:client'),
      ASSIGN: rec('okta:app_group_assignment'),
    });
    expect(steps.map((s) => s.map((x) => x.key).sort())).toEqual([
      ['RULE'], ['POLICY'], ['CLAIM', 'SCOPE'], ['SERVER'], ['ASSIGN'], ['CLIENT'], ['USER'], ['GROUP'], ['ORIGIN'],
    ]);
  });

  it('property: children always go before their parents', () => {
    const parentOf: Record<string, string> = {
      'okta:rule': 'okta:oauth_policy',
      'okta:oauth_policy': 'okta:authz_server',
      'okta:scope': 'okta:authz_server',
      'okta:claim': 'okta:authz_server',
      'okta:app_group_assignment': 'okta:client',
      'okta:client_logout_uri': 'okta:client',
    };
    const classes = [...OBJECT_CLASSES];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...classes), { minLength: 1, maxLength: 20 }), (list) => {
        const objects = Object.fromEntries(list.map((c, i) => [`K${i}`, rec(c)]));
        const flat = destroySteps(objects).flatMap((s, i) => s.map((x) => ({ ...x, step: i })));
        return flat.every((x) => {
          const p = parentOf[x.rec.objectClass];
          return !p || flat.filter((y) => y.rec.objectClass === p).every((y) => y.step > x.step);
        }) && flat.length === list.length;
      }),
    );
    expect(destroyRank('okta:unknown')).toBeGreaterThan(Math.max(...classes.map(destroyRank)));
  });
});
