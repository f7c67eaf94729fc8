/**
 * Okta's list query languages: `search` and `filter` expressions (SCIM-like:
 * `profile.name eq "X" and (type eq "OKTA_GROUP" or id sw "00g")`), and paging with `limit`/`after`
 * answered by separate `Link` headers for rel="self" and rel="next" (https://developer.okta.com/docs/api/#pagination).
 *
 * Operators and string values compare case-insensitively (as Okta documents for search); property names
 * are case-sensitive. Each list endpoint says which properties and operators it allows; anything else is
 * 400 E0000031 "Invalid search criteria." (Okta's code for an unparsable or unsupported expression).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidSearch } from './errors.js';

export type Op = 'eq' | 'sw' | 'co' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';
const OPS = new Set<Op>(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']);

export type Expr =
  | { kind: 'cmp'; attr: string; op: Op; value: string | number | boolean | null }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

type Token = { t: 'word'; v: string } | { t: 'str'; v: string } | { t: '(' } | { t: ')' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i];
        i++;
      }
      if (src[i] !== '"') throw invalidSearch();
      i++;
      out.push({ t: 'str', v });
    } else {
      let v = '';
      while (i < src.length && !/[\s()"]/.test(src[i]!)) v += src[i++];
      out.push({ t: 'word', v });
    }
  }
  return out;
}

/** Parses an expression; throws 400 E0000031 on anything malformed. */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src);
  let pos = 0;
  const peekWord = () => {
    const t = toks[pos];
    return t && t.t === 'word' ? t.v.toLowerCase() : undefined;
  };
  const parseOr = (): Expr => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseAtom();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parseAtom() };
    }
    return left;
  };
  const parseAtom = (): Expr => {
    const t = toks[pos++];
    if (!t) throw invalidSearch();
    if (t.t === '(') {
      const e = parseOr();
      if (toks[pos++]?.t !== ')') throw invalidSearch();
      return e;
    }
    if (t.t !== 'word' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(t.v)) throw invalidSearch();
    const opTok = toks[pos++];
    if (!opTok || opTok.t !== 'word' || !OPS.has(opTok.v.toLowerCase() as Op)) throw invalidSearch();
    const op = opTok.v.toLowerCase() as Op;
    if (op === 'pr') return { kind: 'cmp', attr: t.v, op, value: null };
    const vt = toks[pos++];
    if (!vt) throw invalidSearch();
    let value: string | number | boolean | null;
    if (vt.t === 'str') value = vt.v;
    else if (vt.t === 'word' && /^(true|false)$/i.test(vt.v)) value = vt.v.toLowerCase() === 'true';
    else if (vt.t === 'word' && /^null$/i.test(vt.v)) value = null;
    else if (vt.t === 'word' && /^-?\d+(\.\d+)?$/.test(vt.v)) value = Number(vt.v);
    else throw invalidSearch();
    return { kind: 'cmp', attr: t.v, op, value };
  };
  const e = parseOr();
  if (pos !== toks.length) throw invalidSearch();
  return e;
}

export interface QueryRules {
  /** Allowed properties → allowed operators. A '*' key allows any property (e.g. custom profile attributes) with its operators. */
  attrs: Record<string, Op[]>;
}

/** Throws 400 E0000031 when the expression uses a property or operator the endpoint does not allow. */
export function checkExpr(e: Expr, rules: QueryRules): void {
  if (e.kind !== 'cmp') {
    checkExpr(e.left, rules);
    checkExpr(e.right, rules);
    return;
  }
  const ops = rules.attrs[e.attr] ?? (e.attr.startsWith('profile.') ? rules.attrs['profile.*'] : undefined);
  if (!ops || !ops.includes(e.op)) throw invalidSearch();
}

function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function compare(actual: unknown, op: Op, value: string | number | boolean | null): boolean {
  if (op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (Array.isArray(actual)) return actual.some((a) => compare(a, op, value));
  if (actual === undefined || actual === null) return op === 'eq' && value === null;
  if (typeof value === 'string') {
    // a non-string value (number, boolean, object) compares as its JSON text
    const a = (typeof actual === 'string' ? actual : JSON.stringify(actual)).toLowerCase();
    const v = value.toLowerCase();
    switch (op) {
      case 'eq': return a === v;
      case 'sw': return a.startsWith(v);
      case 'co': return a.includes(v);
      case 'gt': return a > v;
      case 'ge': return a >= v;
      case 'lt': return a < v;
      case 'le': return a <= v;
    }
  }
  if (typeof value === 'number' && typeof actual === 'number') {
    switch (op) {
      case 'eq': return actual === value;
      case 'gt': return actual > value;
      case 'ge': return actual >= value;
      case 'lt': return actual < value;
      case 'le': return actual <= value;
      default: return false;
    }
  }
  return op === 'eq' && actual === value;
}

/** Evaluates against a plain object view of the resource (e.g. the rendered JSON: `profile.name`, `type`, `id`). */
export function evaluate(e: Expr, obj: unknown): boolean {
  if (e.kind !== 'cmp') return e.kind === 'and' ? evaluate(e.left, obj) && evaluate(e.right, obj) : evaluate(e.left, obj) || evaluate(e.right, obj);
  return compare(get(obj, e.attr), e.op, e.value);
}

/** Parses, checks and returns a predicate, or undefined when `src` is absent. */
export function predicate(src: unknown, rules: QueryRules): ((obj: unknown) => boolean) | undefined {
  if (src === undefined) return undefined;
  if (typeof src !== 'string' || src.trim() === '') throw invalidSearch();
  const e = parseExpr(src);
  checkExpr(e, rules);
  return (obj) => evaluate(e, obj);
}

export type Query = Record<string, string | string[] | undefined>;

export function queryString(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Query)[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface PageOptions {
  /** Default page size; undefined = everything. */
  defaultLimit?: number;
  maxLimit?: number;
  /** False for endpoints that cannot be paged (e.g. groups with `q`): no Link rel="next", no `after`. */
  pageable?: boolean;
}

/**
 * Slices `items` (already filtered and in their stable order) by `limit` and `after` (the id of the last item
 * of the previous page), and sets separate Link headers for rel="self" and rel="next" (next only when more remain).
 * The next link keeps every other query parameter. An `after` that names no item gives an empty page.
 */
export function paginate<T>(req: FastifyRequest, reply: FastifyReply, orgUrl: string, items: T[], idOf: (t: T) => string, opts: PageOptions): T[] {
  const q = req.query as Query;
  const rawLimit = queryString(req, 'limit');
  let limit = opts.defaultLimit;
  if (rawLimit !== undefined) {
    const n = Number(rawLimit);
    if (!Number.isInteger(n)) throw invalidSearch();
    limit = n < 0 ? undefined : n; // Okta's -1 means "no limit" where it is the default
  }
  if (limit !== undefined && opts.maxLimit !== undefined) limit = Math.min(limit, opts.maxLimit);
  if (limit !== undefined && limit < 1) limit = opts.defaultLimit ?? opts.maxLimit;

  let start = 0;
  const after = opts.pageable === false ? undefined : queryString(req, 'after');
  if (after !== undefined) {
    const idx = items.findIndex((t) => idOf(t) === after);
    start = idx < 0 ? items.length : idx + 1;
  }
  const page = limit === undefined ? items.slice(start) : items.slice(start, start + limit);

  const path = req.url.split('?')[0]!;
  const self = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) self.append(k, x);
  }
  const selfQs = self.toString();
  const links = [`<${orgUrl}${path}${selfQs ? `?${selfQs}` : ''}>; rel="self"`];
  const more = opts.pageable !== false && limit !== undefined && start + page.length < items.length && page.length > 0;
  if (more) {
    const next = new URLSearchParams(self);
    next.set('after', idOf(page[page.length - 1]!));
    next.set('limit', String(limit));
    links.push(`<${orgUrl}${path}?${next.toString()}>; rel="next"`);
  }
  reply.header('link', links);
  return page;
}
