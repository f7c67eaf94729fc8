import { describe, expect, it } from 'vitest';
import { isRecord, valueAtPath } from './json.js';

describe('isRecord', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ['x', false],
    [1, false],
    [undefined, false],
  ])('%j → %s', (v, want) => expect(isRecord(v)).toBe(want));
});

describe('valueAtPath', () => {
  const doc = { a: { b: [{ c: 'x' }, 'y'] }, n: null };
  it.each([
    [[], doc],
    [['a', 'b', '0', 'c'], 'x'],
    [['a', 'b', 1], 'y'],
    [['a', 'b', '2'], undefined],
    [['a', 'missing', 'c'], undefined],
    [['n', 'x'], undefined],
    [['a', 'b', 'length'], undefined],
    [['__proto__'], undefined],
    [['constructor'], undefined],
  ])('%j', (path, want) => expect(valueAtPath(doc, path)).toEqual(want));
});
