import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, publicJwkOf, signJwt, verifyJwt } from './keys.js';
import { isValidChallenge, s256Challenge, verifyPkce } from './pkce.js';

describe('signing keys', () => {
  it('generates a persistable RS256 key whose tokens verify through a JWKS, and only with that key', async () => {
    const [k1, k2] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const restored = JSON.parse(JSON.stringify(k1)) as typeof k1; // persisted and read back
    const jwk = publicJwkOf(restored);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: k1.kid, e: 'AQAB' });
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(k1.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(restored, { iss: 'http://x/oauth2/default', sub: 'a', iat: now, exp: now + 60 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: k1.kid });
    const jwks = createLocalJWKSet({ keys: [jwk] });
    await expect(jwtVerify(token, jwks, { issuer: 'http://x/oauth2/default' })).resolves.toBeTruthy();
    expect(await verifyJwt(k1, token, { issuer: 'http://x/oauth2/default', nowSec: now })).toMatchObject({ sub: 'a' });
    expect(await verifyJwt(k2, token, { issuer: 'http://x/oauth2/default', nowSec: now })).toBeNull();
    expect(await verifyJwt(k1, token, { issuer: 'http://x/oauth2/other', nowSec: now })).toBeNull();
    expect(await verifyJwt(k1, token, { issuer: 'http://x/oauth2/default', nowSec: now + 61 })).toBeNull();
    expect(await verifyJwt(k1, 'not.a.jwt', { issuer: 'http://x/oauth2/default', nowSec: now })).toBeNull();
  });
});

describe('pkce', () => {
  it('verifies S256 (RFC 7636 appendix B vector)', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256Challenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyPkce('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', verifier)).toBe(true);
    expect(verifyPkce('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', `${verifier}x`)).toBe(false);
    expect(verifyPkce(s256Challenge('short'), 'short')).toBe(false);
    expect(isValidChallenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(isValidChallenge('plain')).toBe(false);
  });
});
