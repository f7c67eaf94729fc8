/**
 * requestLog: records every request (method, path without query, status, ms, time) in ctx.requestLog,
 * and with options.log prints one line per request on stderr. Never the Authorization header or the query
 * string (which may carry secrets such as client_secret or sessionToken).
 */
import type { StepFactory } from './types.js';
import type { RequestLogEntry } from '../types.js';

/** Older entries are dropped beyond this many, so a long-running `local serve` stays small. */
const MAX_ENTRIES = 200_000;

export const requestLogStep: StepFactory = (ctx) => ({
  name: 'requestLog',
  setup(app) {
    app.decorateRequest('tenantEntry', null);
    app.decorateRequest('tenantStart', 0n);
  },
  onRequest(req) {
    const entry: RequestLogEntry = { method: req.method, path: req.url.split('?')[0]!, status: 0, ms: 0, at: new Date(ctx.now()).toISOString() }; // the tenant's clock
    req.tenantEntry = entry;
    req.tenantStart = process.hrtime.bigint();
    if (ctx.requestLog.length >= MAX_ENTRIES) ctx.requestLog.splice(0, MAX_ENTRIES / 10);
    ctx.requestLog.push(entry);
  },
  onSend(req, reply) {
    const entry = req.tenantEntry;
    if (entry) {
      entry.status = reply.statusCode;
      entry.ms = Number(process.hrtime.bigint() - req.tenantStart) / 1e6;
    }
    return undefined;
  },
  onResponse(req, reply) {
    const entry = req.tenantEntry;
    if (!entry) return;
    entry.status = reply.statusCode;
    if (ctx.options.log) {
      const notes = entry.notes?.length ? ` [${entry.notes.join('; ')}]` : '';
      ctx.log(`${entry.at} ${entry.method} ${entry.path} ${entry.status} ${entry.ms.toFixed(1)}ms${notes}`);
    }
  },
});
