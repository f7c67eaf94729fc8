/**
 * Okta-looking identifiers: 20 characters with the type prefix Okta uses (`aus` authorization server,
 * `scp` scope, `ocl` claim, `00p` policy, `0pr` rule, `00g` group, `00u` user, `0oa` app/client,
 * `tos` trusted origin), error ids of 25 characters starting with `oae`, and random tokens/secrets.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `n` random characters from [A-Za-z0-9] (rejection sampling, so every character is equally likely). */
export function randomAlnum(n: number): string {
  let out = '';
  while (out.length < n) {
    const bytes = randomBytes(n * 2);
    for (const b of bytes) {
      if (b < 248 && out.length < n) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export type IdPrefix = 'aus' | 'scp' | 'ocl' | '00p' | '0pr' | '00g' | '00u' | '0oa' | 'tos' | 'oty' | 'oag';

/**
 * A stable id derived from `parts` (the prefix and 17 characters of their SHA-256): the same parts give the same id
 * on every load, without storing it (system scopes, consent grants).
 */
export function derivedId(prefix: IdPrefix, ...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest();
  let id: string = prefix;
  for (let i = 0; id.length < 20; i++) id += ALPHABET[(h[i] ?? 0) % 62] ?? 'A';
  return id;
}

export function newId(prefix: IdPrefix): string {
  return prefix + randomAlnum(20 - prefix.length);
}

export function newErrorId(): string {
  return 'oae' + randomAlnum(22);
}

/** An SSWS API token: 42 characters like Okta's (`00` + 40 base64url characters). */
export function newApiToken(): string {
  return '00' + randomBytes(30).toString('base64url');
}

/** A client secret: 64 base64url characters (Okta's secrets are 40–64 characters). */
export function newClientSecret(): string {
  return randomBytes(48).toString('base64url');
}

/** A key id like Okta's signing kids (43 base64url characters). */
export function newKid(): string {
  return randomBytes(32).toString('base64url');
}

/** An ISO timestamp: of `ms` (the tenant's clock, ctx.now()), else of the wall clock. */
export function nowIso(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}
