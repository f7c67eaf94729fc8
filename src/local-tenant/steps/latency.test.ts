import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyLatency, validateLatency } from './latency.js';

describe('latency', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('waits for the configured time (fake clock)', async () => {
    vi.useFakeTimers();
    let done = false;
    const p = applyLatency(250).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });
  it('validates the option', () => {
    expect(validateLatency(undefined)).toBe(0);
    expect(validateLatency(5)).toBe(5);
    expect(() => validateLatency(-1)).toThrow(RangeError);
    expect(() => validateLatency(Number.NaN)).toThrow(RangeError);
  });
});
