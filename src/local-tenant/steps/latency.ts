/**
 * `--latency-ms`: delays every response by a fixed number of milliseconds, to model a distant org.
 * The delay happens after admission by the rate limiter and before the handler, so a slow tenant holds its
 * concurrency slots as a real one does (this is what makes the concurrent cap reachable in practice).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepFactory } from './types.js';

export function validateLatency(ms: number | undefined): number {
  if (ms === undefined) return 0;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number of milliseconds, got ${ms}`);
  return ms;
}

/** Waits `ms` milliseconds (no wait, not even a tick, when 0). */
export async function applyLatency(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}

export const latencyStep: StepFactory = (ctx) => {
  const ms = validateLatency(ctx.options.latencyMs);
  if (ms === 0) return { name: 'latency' };
  return { name: 'latency', onRequest: () => applyLatency(ms) };
};
