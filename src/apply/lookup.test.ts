import { describe, expect, it } from 'vitest';
import { keyOf } from '../okta/handlers/common.js';
import { ExistingLoader } from './lookup.js';

type Obj = Record<string, unknown>;

describe('ExistingLoader', () => {
  const org: Obj[] = [{ id: '00g1', profile: { name: 'a' } }, { id: '00g2', profile: { name: 'b' } }];
  function setup() {
    const calls: { parent: Record<string, string>; keys: Record<string, string>[] }[] = [];
    const loader = new ExistingLoader((_class, parent, keys) => {
      calls.push({ parent, keys });
      const m = new Map<string, Obj>();
      for (const k of keys) {
        const o = org.find((x) => (x.profile as Obj).name === k.name);
        if (o) m.set(keyOf(k), o);
      }
      return Promise.resolve(m);
    });
    return { loader, calls };
  }

  it('asks once per class and parent for every key requested in the same turn', async () => {
    const { loader, calls } = setup();
    const [a, b, c, a2] = await Promise.all([
      loader.get('okta:user_group', {}, { name: 'a' }),
      loader.get('okta:user_group', {}, { name: 'b' }),
      loader.get('okta:user_group', {}, { name: 'c' }),
      loader.get('okta:user_group', {}, { name: 'a' }),
    ]);
    expect([a?.id, b?.id, c, a2?.id]).toEqual(['00g1', '00g2', undefined, '00g1']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.keys).toHaveLength(3);
    // another parent is another listing
    await loader.get('okta:user_group', { authServerId: 'aus1' }, { name: 'a' });
    expect(calls).toHaveLength(2);
  });

  it('answers from the cache afterwards (found or not), and fresh() asks again', async () => {
    const { loader, calls } = setup();
    await Promise.all([loader.get('okta:user_group', {}, { name: 'a' }), loader.get('okta:user_group', {}, { name: 'c' })]);
    expect(await loader.get('okta:user_group', {}, { name: 'c' })).toBeUndefined();
    expect((await loader.get('okta:user_group', {}, { name: 'a' }))?.id).toBe('00g1');
    expect(calls).toHaveLength(1);
    expect((await loader.fresh('okta:user_group', {}, { name: 'b' }))?.id).toBe('00g2');
    expect(calls).toHaveLength(2);
  });

});

describe('ExistingLoader concurrency', () => {
  it('keeps at most maxConcurrent lookups on the wire', async () => {
    let running = 0;
    let peak = 0;
    const loader = new ExistingLoader(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return new Map();
    }, 1);
    await Promise.all(['okta:user_group', 'okta:user', 'okta:authz_server', 'okta:trusted_origin'].map((c) => loader.get(c, {}, { name: 'x' })));
    expect(peak).toBe(1);
    expect(loader.calls).toBe(4);
  });
});
