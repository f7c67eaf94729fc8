/**
 * Signing keys of the authorization servers: one RS256 key pair per server (a `kid` per server,
 * https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/oauthKeysCustomAS),
 * generated on first use and persisted (private JWK included) with the rest of the tenant state, so a token
 * issued before a restart still verifies after it. Signing and verification use jose.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface StoredSigningKey {
  kid: string;
  alg: 'RS256';
  created: string;
  /** Public JWK (kty, n, e). */
  publicJwk: JWK;
  /** Private JWK (kty, n, e, d, p, q, dp, dq, qi). Stays in the 0600 state file. */
  privateJwk: JWK;
}

/** The public form served by /v1/keys. */
export interface PublicSigningJwk {
  kty: 'RSA';
  alg: 'RS256';
  kid: string;
  use: 'sig';
  e: string;
  n: string;
}

/**
 * A new RS256 key pair. `kid` is the one the authorization server record names (its `credentials.signing.kid`);
 * without it, a random 43-character base64url kid like Okta's.
 */
export async function generateSigningKey(kid: string = randomBytes(32).toString('base64url'), now: Date = new Date()): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const [pub, priv] = await Promise.all([exportJWK(publicKey), exportJWK(privateKey)]);
  return { kid, alg: 'RS256', created: now.toISOString(), publicJwk: pub, privateJwk: priv };
}

export function publicJwkOf(key: StoredSigningKey): PublicSigningJwk {
  const { e, n } = key.publicJwk;
  if (typeof e !== 'string' || typeof n !== 'string') throw new Error(`signing key ${key.kid} has no RSA public part`);
  // Exactly the members Okta's /v1/keys sends for an RSA signing key (kty, alg, kid, use, e, n: the response
  // example of https://developer.okta.com/docs/reference/api/oidc/#keys); the JsonWebKey schema's `status` is for
  // the management API's credential keys, not this document.
  return { kty: 'RSA', alg: 'RS256', kid: key.kid, use: 'sig', e, n };
}

/** Imported CryptoKeys, cached by kid (importing costs more than signing). */
const privateCache = new Map<string, CryptoKey>();
const publicCache = new Map<string, CryptoKey>();

async function cached(cache: Map<string, CryptoKey>, kid: string, jwk: JWK): Promise<CryptoKey> {
  let k = cache.get(kid);
  if (!k) {
    const imported = await importJWK(jwk, 'RS256');
    if (imported instanceof Uint8Array) throw new Error('expected an asymmetric key');
    k = imported;
    cache.set(kid, k);
  }
  return k;
}

/** Signs a JWT with the key; the claims are taken as given (iat/exp included by the caller). */
export async function signJwt(key: StoredSigningKey, claims: JWTPayload): Promise<string> {
  const priv = await cached(privateCache, key.kid, key.privateJwk);
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(priv);
}

/**
 * Verifies a JWT's signature against the key and checks exp (at `nowSec`) and, when given, iss.
 * (Introspection omits iss: a restart on another port changes the org URL, and tokens must survive it.)
 * Returns the payload, or null for anything invalid (bad signature, other key, expired, malformed).
 */
export async function verifyJwt(key: StoredSigningKey, token: string, opts: { issuer?: string; nowSec: number }): Promise<JWTPayload | null> {
  try {
    const pub = await cached(publicCache, key.kid, key.publicJwk);
    const { payload } = await jwtVerify(token, pub, {
      ...(opts.issuer !== undefined ? { issuer: opts.issuer } : {}),
      algorithms: ['RS256'],
      currentDate: new Date(opts.nowSec * 1000),
      clockTolerance: 0,
    });
    return payload;
  } catch {
    return null;
  }
}
