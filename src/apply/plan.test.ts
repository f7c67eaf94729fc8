import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RecordedObject } from '../core/output-format.js';
import { diffBody } from '../okta/handlers/common.js';
import { handlerFor } from '../okta/handlers/index.js';
import { adoptedAction, planObject, sharedDiffs, type PlanHandler } from './plan.js';

type Obj = Record<string, unknown>;
const handler: PlanHandler<Obj, Obj> = {
  // the diff production runs (every handler's diff is diffBody with its own ignored paths)
  diff: (existing, body) => diffBody(existing, body, ['credentials.password']),
  idOf: (o) => String(o.id),
};
const rec = (state: RecordedObject['state'], id?: string): RecordedObject => ({
  objectClass: 'okta:user_group',
  state,
  id,
  naturalKey: { 'profile.name': 'g' },
  at: '2026-01-01T00:00:00.000Z',
});
const desired = { profile: { name: 'g', description: 'd' } };
const existing = { id: '00g1', created: 'x', _links: {}, type: 'OKTA_GROUP', profile: { name: 'g', description: 'd' } };

describe('planObject', () => {
  it('creates what the org does not hold', () => {
    expect(planObject(desired, undefined, undefined, handler).action).toBe('create');
    expect(planObject(desired, undefined, rec('done', '00g1'), handler)).toMatchObject({ action: 'create' });
    expect(planObject(desired, undefined, rec('pending'), handler).action).toBe('create');
    expect(planObject(desired, undefined, rec('deleted', '00g1'), handler).action).toBe('create');
  });

  it('leaves a recorded, identical object unchanged', () => {
    expect(planObject(desired, existing, rec('done', '00g1'), handler)).toMatchObject({ action: 'unchanged', ours: true, diffs: [] });
  });

  it('updates a recorded object whose fields differ, listing each field', () => {
    const p = planObject({ profile: { name: 'g', description: 'new' } }, existing, rec('done', '00g1'), handler);
    expect(p.action).toBe('update');
    expect(p.diffs).toEqual([{ path: 'profile.description', before: 'd', after: 'new' }]);
  });

  it('reports an unrecorded match as a conflict, never adopting silently', () => {
    const p = planObject(desired, existing, undefined, handler);
    expect(p).toMatchObject({ action: 'conflict', ours: false, existingId: '00g1' });
    expect(adoptedAction(p)).toBe('unchanged');
    const changed = planObject({ profile: { name: 'g', description: 'other' } }, existing, undefined, handler);
    expect(changed.action).toBe('conflict');
    expect(adoptedAction(changed)).toBe('update');
  });

  it('reports a match recorded under another id, or recorded as deleted, as a conflict', () => {
    expect(planObject(desired, existing, rec('done', '00gOTHER'), handler).action).toBe('conflict');
    expect(planObject(desired, existing, rec('deleted', '00g1'), handler).action).toBe('conflict');
  });

  it('takes over an object our pending write-ahead intent created (killed before "done")', () => {
    expect(planObject(desired, existing, rec('pending'), handler)).toMatchObject({ action: 'unchanged', ours: true, resumed: true });
    expect(planObject(desired, existing, rec('pending', '00g1'), handler)).toMatchObject({ action: 'unchanged', resumed: true });
    expect(planObject(desired, existing, rec('pending', '00gX'), handler).action).toBe('conflict');
  });
});

// Arbitrary JSON bodies, like input defaults after rendering.
const key = fc.constantFrom('name', 'description', 'profile', 'audiences', 'conditions', 'priority', 'status', 'x');
const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean());
const body: fc.Arbitrary<Obj> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(leaf, { maxLength: 3 }), tie('obj')),
  obj: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).obj;
// What Okta adds on a create: fields the input never sets.
const filled = fc.record({ id: fc.stringMatching(/^[0-9a-z]{20}$/), created: fc.constant('2026-01-01T00:00:00.000Z'), _links: fc.constant({ self: { href: 'x' } }) });

describe('planObject properties', () => {
  it('planning the state an apply produced gives unchanged', () => {
    fc.assert(
      fc.property(body, filled, (b, f) => {
        const created = { ...structuredClone(b), ...f };
        const p = planObject(b, created, rec('done', f.id), handler);
        return p.action === 'unchanged' && p.diffs.length === 0;
      }),
    );
  });

  it('an object nobody recorded is never planned as unchanged or update (no silent adoption)', () => {
    fc.assert(
      fc.property(body, filled, fc.option(fc.constantFrom<RecordedObject['state']>('deleted', 'done')), (b, f, state) => {
        const created = { ...structuredClone(b), ...f };
        const recorded = state === null ? undefined : rec(state, state === 'done' ? `${f.id}x` : f.id);
        return planObject(b, created, recorded, handler).action === 'conflict';
      }),
    );
  });

  it('after applying the diff of an update, planning again gives unchanged', () => {
    fc.assert(
      fc.property(body, body, filled, (before, wanted, f) => {
        const existing = { ...structuredClone(before), ...f };
        const p = planObject(wanted, existing, rec('done', f.id), handler);
        if (p.action === 'unchanged') return true;
        // A PUT replaces the object with the input's fields; Okta keeps its own.
        const after = { ...structuredClone(wanted), ...f };
        return planObject(wanted, after, rec('done', f.id), handler).action === 'unchanged';
      }),
    );
  });

  it("an org object holding the input's fields on top of anything else has no diff", () => {
    fc.assert(fc.property(body, body, (other, wanted) => diffBody({ ...other, ...structuredClone(wanted) }, wanted).length === 0));
  });
});

describe('planObject with the real handlers', () => {
  // What Okta answers to a create: the body plus fields Okta fills in (and, for users, no password back).
  const cases: { objectClass: string; body: fc.Arbitrary<Obj>; created: (b: Obj, id: string) => Obj }[] = [
    {
      objectClass: 'okta:user_group',
      body: fc.record({ profile: fc.record({ name: fc.string({ minLength: 1 }), description: fc.string() }) }),
      created: (b, id) => ({ ...b, id, type: 'OKTA_GROUP', objectClass: ['okta:user_group'], created: 'x', lastUpdated: 'x', _links: {} }),
    },
    {
      objectClass: 'okta:scope',
      body: fc.record({ name: fc.string({ minLength: 1 }), description: fc.string() }),
      created: (b, id) => ({ ...b, id, system: false, default: false, consent: 'IMPLICIT', metadataPublish: 'NO_CLIENTS', _links: {} }),
    },
    {
      objectClass: 'okta:user',
      body: fc.record({
        profile: fc.record({ firstName: fc.string({ minLength: 1 }), lastName: fc.string({ minLength: 1 }), login: fc.emailAddress() }),
        credentials: fc.record({ password: fc.record({ value: fc.string({ minLength: 8 }) }) }),
      }),
      created: (b, id) => ({ id, status: 'ACTIVE', profile: (b as { profile: Obj }).profile, credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } }, _links: {} }),
    },
    {
      objectClass: 'okta:trusted_origin',
      body: fc.record({ name: fc.string({ minLength: 1 }), origin: fc.webUrl(), scopes: fc.subarray([{ type: 'CORS' }, { type: 'REDIRECT' }], { minLength: 1 }) }),
      created: (b, id) => ({ ...b, id, status: 'ACTIVE', created: 'x', createdBy: 'y', _links: {} }),
    },
  ];
  it.each(cases)('$objectClass: planning the state an apply produced gives unchanged', ({ objectClass, body, created }) => {
    const h = handlerFor(objectClass);
    fc.assert(
      fc.property(body, fc.stringMatching(/^[0-9A-Za-z]{20}$/), (b, id) => {
        const obj = created(structuredClone(b), id);
        const p = planObject(b, obj, rec('done', h.idOf(obj)), h);
        return p.action === 'unchanged' && p.diffs.length === 0;
      }),
      { numRuns: 50 },
    );
  });
});

describe('planObject: replace', () => {
  it('plans a replace when nothing holds the new key and the old object is still ours', () => {
    const p = planObject(desired, undefined, rec('done', '00gOLD'), handler, { replaces: '00gOLD' });
    expect(p).toMatchObject({ action: 'replace', diffs: [], ours: false });
    expect(p.reason).toContain('00gOLD');
  });

  it('without an old object to replace, it is a plain create', () => {
    expect(planObject(desired, undefined, rec('done', '00gOLD'), handler, {}).action).toBe('create');
  });

  it('an object under the new key is planned as without a replace (the step moves the old one aside)', () => {
    expect(planObject(desired, existing, rec('done', '00g1'), handler, { replaces: '00gOLD' }).action).toBe('unchanged');
    expect(planObject(desired, existing, undefined, handler, { replaces: '00gOLD' }).action).toBe('conflict');
  });
});

describe('planObject: shared', () => {
  const origin = handlerFor('okta:trusted_origin');
  const share = origin.shareable;
  const found = { id: 'tos1', name: 'solar system app tagA', origin: 'http://localhost:8080', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }], status: 'ACTIVE' };
  const wanted = { name: 'solar system app tagB', origin: 'http://localhost:8080', scopes: [{ type: 'REDIRECT' }, { type: 'CORS' }] };
  const originRec = (r: Partial<RecordedObject>): RecordedObject => ({ objectClass: 'okta:trusted_origin', state: 'done', naturalKey: { origin: 'http://localhost:8080' }, at: 'x', ...r });

  it('the trusted origin and the app group assignment may be shared; the origin ignores its name', () => {
    expect(share?.ignoredFields).toEqual(['name']);
    expect(handlerFor('okta:app_group_assignment').shareable?.ignoredFields).toEqual([]);
    expect(handlerFor('okta:user_group').shareable).toBeUndefined();
  });

  it('a found object another record owns, with the settings the run needs, is shared (its name does not count)', () => {
    const p = planObject(wanted, found, undefined, origin, share ? { share } : {});
    expect(p).toMatchObject({ action: 'shared', existingId: 'tos1', diffs: [] });
    expect(p.reason).toContain('name differs, which does not count');
  });

  it('stays shared on the next run, and an owner of it plans it as its own', () => {
    expect(planObject(wanted, found, originRec({ id: 'tos1', shared: true }), origin, share ? { share } : {}).action).toBe('shared');
    expect(planObject(wanted, found, originRec({ id: 'tos1' }), origin, share ? { share } : {}).action).toBe('update');
  });

  it('other settings, or a key that carries the TAG (no share context), stay a conflict', () => {
    const corsOnly = { ...wanted, scopes: [{ type: 'CORS' }] };
    expect(planObject(corsOnly, found, undefined, origin, share ? { share } : {}).action).toBe('conflict');
    expect(planObject(wanted, found, undefined, origin).action).toBe('conflict');
    const stale = planObject(corsOnly, found, originRec({ id: 'tos1', shared: true }), origin, share ? { share } : {});
    expect(stale).toMatchObject({ action: 'conflict' });
    expect(stale.reason).toContain('no longer match');
  });

  it('sharedDiffs leaves out the ignored fields and what is under them', () => {
    const diffs = [
      { path: 'name', before: 'a', after: 'b' },
      { path: 'profile.name', before: 'a', after: 'b' },
      { path: 'names', before: 1, after: 2 },
    ];
    expect(sharedDiffs(diffs, ['name']).map((d) => d.path)).toEqual(['profile.name', 'names']);
    expect(sharedDiffs(diffs, ['profile']).map((d) => d.path)).toEqual(['name', 'names']);
  });
});
