/**
 * Passwords and recovery answers are kept as salted scrypt hashes ("scrypt$N$r$p$salt$hash", base64url),
 * never in clear. verifyUserPassword() is what `/api/v1/authn` (the OAuth part) uses.
 *
 * Cost: N=2^10, r=8, p=1 (~1-2 ms), run off the event loop. Why so low: this tenant is a local test double, not a
 * credential store. Its state file holds test users' passwords that the tool itself generated and wrote to its
 * output files next to it, on the developer's own machine; the hash only keeps them out of the state file in
 * clear. At node's default N=2^14 two hashes per user create (password and recovery answer) made a user
 * create cost ~200-300 ms of CPU, which dominated every benchmark and bulk test. The hash stays salted and
 * slow enough that a copied state file is no cleartext list. Every hash records its own N, r, p, so hashes
 * written with the old cost (N=2^14) still verify; stored parameters outside sane bounds are refused (a
 * hand-edited state file cannot make a verify allocate gigabytes).
 */
import { scrypt as scryptCb, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserRecord } from './types.js';

const N = 1024;
const R = 8;
const P = 1;
const KEYLEN = 32;
/** Largest accepted stored cost: 2^20 (node's maxmem for r=8 is then 1 GiB; 2^14 was the earlier default). */
const MAX_N = 2 ** 20;

function scrypt(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const [nn, rr, pp] = [Number(n), Number(r), Number(p)];
  const powerOfTwo = Number.isInteger(nn) && nn >= 2 && nn <= MAX_N && (nn & (nn - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(rr) || rr < 1 || rr > 32 || !Number.isInteger(pp) || pp < 1 || pp > 16 || nn * rr > MAX_N * 8) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(secret, Buffer.from(salt, 'base64url'), nn, rr, pp);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when the user has a password and `password` is it. Status is the caller's business (authn wants ACTIVE). */
export async function verifyUserPassword(user: Pick<UserRecord, 'passwordHash'>, password: string): Promise<boolean> {
  if (!user.passwordHash || typeof password !== 'string') return false;
  return verifySecret(password, user.passwordHash);
}

/**
 * Okta's default password policy: at least 8 characters, a lowercase letter, an uppercase letter,
 * a number, and no part of the username (the login's local part, split on . _ - +, parts of 3+ characters).
 * (First and last name checks are off in Okta's default policy, so they are off here.)
 * Returns the errorCauses text, or undefined when the password is acceptable.
 */
export function passwordPolicyProblem(password: string, login: string): string | undefined {
  const requirements = 'at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.';
  const lower = password.toLowerCase();
  const parts = login.split('@')[0]!.split(/[._\-+]/)
    .map((x) => x.toLowerCase())
    .filter((x) => x.length >= 3);
  const ok =
    password.length >= 8 &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /[0-9]/.test(password) &&
    !parts.some((part) => lower.includes(part));
  return ok ? undefined : `Password requirements were not met. Password requirements: ${requirements}`;
}
