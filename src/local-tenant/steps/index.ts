/**
 * The tenant's request pipeline: an ordered list of named steps (see types.ts for the contract).
 * Order matters within each fastify phase. The OAuth part adds its steps by importing them here and
 * putting them in their places (rateLimit, latency, faults between requestLog and bodyLimit):
 *
 *   requestLog → rateLimit → latency → faults → bodyLimit (parsing: 413 / E0000003) → ssws-auth → specCheck
 */
import type { StepFactory } from './types.js';
import { requestLogStep } from './request-log.js';
import { bodyStep } from './body.js';
import { sswsAuthStep } from './auth.js';
import { specCheckStep } from './spec-check.js';
import { rateLimitStep } from './rate-limit.js';
import { latencyStep } from './latency.js';
import { faultsStep } from './faults.js';

export type { StepFactory, TenantStep } from './types.js';

export const STEPS: StepFactory[] = [
  requestLogStep,
  rateLimitStep, // OAuth part: first, so a 429 costs nothing and a slow (latency) request holds its concurrency slot
  latencyStep,
  faultsStep,
  bodyStep,
  sswsAuthStep,
  specCheckStep,
];
