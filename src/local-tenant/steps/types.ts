/**
 * A request-pipeline step. The tenant is a fastify server whose behaviour around the routes is an ordered
 * list of named steps (steps/index.ts). For each step, in list order, the server registers whichever of its
 * hooks are present, so within each fastify phase (onRequest → body parsing → preHandler → handler →
 * onSend → onResponse) steps run in list order.
 *
 * A step may answer early by throwing an OktaHttpError (errors.ts; its `headers` are sent too) or by
 * calling reply.send(); later steps and the route then do not run. A step is made per tenant instance by
 * its factory, so per-instance state (counters, buckets) lives in the factory's closure.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import type { RequestLogEntry } from '../types.js';

export interface TenantStep {
  name: string;
  /** Called once while the server is built (content-type parsers, decorators, extra routes). */
  setup?(app: FastifyInstance): void;
  onRequest?: (req: FastifyRequest, reply: FastifyReply) => Promise<void> | void;
  preHandler?: (req: FastifyRequest, reply: FastifyReply) => Promise<void> | void;
  /** Gets the serialized payload (string, Buffer or undefined); returns (or resolves to) a replacement, or undefined to keep it. */
  onSend?: (req: FastifyRequest, reply: FastifyReply, payload: unknown) => unknown;
  onResponse?: (req: FastifyRequest, reply: FastifyReply) => Promise<void> | void;
}

export type StepFactory = (ctx: TenantContext) => TenantStep;

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's entry in the request log (set by the requestLog step; other steps add notes/violations). */
    tenantEntry: RequestLogEntry | null;
    tenantStart: bigint;
  }
  interface FastifyContextConfig {
    /** false: this route needs no `Authorization: SSWS` even under /api/v1 (e.g. /api/v1/authn). */
    sswsAuth?: boolean;
  }
}
