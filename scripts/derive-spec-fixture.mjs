#!/usr/bin/env node
/**
 * Derives src/spec/okta-spec.fixture.json from Okta's official OpenAPI specs in ../shared/okta-openapi/
 * (run with `npm run spec:fixture`). The fixture keeps only the operations okta-bootstrap touches and
 * the schemas reachable from them, with validation keywords only (no descriptions, examples or x- keys).
 *
 * Shape of the fixture:
 *   $meta       { generatedBy, sources: { management|oauth: { file, title, version, sha256 } } }
 *   operations  [{ operationId, method, path, server, requestBody?: { required, content: { ct: schema } },
 *                  responses: { status: { content?: { ct: schema } } } }]   (sorted by server, path, method)
 *   schemas     { management: { Name: schema }, oauth: { Name: schema } }
 * Every `$ref` (and discriminator mapping target) is rewritten to a pointer inside the fixture,
 * `#/schemas/<server>/<Name>`; the two specs keep separate namespaces because 14 schema names
 * (Client, Error, GrantType, ...) differ between them.
 *
 * Exported `deriveFixture()` is pure (text in, text out) so src/spec/fixture-current.test.ts can re-derive
 * the fixture in memory and compare it with the committed file byte for byte.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SPEC_DIR = resolve(here, '..', '..', 'shared', 'okta-openapi');
export const FIXTURE_PATH = resolve(here, '..', 'src', 'spec', 'okta-spec.fixture.json');

/** The operations okta-bootstrap and its local tenant use, by server. */
export const OPERATIONS = {
  management: [
    // authorization servers
    'listAuthorizationServers', 'createAuthorizationServer', 'getAuthorizationServer', 'replaceAuthorizationServer',
    'deleteAuthorizationServer', 'activateAuthorizationServer', 'deactivateAuthorizationServer',
    'listAuthorizationServerKeys',
    // scopes
    'listOAuth2Scopes', 'createOAuth2Scope', 'getOAuth2Scope', 'replaceOAuth2Scope', 'deleteOAuth2Scope',
    // claims
    'listOAuth2Claims', 'createOAuth2Claim', 'getOAuth2Claim', 'replaceOAuth2Claim', 'deleteOAuth2Claim',
    // authorization server policies
    'listAuthorizationServerPolicies', 'createAuthorizationServerPolicy', 'getAuthorizationServerPolicy',
    'replaceAuthorizationServerPolicy', 'deleteAuthorizationServerPolicy',
    'activateAuthorizationServerPolicy', 'deactivateAuthorizationServerPolicy',
    // policy rules
    'listAuthorizationServerPolicyRules', 'createAuthorizationServerPolicyRule', 'getAuthorizationServerPolicyRule',
    'replaceAuthorizationServerPolicyRule', 'deleteAuthorizationServerPolicyRule',
    'activateAuthorizationServerPolicyRule', 'deactivateAuthorizationServerPolicyRule',
    // groups
    'listGroups', 'addGroup', 'getGroup', 'replaceGroup', 'deleteGroup', 'listGroupUsers',
    'assignUserToGroup', 'unassignUserFromGroup',
    // users
    'listUsers', 'createUser', 'getUser', 'updateUser', 'replaceUser', 'activateUser', 'deactivateUser',
    'deleteUser', 'listUserGroups',
    // apps (create/replace are cheap: same schemas as get)
    'listApplications', 'createApplication', 'getApplication', 'replaceApplication', 'deleteApplication',
    'activateApplication', 'deactivateApplication',
    'listApplicationGroupAssignments', 'getApplicationGroupAssignment', 'assignGroupToApplication',
    'unassignApplicationFromGroup',
    // trusted origins
    'listTrustedOrigins', 'createTrustedOrigin', 'getTrustedOrigin', 'replaceTrustedOrigin', 'deleteTrustedOrigin',
    'activateTrustedOrigin', 'deactivateTrustedOrigin',
  ],
  oauth: [
    // dynamic client registration
    'listClients', 'createClient', 'getClient', 'replaceClient', 'deleteClient', 'generateNewClientSecret',
    // custom authorization servers
    'getWellKnownOAuthConfigurationCustomAS', 'getWellKnownOpenIDConfigurationCustomAS', 'oauthKeysCustomAS',
    'tokenCustomAS', 'introspectCustomAS', 'revokeCustomAS', 'userinfoCustomAS', 'authorizeCustomAS',
    'authorizeCustomASWithPost',
    // the org authorization server
    'getWellKnownOpenIDConfiguration', 'oauthKeys', 'token', 'introspect', 'revoke', 'userinfo', 'authorize',
    'authorizeWithPost',
  ],
};

/** Schema keywords kept, and how their values are treated. */
const SCHEMA_KEYWORDS = new Set([
  'type', 'enum', 'required', 'nullable', 'readOnly', 'writeOnly', 'format', 'pattern',
  'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'items', 'properties', 'additionalProperties', 'allOf', 'oneOf', 'anyOf', 'not', 'discriminator', '$ref',
]);
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

/** Recursively sorts object keys (arrays keep their order) so the output is deterministic. */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

function deriveServer(server, doc, ops, schemasOut) {
  const components = doc.components ?? {};
  const componentSchemas = components.schemas ?? {};
  const pending = [];
  const seen = new Set();

  const schemaRef = (ref) => {
    const m = SCHEMA_REF.exec(ref);
    if (!m) throw new Error(`${server}: unsupported $ref ${ref}`);
    const name = m[1];
    if (!(name in componentSchemas)) throw new Error(`${server}: dangling $ref ${ref}`);
    if (!seen.has(name)) {
      seen.add(name);
      pending.push(name);
    }
    return `#/schemas/${server}/${name}`;
  };

  const cleanSchema = (s) => {
    if (Array.isArray(s)) return s.map(cleanSchema);
    if (!s || typeof s !== 'object') return s; // true/false schemas
    const out = {};
    for (const [k, v] of Object.entries(s)) {
      if (!SCHEMA_KEYWORDS.has(k)) continue;
      switch (k) {
        case '$ref':
          out.$ref = schemaRef(v);
          break;
        case 'properties':
          out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, cleanSchema(ps)]));
          break;
        case 'items':
        case 'not':
          out[k] = cleanSchema(v);
          break;
        case 'additionalProperties':
          out[k] = typeof v === 'boolean' ? v : cleanSchema(v);
          break;
        case 'allOf':
        case 'oneOf':
        case 'anyOf':
          out[k] = v.map(cleanSchema);
          break;
        case 'discriminator': {
          const d = { propertyName: v.propertyName };
          if (v.mapping) d.mapping = Object.fromEntries(Object.entries(v.mapping).map(([val, ref]) => [val, schemaRef(ref)]));
          out.discriminator = d;
          break;
        }
        default:
          out[k] = v;
      }
    }
    return out;
  };

  const resolveComponent = (obj, kind) => {
    let cur = obj;
    for (let i = 0; cur && cur.$ref; i++) {
      const m = new RegExp(`^#/components/${kind}/(.+)$`).exec(cur.$ref);
      if (!m || i > 10) throw new Error(`${server}: unsupported ${kind} $ref ${cur.$ref}`);
      cur = components[kind]?.[m[1]];
      if (!cur) throw new Error(`${server}: dangling $ref ${obj.$ref}`);
    }
    return cur;
  };

  const cleanContent = (content) => {
    const out = {};
    for (const [ct, media] of Object.entries(content ?? {})) out[ct] = media.schema ? cleanSchema(media.schema) : {};
    return out;
  };

  const byId = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op?.operationId) byId.set(op.operationId, { path, method, op });
    }
  }

  const operations = [];
  for (const operationId of ops) {
    const found = byId.get(operationId);
    if (!found) throw new Error(`${server}: operationId ${operationId} not found in the spec`);
    const { path, method, op } = found;
    const entry = { operationId, method: method.toUpperCase(), path, server, responses: {} };
    if (op.requestBody) {
      const rb = resolveComponent(op.requestBody, 'requestBodies');
      entry.requestBody = { required: rb.required === true, content: cleanContent(rb.content) };
    }
    for (const [status, r] of Object.entries(op.responses ?? {})) {
      const resp = resolveComponent(r, 'responses');
      const content = cleanContent(resp.content);
      entry.responses[status] = Object.keys(content).length ? { content } : {};
    }
    operations.push(entry);
  }

  while (pending.length) {
    const name = pending.shift();
    schemasOut[name] = cleanSchema(componentSchemas[name]);
  }
  return operations;
}

/**
 * Pure derivation: the two spec texts in, the fixture text out (sorted keys, 1-space indent, trailing newline).
 * @param {{ management: string, oauth: string }} texts
 * @returns {string}
 */
export function deriveFixture(texts) {
  const meta = { generatedBy: 'scripts/derive-spec-fixture.mjs', sources: {} };
  const schemas = { management: {}, oauth: {} };
  const operations = [];
  for (const server of /** @type {const} */ (['management', 'oauth'])) {
    const text = texts[server];
    const doc = parse(text, { maxAliasCount: -1 });
    meta.sources[server] = {
      file: `${server}.yaml`,
      title: doc.info?.title,
      version: doc.info?.version,
      sha256: sha256(text),
    };
    operations.push(...deriveServer(server, doc, OPERATIONS[server], schemas[server]));
  }
  operations.sort((a, b) =>
    a.server.localeCompare(b.server) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  const fixture = sortKeys({ $meta: meta, operations, schemas });
  return JSON.stringify(fixture, null, 1) + '\n';
}

/** Reads the spec files from `specDir` and derives the fixture text. */
export function deriveFixtureFromDir(specDir = DEFAULT_SPEC_DIR) {
  return deriveFixture({
    management: readFileSync(join(specDir, 'management.yaml'), 'utf8'),
    oauth: readFileSync(join(specDir, 'oauth.yaml'), 'utf8'),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const specDir = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_SPEC_DIR;
  const text = deriveFixtureFromDir(specDir);
  writeFileSync(FIXTURE_PATH, text);
  const parsed = JSON.parse(text);
  const nSchemas = Object.values(parsed.schemas).reduce((n, s) => n + Object.keys(s).length, 0);
  console.log(`wrote ${FIXTURE_PATH}: ${parsed.operations.length} operations, ${nSchemas} schemas, ${text.length} bytes`);
}
