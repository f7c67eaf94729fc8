import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret, verifyUserPassword } from './password.js';

describe('password hashes', () => {
  it('are salted scrypt with their parameters stored, N=2^10', async () => {
    const a = await hashSecret('Tr0ub4dor&3');
    const b = await hashSecret('Tr0ub4dor&3');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b); // salted
    expect(await verifySecret('Tr0ub4dor&3', a)).toBe(true);
    expect(await verifySecret('Tr0ub4dor&4', a)).toBe(false);
    expect(await verifyUserPassword({ passwordHash: b }, 'Tr0ub4dor&3')).toBe(true);
    expect(await verifyUserPassword({}, 'Tr0ub4dor&3')).toBe(false);
  });

  it('written with the earlier cost (N=2^14) still verify', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('Old-Passw0rd', salt, 32, { N: 16384, r: 8, p: 1 });
    const old = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifySecret('Old-Passw0rd', old)).toBe(true);
    expect(await verifySecret('old-passw0rd', old)).toBe(false);
  });

  it('refuse stored parameters outside sane bounds instead of computing them', async () => {
    const good = await hashSecret('x');
    const [, , , , salt, hash] = good.split('$');
    for (const params of ['1000$8$1', '4194304$8$1', '1024$0$1', '1024$8$99', 'abc$8$1']) {
      expect(await verifySecret('x', `scrypt$${params}$${salt}$${hash}`), params).toBe(false);
    }
    expect(await verifySecret('x', 'plain')).toBe(false);
  });
});
