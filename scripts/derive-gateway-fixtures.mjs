#!/usr/bin/env node
/**
 * Derives the compact gateway schema fixtures in src/settings/gateways/schemas/ from the gateways' own published
 * schemas in ../shared/gateway-schemas/ (run with `npm run gateway:fixtures`; provenance of every source file is in
 * that folder's README.md). The fixtures keep only what validation needs: validation keywords, no descriptions,
 * defaults, examples or vendor keywords. Tests validate every generated gateway file against them with Ajv.
 *
 * What each fixture is, and what the derivation changes (nothing else is changed):
 * - kong-deck.schema.json           Kong's decK file schema (go-database-reconciler pkg/file/kong_json_schema.json),
 *                                   draft-04 turned into draft-07 (the only draft-04-only keyword form it uses is none;
 *                                   `$schema` is rewritten so one Ajv instance validates every fixture).
 * - kong-openid-connect.config.schema.json
 *                                   `properties.config` of the Enterprise openid-connect plugin schema (Gateway 3.15),
 *                                   with `additionalProperties: false` added at its top level so a misspelt key fails
 *                                   (the published schema accepts any key).
 * - tyk-oas.schema.json             Tyk's OAS 3.0 document schema with the strict `x-tyk-api-gateway` schema merged in
 *                                   the way Tyk's own validator does (apidef/oas/validator.go loadOASSchema:
 *                                   properties["x-tyk-api-gateway"] = x-tyk root without definitions; its definitions
 *                                   merged into the OAS definitions), draft-04 turned into draft-07.
 * - tyk-policy.schema.json          components.schemas.Policy of Tyk's Gateway API (swagger.yml) and the schemas it
 *                                   reaches, `$ref`s rewritten to `#/definitions/`, OpenAPI number formats dropped,
 *                                   and `additionalProperties: false` added to Policy, AccessDefinition and AccessSpec.
 * - aws-<type>.schema.json          CloudFormation registry schemas of the ApiGatewayV2 resources the AWS template uses,
 *                                   CloudFormation-only keywords dropped, read-only properties removed from
 *                                   `properties` (with their `additionalProperties: false` that makes writing one fail).
 * - apigee-verify-jwt.json          The child elements and attributes a VerifyJWT policy may have, collected from
 *                                   Apigee's jwt.xsd (verifyJWTBean and the types it extends).
 * - mulesoft-flex.json              The Flex Gateway 1.8 Local Mode parameter tables (jwt-validation-flex, PolicyBinding)
 *                                   from mulesoft/docs-gateway: name, required, default as written there.
 *
 * Exported `deriveGatewayFixtures()` is pure (source texts in, fixture texts out) so
 * src/settings/gateways/fixtures-current.test.ts can re-derive them and compare with the committed files byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { sortKeys } from './derive-spec-fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SCHEMA_DIR = resolve(here, '..', '..', 'shared', 'gateway-schemas');
export const FIXTURE_DIR = resolve(here, '..', 'src', 'settings', 'gateways', 'schemas');

/** Source files read, relative to the schema folder. */
export const SOURCES = [
  'kong/kong_json_schema.json',
  'kong/openid-connect.3.15.OpenidConnect.json',
  'tyk/oas-3.0.json',
  'tyk/x-tyk-api-gateway.strict.json',
  'tyk/gateway-api.swagger.yml',
  'aws-apigateway/aws-apigatewayv2-api.json',
  'aws-apigateway/aws-apigatewayv2-authorizer.json',
  'aws-apigateway/aws-apigatewayv2-route.json',
  'aws-apigateway/aws-apigatewayv2-integration.json',
  'aws-apigateway/aws-apigatewayv2-stage.json',
  'apigee/jwt.xsd',
  'mulesoft/docs-gateway/policies-included-jwt-validation.adoc',
  'mulesoft/docs-gateway/flex-local-configuration-reference-guide.adoc',
];

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';

/** Keywords that validate (everything else is an annotation or a vendor keyword and is dropped). */
const VALIDATION = new Set([
  '$ref', 'type', 'enum', 'const', 'required', 'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'contains',
  'minProperties', 'maxProperties', 'items', 'additionalItems', 'properties', 'patternProperties',
  'additionalProperties', 'propertyNames', 'dependencies', 'allOf', 'oneOf', 'anyOf', 'not', 'if', 'then', 'else',
  'definitions', 'nullable',
]);
const SCHEMA_MAP = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_ONE = new Set(['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalItems']);
const SCHEMA_LIST = new Set(['allOf', 'oneOf', 'anyOf']);

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Keeps the validation keywords of a schema, recursively and only in schema positions (a property named
 * "description" survives; the keyword does not). draft-04's boolean exclusiveMinimum/Maximum become draft-07 numbers.
 * `rewriteRef` maps each `$ref`; `dropFormat` says which `format` values to drop.
 */
function compact(schema, opts = {}) {
  if (typeof schema === 'boolean') return schema;
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!VALIDATION.has(k)) continue;
    if (k === '$ref') out.$ref = opts.rewriteRef ? opts.rewriteRef(v) : v;
    else if (SCHEMA_MAP.has(k)) out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, compact(s, opts)]));
    else if (SCHEMA_ONE.has(k)) out[k] = compact(v, opts);
    else if (SCHEMA_LIST.has(k)) out[k] = v.map((s) => compact(s, opts));
    else if (k === 'items') out.items = Array.isArray(v) ? v.map((s) => compact(s, opts)) : compact(v, opts);
    else if (k === 'additionalProperties') out[k] = compact(v, opts);
    else if (k === 'dependencies') {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, d]) => [n, Array.isArray(d) ? d : compact(d, opts)]));
    } else if (k === 'format' && opts.dropFormat?.(v)) continue;
    else out[k] = v;
  }
  // draft-04: `exclusiveMinimum: true` qualifies `minimum`; draft-07 carries the bound itself.
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  return out;
}

function json(value) {
  return JSON.stringify(sortKeys(value), null, 1) + '\n';
}

function meta(files, texts) {
  return Object.fromEntries(files.map((f) => [f, sha256(texts[f])]));
}

function deriveKongDeck(texts) {
  const src = 'kong/kong_json_schema.json';
  const schema = compact(JSON.parse(texts[src]));
  return { 'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([src], texts) }, $schema: DRAFT7, ...schema };
}

function deriveKongOidc(texts) {
  const src = 'kong/openid-connect.3.15.OpenidConnect.json';
  const config = compact(JSON.parse(texts[src]).properties.config);
  config.additionalProperties = false;
  return { 'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([src], texts) }, $schema: DRAFT7, ...config };
}

function deriveTykOas(texts) {
  const oasSrc = 'tyk/oas-3.0.json';
  const tykSrc = 'tyk/x-tyk-api-gateway.strict.json';
  const oas = JSON.parse(texts[oasSrc]);
  const tyk = JSON.parse(texts[tykSrc]);
  const { definitions: tykDefs, $schema: _ignored, ...tykRoot } = tyk;
  const merged = { ...oas, properties: { ...oas.properties, 'x-tyk-api-gateway': tykRoot }, definitions: { ...oas.definitions, ...tykDefs } };
  const clash = Object.keys(tykDefs).filter((n) => n in oas.definitions);
  if (clash.length) throw new Error(`tyk: definitions in both schemas: ${clash.join(', ')}`);
  return {
    'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([oasSrc, tykSrc], texts) },
    $schema: DRAFT7,
    ...compact(merged),
  };
}

const TYK_STRICT = ['Policy', 'AccessDefinition', 'AccessSpec'];

function deriveTykPolicy(texts) {
  const src = 'tyk/gateway-api.swagger.yml';
  const doc = parse(texts[src], { maxAliasCount: -1 });
  const all = doc.components.schemas;
  const defs = {};
  const pending = ['Policy'];
  const seen = new Set(pending);
  const rewriteRef = (ref) => {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m || !(m[1] in all)) throw new Error(`tyk policy: unsupported $ref ${ref}`);
    if (!seen.has(m[1])) {
      seen.add(m[1]);
      pending.push(m[1]);
    }
    return `#/definitions/${m[1]}`;
  };
  const dropFormat = (f) => ['int32', 'int64', 'float', 'double'].includes(f);
  while (pending.length) {
    const name = pending.shift();
    defs[name] = compact(all[name], { rewriteRef, dropFormat });
    if (TYK_STRICT.includes(name)) defs[name].additionalProperties = false;
  }
  return {
    'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([src], texts), version: doc.info?.version },
    $schema: DRAFT7,
    $ref: '#/definitions/Policy',
    definitions: defs,
  };
}

export const AWS_TYPES = ['api', 'authorizer', 'route', 'integration', 'stage'];

function deriveAws(texts, type) {
  const src = `aws-apigateway/aws-apigatewayv2-${type}.json`;
  const raw = JSON.parse(texts[src]);
  const schema = compact(raw);
  for (const ptr of raw.readOnlyProperties ?? []) {
    const m = /^\/properties\/([^/]+)$/.exec(ptr);
    if (m) delete schema.properties[m[1]];
  }
  if (schema.required) schema.required = schema.required.filter((r) => r in schema.properties);
  return {
    'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([src], texts), typeName: raw.typeName },
    $schema: DRAFT7,
    ...schema,
  };
}

/** VerifyJWT's children: the elements of verifyJWTBean and of every complexType it extends, in jwt.xsd. */
function deriveApigee(texts) {
  const src = 'apigee/jwt.xsd';
  const xsd = texts[src];
  const types = new Map();
  const re = /<xs:complexType name="([^"]+)"[^>]*>([\s\S]*?)\n {2}<\/xs:complexType>/g;
  for (let m = re.exec(xsd); m; m = re.exec(xsd)) {
    const body = m[2];
    const base = /<xs:extension base="([^"]+)"/.exec(body)?.[1];
    // Only the type's own sequence: nested anonymous complexTypes (FaultRules) are indented further.
    const elements = [...body.matchAll(/^ {8,10}<xs:element name="([^"]+)"/gm)].map((e) => e[1]);
    const attributes = [...body.matchAll(/<xs:attribute name="([^"]+)"/g)].map((a) => a[1]);
    types.set(m[1], { base, elements, attributes });
  }
  const elements = [];
  const attributes = [];
  const chain = [];
  for (let t = 'verifyJWTBean'; t && types.has(t); t = types.get(t).base) {
    chain.push(t);
    elements.push(...types.get(t).elements);
    attributes.push(...types.get(t).attributes);
  }
  if (!elements.includes('Issuer')) throw new Error('apigee: verifyJWTBean not found in jwt.xsd');
  return {
    'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([src], texts), chain },
    rootElement: 'VerifyJWT',
    elements: [...new Set(elements)].sort(),
    attributes: [...new Set(attributes)].sort(),
  };
}

/** The rows of the first AsciiDoc table whose header is "Parameter | Required or Optional | Default Value | Description" after `after`. */
function adocParameters(text, after) {
  const start = text.indexOf(after);
  if (start < 0) throw new Error(`mulesoft: "${after}" not found`);
  const lines = text.slice(start).split('\n');
  const h = lines.findIndex((l) => /^\|\s*Parameter\s*\|\s*Required or Optional/.test(l));
  if (h < 0) throw new Error(`mulesoft: no parameter table after "${after}"`);
  const cells = [];
  for (const line of lines.slice(h + 1)) {
    if (line.startsWith('|===')) break;
    if (line.startsWith('|')) cells.push(line.slice(1).trim());
    else if (cells.length && line.trim() !== '') cells[cells.length - 1] += ` ${line.trim()}`;
  }
  if (cells.length % 4 !== 0) throw new Error(`mulesoft: table after "${after}" has ${cells.length} cells`);
  const rows = [];
  const unquote = (s) => s.replace(/^`(.*)`$/, '$1').replace(/\\\|/g, '|');
  for (let i = 0; i < cells.length; i += 4) {
    rows.push({ name: unquote(cells[i]), required: cells[i + 1] === 'Required', default: unquote(cells[i + 2]) });
  }
  return rows;
}

function deriveMulesoft(texts) {
  const jwt = 'mulesoft/docs-gateway/policies-included-jwt-validation.adoc';
  const ref = 'mulesoft/docs-gateway/flex-local-configuration-reference-guide.adoc';
  return {
    'x-derived': { generatedBy: 'scripts/derive-gateway-fixtures.mjs', sha256: meta([jwt, ref], texts) },
    'jwt-validation-flex': adocParameters(texts[jwt], '=== Flex Gateway Local Mode'),
    PolicyBinding: adocParameters(texts[ref], 'kind: PolicyBinding'),
  };
}

/**
 * Pure derivation: source texts (by path relative to the schema folder) in, fixture texts (by file name) out.
 * @param {Record<string, string>} texts
 * @returns {Record<string, string>}
 */
export function deriveGatewayFixtures(texts) {
  const out = {
    'kong-deck.schema.json': json(deriveKongDeck(texts)),
    'kong-openid-connect.config.schema.json': json(deriveKongOidc(texts)),
    'tyk-oas.schema.json': json(deriveTykOas(texts)),
    'tyk-policy.schema.json': json(deriveTykPolicy(texts)),
    'apigee-verify-jwt.json': json(deriveApigee(texts)),
    'mulesoft-flex.json': json(deriveMulesoft(texts)),
  };
  for (const t of AWS_TYPES) out[`aws-apigatewayv2-${t}.schema.json`] = json(deriveAws(texts, t));
  return out;
}

/** Reads the sources from `dir` and derives the fixture texts. */
export function deriveGatewayFixturesFromDir(dir = DEFAULT_SCHEMA_DIR) {
  return deriveGatewayFixtures(Object.fromEntries(SOURCES.map((f) => [f, readFileSync(join(dir, f), 'utf8')])));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_SCHEMA_DIR;
  mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const [name, text] of Object.entries(deriveGatewayFixturesFromDir(dir))) {
    writeFileSync(join(FIXTURE_DIR, name), text);
    console.log(`wrote ${join(FIXTURE_DIR, name)}: ${text.length} bytes`);
  }
}
