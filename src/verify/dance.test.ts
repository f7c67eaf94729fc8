import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { checkAccessToken, pkcePair } from './dance.js';
import { authnNotAllowed } from './live-checks.js';
import { createHash } from 'node:crypto';

const ISS = 'https://example.okta.com/oauth2/aus1';
const AUD = 'api://solar_system';

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } as JWK;
  return { privateKey, jwk };
}

describe('access-token checks (jose against the JWKS)', async () => {
  const k1 = await keyPair('k1');
  const other = await keyPair('k1');
  const jwks: JSONWebKeySet = { keys: [k1.jwk] };
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, key = k1.privateKey, kid = 'k1') =>
    new SignJWT({ scp: ['openid', 'silver'], ...claims }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(typeof claims.iss === 'string' ? claims.iss : ISS).setAudience(typeof claims.aud === 'string' ? claims.aud : AUD).setIssuedAt(now).setExpirationTime(Number(claims.exp ?? now + 600)).sign(key);
  const check = (token: string, required = ['silver']) => checkAccessToken({ token, jwks, issuer: ISS, audiences: [AUD], requiredScopes: required });

  it('passes a good token and returns its claims and kid', async () => {
    const r = await check(await sign({}));
    expect(r).toMatchObject({ ok: true, kid: 'k1', claims: { iss: ISS, aud: AUD, scp: ['openid', 'silver'] } });
  });

  it('names what is wrong: iss, aud, exp, scp, signature, unknown kid, not a JWT', async () => {
    expect(await check(await sign({ iss: 'https://example.okta.com/oauth2/default' }))).toMatchObject({ ok: false, what: 'iss' });
    expect(await check(await sign({ aud: 'api://default' }))).toMatchObject({ ok: false, what: 'aud' });
    expect(await check(await sign({ exp: now - 10 }))).toMatchObject({ ok: false, what: 'exp' });
    const scp = await check(await sign({}), ['silver', 'gold']);
    expect(scp).toMatchObject({ ok: false, what: 'scp' });
    expect(scp.ok ? '' : scp.message).toContain('lacks gold');
    expect(await check(await sign({}, other.privateKey))).toMatchObject({ ok: false, what: 'signature' });
    expect(await check(await sign({}, k1.privateKey, 'nope'))).toMatchObject({ ok: false, what: 'keys' });
    expect(await check('abc')).toMatchObject({ ok: false, what: 'format' });
  });
});

describe('dance helpers', () => {
  it('PKCE: the challenge is the S256 of a 64-char verifier', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('a refused /api/v1/authn (not a wrong password) makes the dance a skip, not a failure', () => {
    expect(authnNotAllowed({ ok: false, step: 'authn', status: 403, message: '403 E0000006' })).toMatch(/does not allow \/api\/v1\/authn/);
    expect(authnNotAllowed({ ok: false, step: 'authn', status: 200, authnStatus: 'MFA_REQUIRED', message: 'x' })).toMatch(/MFA_REQUIRED/);
    expect(authnNotAllowed({ ok: false, step: 'authn', status: 401, error: 'E0000004', message: 'x' })).toBeUndefined();
    expect(authnNotAllowed({ ok: false, step: 'token', status: 403, message: 'x' })).toBeUndefined();
  });
});
