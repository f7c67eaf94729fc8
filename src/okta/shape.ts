/**
 * The shapes of Okta's request bodies, checked before any write: every create and update body the tool is about
 * to send is validated against the request schema of its operation in Okta's OpenAPI spec, so that a value of
 * the wrong type (`audiences` as a string, a user's `groupIds` as a string), a missing required field or a
 * value outside an enum fails the run up front (exit 2), with the entry, the field and the expected type,
 * instead of halfway through, after other objects were created.
 *
 * The shapes come from the committed fixture `src/spec/okta-spec.fixture.json` (derived from Okta's official
 * OpenAPI files, https://developer.okta.com/docs/api/), read as data. The checker is the tool's own and shares no
 * code with the emulator's validator (src/spec/validator.ts), so that both cannot be wrong the same way.
 *
 * What is checked, and why so little: types, `required` and `enum` only. Formats, patterns and lengths are not:
 * Okta's docs and its answers are the judge of those, and a value not known yet (KNOWN, "(known after apply)",
 * an id an earlier create returns) is a string that stands for an id, so it passes where a string is expected
 * and is not held to an enum. OpenAPI 3.0 → JSON Schema, as chosen here:
 *  - `nullable: true` admits null;
 *  - a `readOnly` property is never required in a request (Okta fills it);
 *  - `oneOf`/`anyOf` become `anyOf` (Okta's branches overlap; "exactly one" would refuse good bodies);
 *  - a `discriminator` with a mapping dispatches on its property to the mapped schema; a mapped schema that
 *    extends its parent through `allOf` gets the parent without the dispatch (else validation would loop). A value
 *    of the property outside the mapping is left unchecked.
 * An update (`partial`) is checked for types and enums only: the handler merges the org's object into it.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isRecord } from '../core/json.js';

/** One field of a body that does not have the shape Okta's spec gives it. */
export interface ShapeProblem {
  /** Dotted path in the body, e.g. "credentials.password.value" ("" for the body itself). */
  path: string;
  message: string;
  /** The operation whose schema says so, e.g. "createAuthorizationServer". */
  operationId: string;
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  server: string;
  requestBody?: { content?: Record<string, unknown> };
}

interface Fixture {
  operations: Operation[];
  schemas: Record<string, Record<string, unknown>>;
}

const FIXTURE = new URL('../spec/okta-spec.fixture.json', import.meta.url);
const DOC = 'okta-request-shapes';
const CORE = '~core';
/** The validation keywords kept (see the header); every other keyword is dropped. */
const KEPT = new Set(['type', 'enum', 'required', 'properties', 'items', 'additionalProperties', 'allOf', 'anyOf', 'oneOf', '$ref']);

/**
 * Okta's spec is wrong about a field the tool sends, and Okta's documented behaviour is right: the fields are
 * corrected here, each with its reason (the emulator's validator tolerates the same facts on its side).
 */
const SPEC_CORRECTIONS: { server: string; schema: string; property: string; shape: Record<string, unknown> }[] = [
  {
    server: 'oauth',
    schema: 'Client',
    property: 'post_logout_redirect_uris',
    shape: { type: 'array', items: { type: 'string' } },
    // The Client schema types it `string` with `items` and the description "Array of redirection URI strings";
    // Okta takes an array, as OpenID Connect RP-Initiated Logout defines it:
    // https://developer.okta.com/docs/guides/sign-users-out/ and
    // https://openid.net/specs/openid-connect-rpinitiated-1_0.html#ClientMetadata
  },
];

function refName(ref: string): { server: string; name: string } | undefined {
  const m = /^#\/schemas\/([^/]+)\/(.+)$/.exec(ref);
  return m?.[1] && m[2] ? { server: m[1], name: m[2] } : undefined;
}

/** The fixture's OpenAPI shapes as one JSON Schema document, with an entry per operation's request body. */
function buildDocument(fx: Fixture): { doc: Record<string, unknown>; ops: Set<string> } {
  const schemaAt = (ref: string): Record<string, unknown> | undefined => {
    const r = refName(ref);
    const s = r ? fx.schemas[r.server]?.[r.name] : undefined;
    return isRecord(s) ? s : undefined;
  };
  const dispatches = (s: unknown): boolean => isRecord(s) && isRecord(s.discriminator) && isRecord(s.discriminator.mapping);
  const readOnly = (s: unknown): boolean => isRecord(s) && (s.readOnly === true || (typeof s.$ref === 'string' && schemaAt(s.$ref)?.readOnly === true));

  const convert = (s: unknown, core = false): unknown => {
    if (!isRecord(s)) return s;
    const out: Record<string, unknown> = {};
    const all: unknown[] = [];
    for (const [k, v] of Object.entries(s)) {
      if (!KEPT.has(k)) continue;
      if (k === '$ref' && typeof v === 'string') all.push({ $ref: v });
      else if (k === 'properties' && isRecord(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, convert(ps)]));
      else if (k === 'required' && Array.isArray(v)) {
        const props = isRecord(s.properties) ? s.properties : {};
        const req = v.filter((p): p is string => typeof p === 'string' && !readOnly(props[p]));
        if (req.length) out.required = req;
      } else if (k === 'items' || (k === 'additionalProperties' && isRecord(v))) out[k] = convert(v);
      else if (k === 'allOf' && Array.isArray(v)) {
        out.allOf = v.map((m) => (isRecord(m) && typeof m.$ref === 'string' && dispatches(schemaAt(m.$ref)) ? { $ref: m.$ref + CORE } : convert(m)));
      } else if ((k === 'oneOf' || k === 'anyOf') && Array.isArray(v)) {
        if (!dispatches(s)) out.anyOf = v.map((m) => convert(m));
      } else if (k === 'type' || k === 'enum') out[k] = v;
    }
    if (s.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      const values: unknown = out.enum;
      if (Array.isArray(values)) out.enum = values.concat([null]);
    }
    const d = s.discriminator;
    if (!core && isRecord(d) && typeof d.propertyName === 'string' && isRecord(d.mapping)) {
      for (const [value, ref] of Object.entries(d.mapping)) {
        if (typeof ref !== 'string') continue;
        all.push({ if: { properties: { [d.propertyName]: { const: value } }, required: [d.propertyName] }, then: { $ref: ref } });
      }
    }
    const own: unknown = out.allOf;
    if (all.length) out.allOf = (Array.isArray(own) ? own : []).concat(all);
    return out;
  };

  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [server, byName] of Object.entries(fx.schemas)) {
    const conv: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(byName)) {
      conv[name] = convert(s);
      if (dispatches(s)) conv[name + CORE] = convert(s, true);
    }
    schemas[server] = conv;
  }
  for (const c of SPEC_CORRECTIONS) {
    const s = schemas[c.server]?.[c.schema];
    if (isRecord(s) && isRecord(s.properties)) s.properties[c.property] = c.shape;
  }
  const opSchemas: Record<string, unknown> = {};
  const ops = new Set<string>();
  for (const op of fx.operations) {
    const body = op.requestBody?.content?.['application/json'];
    if (body === undefined) continue;
    opSchemas[op.operationId] = convert(body);
    ops.add(op.operationId);
  }
  return { doc: { $id: DOC, schemas, ops: opSchemas }, ops };
}

interface Checker {
  operationFor(method: string, path: string): Operation | undefined;
  validatorFor(op: Operation): ValidateFunction | undefined;
}

let checker: Checker | undefined;

function getChecker(): Checker {
  if (checker) return checker;
  const fx = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const { doc, ops } = buildDocument(fx);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc);
  const compiled = new Map<string, ValidateFunction | undefined>();
  // the fixture keeps only the JSON APIs' paths: match segment by segment, literal segments before parameters
  const routes = fx.operations
    .map((op) => ({ op, segs: op.path.split('/').filter(Boolean) }))
    .sort((a, b) => b.segs.filter((s) => !s.startsWith('{')).length - a.segs.filter((s) => !s.startsWith('{')).length);
  checker = {
    operationFor(method, path) {
      const segs = path.replace(/[?#].*$/s, '').split('/').filter(Boolean);
      return routes.find((r) => r.op.method === method.toUpperCase() && r.segs.length === segs.length && r.segs.every((t, i) => t.startsWith('{') || t === segs[i]))?.op;
    },
    validatorFor(op) {
      if (!ops.has(op.operationId)) return undefined;
      if (!compiled.has(op.operationId)) compiled.set(op.operationId, ajv.getSchema(`${DOC}#/ops/${op.operationId}`));
      return compiled.get(op.operationId);
    },
  };
  return checker;
}

function valueAt(body: unknown, pointer: string): unknown {
  let v = body;
  for (const raw of pointer.split('/').slice(1)) {
    const p = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) v = v[Number(p)];
    else if (isRecord(v)) v = v[p];
    else return undefined;
  }
  return v;
}

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const article = (t: string): string => (t === 'array' || t === 'object' || t === 'integer' ? `an ${t}` : `a ${t}`);

function describe(e: ErrorObject, body: unknown, unknown: string | undefined): { path: string; message: string } | undefined {
  const at = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const value = valueAt(body, e.instancePath);
  const params: Record<string, unknown> = isRecord(e.params) ? e.params : {};
  if (e.keyword === 'type') {
    const t = params.type;
    const types = (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string' && x !== 'null');
    const expected = types.map(article).join(' or ');
    return { path: at.join('.'), message: `is ${kind(value)} (${JSON.stringify(value)}); Okta expects ${expected}` };
  }
  if (e.keyword === 'required') {
    const field = typeof params.missingProperty === 'string' ? params.missingProperty : '';
    return { path: [...at, field].join('.'), message: 'is missing; Okta requires it' };
  }
  if (e.keyword === 'enum') {
    // a value not known yet stands for an id: it is not held to an enum
    if (unknown !== undefined && typeof value === 'string' && value.includes(unknown)) return undefined;
    const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.filter((x) => x !== null) : [];
    return { path: at.join('.'), message: `is ${JSON.stringify(value)}; Okta expects one of ${allowed.map((x) => JSON.stringify(x)).join(', ')}` };
  }
  return undefined; // anyOf, if: their branches' own errors say what is wrong
}

/**
 * The problems of `body` for the request `method path` (the path with its ids, e.g.
 * /api/v1/authorizationServers/aus1/scopes). An operation the fixture does not have is not checked.
 * `partial`: an update, checked for types and enums only. `unknown`: the marker of a value not known yet (a
 * string standing for an id): such a string is not held to an enum.
 */
export function checkRequestShape(method: string, path: string, body: unknown, opts: { partial?: boolean; unknown?: string } = {}): ShapeProblem[] {
  const c = getChecker();
  const op = c.operationFor(method, path);
  const validate = op && c.validatorFor(op);
  if (!op || !validate || validate(body)) return [];
  const seen = new Set<string>();
  const out: ShapeProblem[] = [];
  for (const e of validate.errors ?? []) {
    if (opts.partial && e.keyword === 'required') continue;
    const d = describe(e, body, opts.unknown);
    if (!d || seen.has(`${d.path} ${d.message}`)) continue;
    seen.add(`${d.path} ${d.message}`);
    out.push({ ...d, operationId: op.operationId });
  }
  return out;
}
