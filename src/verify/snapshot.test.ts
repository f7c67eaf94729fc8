import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { readKeys } from './snapshot.js';

describe('reading the signing keys', () => {
  it('keeps the keys jose can import and says why it refuses the others', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const good = { ...(await exportJWK(publicKey)), kid: 'good', alg: 'RS256', use: 'sig' };
    const keys = await readKeys([good, { ...good, kid: 'enc', use: 'enc' }, { kid: 'broken', kty: 'RSA', alg: 'RS256' }, 'not a key']);
    expect(keys.map((k) => [k.jwk.kid, k.problem === undefined])).toEqual([['good', true], ['enc', false], ['broken', false], [undefined, false]]);
    expect(keys[1]?.problem).toBe('use enc');
  });
});
