/**
 * Okta's behaviour under faults: on a seeded random share of requests the tenant answers 500 E0000009,
 * or 503, or resets the connection (destroys the socket without a response).
 *
 * Determinism: the decision for a request depends only on (seed, sequence number of the request), through a
 * hash of the two feeding a mulberry32 generator. The n-th request a tenant receives therefore fails the same
 * way in every run with the same seed, whatever the timing. (Under concurrency the arrival order decides
 * which request is "n-th"; a client that sends sequentially gets an exactly repeatable run.)
 *
 * Phase — Okta's 5xx can happen after a write committed, so both are modelled, chosen by the same seeded draw:
 * - `before`: the handler never runs; nothing changed in the tenant.
 * - `after`: the handler ran and its change is committed (and persisted), then the response is replaced by the
 *   failure ("created but the response was lost"). This is the case the tool's resume logic must survive.
 *
 * Only Okta's own paths (/api/**, /oauth2/**, /.well-known/**) are subject to faults; a tenant-private route is not.
 * Without `seed` a random seed is drawn and logged, so a failing run can be repeated with `--seed`.
 * The rate-limit step runs first: a request answered 429 never reaches this step and takes no sequence number.
 *
 * 503 body: Okta's error object with E0000010 ("Service is in read only mode", the 503 code in Okta's error
 * code list); the spec does not define 503 bodies.
 */
import { randomInt } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { seededRandom } from '../context.js';
import { OktaHttpError, type OktaErrorBody } from '../errors.js';
import { newErrorId } from '../ids.js';
import type { StepFactory } from './types.js';
import { routePath } from './route-path.js';

export type FaultKind = '500' | '503' | 'reset';
export type FaultPhase = 'before' | 'after';
export interface FaultDecision {
  kind: FaultKind;
  phase: FaultPhase;
}

export interface FaultOptions {
  /** Share of requests that fail, 0..1. */
  rate: number;
  seed: number;
  kinds?: FaultKind[];
  phases?: FaultPhase[];
}

/** Mixes seed and sequence number into one 32-bit state (murmur3 finaliser). */
function mix(seed: number, seq: number): number {
  let h = (seed ^ Math.imul(seq + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class FaultInjector {
  private seq = 0;
  private readonly kinds: FaultKind[];
  private readonly phases: FaultPhase[];

  constructor(private readonly opts: FaultOptions) {
    if (!(opts.rate >= 0 && opts.rate <= 1)) throw new RangeError(`fail rate must be between 0 and 1, got ${opts.rate}`);
    this.kinds = opts.kinds && opts.kinds.length > 0 ? opts.kinds : ['500', '503', 'reset'];
    this.phases = opts.phases && opts.phases.length > 0 ? opts.phases : ['before', 'after'];
  }

  /** Pure: the decision for the request with this sequence number (0-based). */
  decide(seq: number): FaultDecision | null {
    const rnd = seededRandom(mix(this.opts.seed, seq));
    if (rnd() >= this.opts.rate) return null;
    const kind = this.kinds[Math.floor(rnd() * this.kinds.length)] ?? '500';
    const phase = this.phases[Math.floor(rnd() * this.phases.length)] ?? 'before';
    return { kind, phase };
  }

  /** Takes the next sequence number and returns its decision. */
  next(): { seq: number; decision: FaultDecision | null } {
    const seq = this.seq++;
    return { seq, decision: this.decide(seq) };
  }
}

export function faultBody(kind: '500' | '503', errorId: string): { status: number; body: OktaErrorBody } {
  if (kind === '500') {
    return {
      status: 500,
      body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorLink: 'E0000009', errorId, errorCauses: [] },
    };
  }
  return {
    status: 503,
    body: { errorCode: 'E0000010', errorSummary: 'Service is in read only mode', errorLink: 'E0000010', errorId, errorCauses: [] },
  };
}

/** Okta's paths; anything else (a tenant-private route) never fails. */
export function faultable(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/oauth2/') || url.startsWith('/.well-known/');
}

/** Destroys the connection: the client sees a reset (ECONNRESET / "socket hang up"), no response. */
function resetConnection(req: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  req.raw.socket.destroy();
}

const pendingAfter = new WeakMap<FastifyRequest, FaultDecision>();

export const faultsStep: StepFactory = (ctx) => {
  const rate = ctx.options.failRate ?? 0;
  if (rate <= 0) return { name: 'faults' };
  const seed = ctx.options.seed ?? randomInt(2 ** 31);
  if (ctx.options.seed === undefined) ctx.log(`local tenant: injecting faults at rate ${rate} with seed ${seed} (repeat with --seed ${seed})`);
  const injector = new FaultInjector({ rate, seed });
  const note = (req: FastifyRequest, seq: number, d: FaultDecision) => {
    if (req.tenantEntry) (req.tenantEntry.notes ??= []).push(`fault #${seq}: ${d.kind} ${d.phase} handler`);
  };
  return {
    name: 'faults',
    onRequest(req, reply) {
      if (!faultable(routePath(req))) return;
      const { seq, decision } = injector.next();
      if (!decision) return;
      note(req, seq, decision);
      if (decision.phase === 'after') {
        pendingAfter.set(req, decision);
        return;
      }
      if (decision.kind === 'reset') return resetConnection(req, reply);
      const { status, body } = faultBody(decision.kind, newErrorId());
      throw new OktaHttpError(status, body);
    },
    onSend(req, reply, payload) {
      const decision = pendingAfter.get(req);
      if (!decision) return undefined;
      pendingAfter.delete(req);
      // The handler has run and its change is committed; the response is lost.
      if (decision.kind === 'reset') {
        resetConnection(req, reply);
        return payload;
      }
      const { status, body } = faultBody(decision.kind, newErrorId());
      reply.code(status);
      reply.header('content-type', 'application/json; charset=utf-8');
      reply.removeHeader('location');
      return JSON.stringify(body);
    },
  };
};
