/**
 * Small helpers shared by the route modules: links, body access, field checks that collect
 * Okta-style errorCauses, uniqueness, and priority ordering.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, notWellFormed } from '../errors.js';
import { nowIso } from '../ids.js';
import type { JsonObject, JsonValue, LifecycleStatus, TenantState } from '../types.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Link {
  href: string;
  hints?: { allow: Method[] };
  name?: string;
  type?: string;
}

export function link(ctx: TenantContext, path: string, allow?: Method[], extra: { name?: string; type?: string } = {}): Link {
  return { ...(extra.name ? { name: extra.name } : {}), href: `${ctx.orgUrl}${path}`, ...(allow ? { hints: { allow } } : {}), ...(extra.type ? { type: extra.type } : {}) };
}

export function params(req: FastifyRequest): Record<string, string> {
  return req.params as Record<string, string>;
}

/** The JSON object body; a missing body, an array or a scalar is "not well-formed" (400 E0000003). */
export function bodyObject(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (b === null || b === undefined || typeof b !== 'object' || Array.isArray(b)) throw notWellFormed();
  return b as Record<string, unknown>;
}

/** Like bodyObject, but a missing body is an empty object (for endpoints whose body is optional). */
export function optionalBodyObject(req: FastifyRequest): Record<string, unknown> {
  return req.body === undefined || req.body === null ? {} : bodyObject(req);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A request value as an error message quotes it: a string as it is, anything else as its JSON (never `[object Object]`). */
export function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Reads a string field; records a problem when it is required and blank, or present and not a string. */
export function str(p: Problems, obj: Record<string, unknown>, key: string, field: string, opts: { required?: boolean; max?: number; min?: number } = {}): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === '') {
    if (opts.required) p.add(field, MSG.blank);
    return undefined;
  }
  if (typeof v !== 'string') {
    p.add(field, 'The field must be a string');
    return undefined;
  }
  if (opts.required && v.trim() === '') {
    p.add(field, MSG.blank);
    return undefined;
  }
  if (opts.max !== undefined && v.length > opts.max) p.add(field, `The field is too long (maximum ${opts.max} characters)`);
  if (opts.min !== undefined && v.length < opts.min) p.add(field, `The field is too short (minimum ${opts.min} characters)`);
  return v;
}

export function bool(p: Problems, obj: Record<string, unknown>, key: string, field: string, dflt: boolean): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') {
    p.add(field, 'The field must be a boolean');
    return dflt;
  }
  return v;
}

export function int(p: Problems, obj: Record<string, unknown>, key: string, field: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    p.add(field, 'The field must be an integer');
    return undefined;
  }
  return v;
}

export function oneOf<T extends string>(p: Problems, obj: Record<string, unknown>, key: string, field: string, allowed: readonly T[], dflt: T): T;
export function oneOf<T extends string>(p: Problems, obj: Record<string, unknown>, key: string, field: string, allowed: readonly T[], dflt?: T): T | undefined;
export function oneOf<T extends string>(p: Problems, obj: Record<string, unknown>, key: string, field: string, allowed: readonly T[], dflt?: T): T | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    p.add(field, `'${shown(v)}' is not a valid value. Valid values: ${allowed.join(', ')}`);
    return dflt;
  }
  return v as T;
}

export function strArray(p: Problems, v: unknown, field: string, opts: { required?: boolean } = {}): string[] | undefined {
  if (v === undefined || v === null) {
    if (opts.required) p.add(field, MSG.blank);
    return undefined;
  }
  if (!isStringArray(v)) {
    p.add(field, 'The field must be an array of strings');
    return undefined;
  }
  if (opts.required && v.length === 0) p.add(field, MSG.blank);
  return v;
}

/** Case-insensitive equality, for names and logins Okta treats as unique regardless of case. */
export function sameText(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

/** A deep copy of a JSON value (to store what a client sent without aliasing its object). */
export function jsonCopy<T extends JsonValue | JsonObject>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * Okta's priority semantics for policies and rules: priorities are 1..n without gaps; a new or moved item
 * given priority p takes that place and the others shift down; no priority (or one past the end) appends.
 */
export function placeByPriority<T extends { id: string; priority: number }>(all: Record<string, T>, item: T, requested: number | undefined): void {
  const others = Object.values(all)
    .filter((x) => x.id !== item.id)
    .sort((a, b) => a.priority - b.priority);
  const index = requested === undefined ? others.length : Math.max(0, Math.min(others.length, requested - 1));
  others.splice(index, 0, item);
  others.forEach((x, i) => (x.priority = i + 1));
  if (!all[item.id]) all[item.id] = item;
}

export function byPriority<T extends { priority: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.priority - b.priority);
}

/** Removes an item and closes the priority gap. */
export function removeByPriority<T extends { id: string; priority: number }>(all: Record<string, T>, id: string): void {
  delete all[id];
  byPriority(Object.values(all)).forEach((x, i) => (x.priority = i + 1));
}

/**
 * POST {url}/lifecycle/activate and /deactivate for a record with an ACTIVE/INACTIVE status. Idempotent.
 * `answer`: the status code, and the body to send (none when `render` is absent).
 */
export function registerLifecycle<R extends { status: LifecycleStatus; lastUpdated: string }>(
  app: FastifyInstance,
  ctx: TenantContext,
  url: string,
  find: (state: TenantState, p: Record<string, string>) => R,
  answer: { code: 200 | 204; render?: (r: R, p: Record<string, string>) => unknown },
  touch?: (r: R, state: TenantState) => void,
): void {
  for (const action of ['activate', 'deactivate'] as const) {
    const status: LifecycleStatus = action === 'activate' ? 'ACTIVE' : 'INACTIVE';
    app.post(`${url}/lifecycle/${action}`, async (req, reply) => {
      const p = params(req);
      const rec = await ctx.store.mutate((state) => {
        const r = find(state, p);
        if (r.status !== status) {
          r.status = status;
          r.lastUpdated = nowIso(ctx.now());
          touch?.(r, state);
        }
        return r;
      });
      reply.code(answer.code);
      return answer.render ? reply.send(answer.render(rec, p)) : reply.send();
    });
  }
}
