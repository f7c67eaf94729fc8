/** The bounded, UTF-8-checked reader every input, output and .env file goes through. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { MAX_FILE_BYTES, firstInvalidUtf8, readTextFile, readTextFileSync } from './fs.js';

async function file(bytes: Uint8Array | string): Promise<string> {
  const p = join(await mkdtemp(join(tmpdir(), 'okb-fs-')), 'f.json');
  await writeFile(p, bytes);
  return p;
}

function problemOf(e: unknown) {
  expect(e).toBeInstanceOf(InputError);
  const err = e as InputError;
  expect(err.exitCode).toBe(2);
  expect(err.problems).toHaveLength(1);
  return err.problems[0];
}

const readers = [
  ['readTextFile', (p: string, maxBytes?: number) => readTextFile(p, { maxBytes, what: 'input file' })],
  ['readTextFileSync', (p: string, maxBytes?: number) => Promise.resolve().then(() => readTextFileSync(p, { maxBytes, what: 'input file' }))],
] as const;

for (const [name, read] of readers) {
  describe(name, () => {
    it('reads UTF-8 and drops a byte-order mark', async () => {
      expect(await read(await file('\ufeff{"a": "sølv ☀ 🪐"}'))).toBe('{"a": "sølv ☀ 🪐"}');
    });

    it('refuses bytes that are not UTF-8, naming the line and column of the first one', async () => {
      const bytes = Buffer.concat([Buffer.from('{\n  "GROUP": {\n    "default": "solar_'), Buffer.from([0xff, 0xfe]), Buffer.from('_planets"\n  }\n}\n')]);
      const p = problemOf(await read(await file(bytes)).catch((e: unknown) => e));
      expect(p?.line).toBe(3);
      expect(p?.column).toBe(23);
      expect(p?.message).toBe('the input file is not UTF-8: byte 0xff at line 3, column 23 is not part of a UTF-8 character');
      expect(p?.suggestion).toMatch(/UTF-8/);
    });

    it('counts columns in characters: multi-byte characters before the bad byte are one column each', async () => {
      const bytes = Buffer.concat([Buffer.from('ab\n☀🪐é'), Buffer.from([0xc3, 0x28])]);
      const p = problemOf(await read(await file(bytes)).catch((e: unknown) => e));
      expect([p?.line, p?.column]).toEqual([2, 4]);
    });

    it('a file over the limit is refused; one exactly at it is read', async () => {
      expect(await read(await file('x'.repeat(100)), 100)).toHaveLength(100);
      const p = problemOf(await read(await file('x'.repeat(101)), 100).catch((e: unknown) => e));
      expect(p?.message).toBe('the input file is larger than 100 bytes, the most okta-bootstrap reads');
    });

    it('/dev/zero (size 0 to stat, endless to read) stops at the 10 MB limit', async () => {
      const started = Date.now();
      const p = problemOf(await read('/dev/zero').catch((e: unknown) => e));
      expect(p?.message).toBe('the input file is larger than 10 MB, the most okta-bootstrap reads');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(MAX_FILE_BYTES).toBe(10 * 1024 * 1024);
    });

    it('file-system errors are thrown as they are, for the caller to name', async () => {
      await expect(read('/nonexistent/okb/x.json')).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
}

describe('firstInvalidUtf8', () => {
  it('finds overlongs, surrogates, code points above U+10FFFF, stray continuations and truncated sequences', () => {
    expect(firstInvalidUtf8(Buffer.from('plain ☀ 🪐'))).toBe(Buffer.byteLength('plain ☀ 🪐'));
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(firstInvalidUtf8(Buffer.from([0xe0, 0x80, 0x80]))).toBe(0); // overlong 3-byte
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xed, 0xa0, 0x80]))).toBe(1); // UTF-16 surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x42, 0x80]))).toBe(2); // stray continuation byte
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe2, 0x98]))).toBe(1); // truncated at the end
  });

  it('agrees with the fatal TextDecoder on any bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const at = firstInvalidUtf8(bytes);
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(at === bytes.length).toBe(valid);
        if (!valid) {
          // the prefix before it decodes; the prefix including it (to the end) does not
          expect(() => strict.decode(bytes.subarray(0, at))).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });
});
