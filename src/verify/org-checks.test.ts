/**
 * Every diagnosis of the org checks, on a hand-built snapshot: a good org (every check passes), then one fault
 * at a time. Each test asserts which checks fail (exactly those) and the words of the diagnosis.
 */
import { describe, expect, it } from 'vitest';
import type { AccessRule } from './access-policy.js';
import { ORG_CHECKS, runOrgChecks } from './org-checks.js';
import type { OrgSnapshot, PolicyRead, UserRead } from './snapshot.js';
import type { CheckResult } from './types.js';
import type { Level, LevelValues, Sourced, VerifyValues } from './values.js';

const ORG = 'https://dev-1.okta.com';
const ISSUER = `${ORG}/oauth2/aus1`;
const SILVER = 'http://myapp.com/scp/silver';
const GOLD = 'http://myapp.com/scp/gold';
const REDIRECT = 'http://localhost:8080/callback';
const OUT = 'output/mulesoft.json';
const POLICY_OUT = 'output/mulesoft_policy.json';
const RULES = `/api/v1/authorizationServers/aus1/policies/00p1/rules`;

const src = (value: string, source = OUT): Sourced => ({ value, source });

function values(): VerifyValues {
  return {
    serverId: src('aus1'),
    issuer: src(ISSUER),
    authorizeUrl: src(`${ISSUER}/v1/authorize`, 'derived'),
    tokenUrl: src(`${ISSUER}/v1/token`, 'derived'),
    introspectionUrl: src(`${ISSUER}/v1/introspect`),
    introspectClientId: src('0oaI'),
    introspectClientSecret: src('intro-secret', '.env'),
    authnClientId: src('0oaA', '.env'),
    authnClientSecret: src('app-secret', '.env'),
    redirectUri: src(REDIRECT, '.env'),
    policyId: src('00p1', POLICY_OUT),
    audiences: ['api://solar'],
    silver: { username: src('ann@x.com'), password: src('pw1'), groupId: src('00gS'), groupName: 'planets', userId: src('00uS'), scope: src(SILVER), ruleId: src('0prS', POLICY_OUT), ruleName: 'silver access rule' },
    gold: { username: src('bob@x.com'), password: src('pw2'), groupId: src('00gG'), groupName: 'moons', userId: src('00uG'), scope: src(GOLD), ruleId: src('0prG', POLICY_OUT), ruleName: 'gold access rule' },
    gatewayPolicies: { 'GET /planets': [SILVER], 'GET /moons': [GOLD] },
    outputsRead: [OUT, POLICY_OUT],
  };
}

const PLANETS = { id: '00gS', profile: { name: 'planets' } };
const MOONS = { id: '00gG', profile: { name: 'moons' } };
const EVERYONE_GROUP = { id: '00gE', type: 'BUILT_IN', profile: { name: 'Everyone' } };

function rule(id: string, name: string, priority: number, groups: string[], scopes: string[], over: Partial<AccessRule> = {}): AccessRule {
  return { id, name, priority, status: 'ACTIVE', conditions: { people: { groups: { include: groups } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: scopes } }, ...over };
}

const GOLD_RULE = rule('0prG', 'gold access rule', 1, ['00gG'], ['openid', SILVER, GOLD]);
const SILVER_RULE = rule('0prS', 'silver access rule', 2, ['00gS'], ['openid', SILVER]);

function policy(rules: AccessRule[] = [GOLD_RULE, SILVER_RULE], over: Partial<PolicyRead['policy']> = {}): PolicyRead {
  return { policy: { id: '00p1', name: 'solar policy', status: 'ACTIVE', priority: 1, conditions: { clients: { include: ['0oaA'] } }, ...over }, rules };
}

const user = (id: string, login: string, groups: UserRead['groups'], status = 'ACTIVE'): UserRead => ({ user: { id, status, profile: { login } }, groups });

function snapshot(): OrgSnapshot {
  return {
    orgUrl: ORG,
    server: { id: 'aus1', name: 'solar', status: 'ACTIVE', issuer: ISSUER, audiences: ['api://solar'] },
    metadata: {
      url: `${ISSUER}/.well-known/oauth-authorization-server`,
      status: 200,
      document: { issuer: ISSUER, authorization_endpoint: `${ISSUER}/v1/authorize`, token_endpoint: `${ISSUER}/v1/token`, introspection_endpoint: `${ISSUER}/v1/introspect`, jwks_uri: `${ISSUER}/v1/keys` },
    },
    keys: { url: `${ISSUER}/v1/keys`, status: 200, keys: [{ jwk: { kid: 'k1', kty: 'RSA', alg: 'RS256', use: 'sig' } }] },
    scopes: [{ name: 'openid' }, { name: SILVER }, { name: GOLD }],
    policies: [policy()],
    introspection: { url: `${ISSUER}/v1/introspect`, outcome: { kind: 'ok', status: 200, body: { active: false } } },
    users: { silver: user('00uS', 'ann@x.com', [PLANETS, EVERYONE_GROUP]), gold: user('00uG', 'bob@x.com', [PLANETS, MOONS, EVERYONE_GROUP]) },
    authnClient: { app: { id: '0oaA', label: 'solar app', status: 'ACTIVE', settings: { oauthClient: { redirect_uris: [REDIRECT] } } }, assignedGroupIds: ['00gS', '00gG'], everyone: EVERYONE_GROUP },
    trustedOrigins: [{ id: 'tos1', name: 'app', origin: 'http://localhost:8080', status: 'ACTIVE', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] }],
  };
}

const withLevel = (v: VerifyValues, lv: Level, over: Partial<LevelValues>): VerifyValues => ({ ...v, [lv]: { ...v[lv], ...over } });

function run(s: OrgSnapshot = snapshot(), v: VerifyValues = values()) {
  const results = runOrgChecks(s, v);
  const byId = new Map(results.map((r) => [r.id, r]));
  const get = (id: string): CheckResult => {
    const r = byId.get(id);
    if (!r) throw new Error(`no check ${id}`);
    return r;
  };
  return { results, get, failed: results.filter((r) => r.status === 'fail').map((r) => r.id), skipped: results.filter((r) => r.status === 'skip').map((r) => r.id) };
}

/** The run failed at exactly these checks; returns the first one's result. */
function failsAt(r: ReturnType<typeof run>, ids: string[]): CheckResult {
  expect(r.failed).toEqual(ids);
  const [first] = ids;
  if (first === undefined) throw new Error('failsAt needs an id');
  return r.get(first);
}

describe('the org-check table', () => {
  it('reports the 15 checks in their order, each prerequisite registered before the check that needs it', () => {
    expect(ORG_CHECKS.map((c) => c.id)).toEqual([
      'authserver.active', 'authserver.metadata', 'authserver.keys', 'introspection.credentials',
      'audit.scope.silver', 'audit.scope.gold', 'audit.user.silver', 'audit.user.gold', 'audit.policy',
      'audit.rule.silver', 'audit.rule.gold', 'audit.rule.order', 'audit.assignment', 'audit.redirect_uri', 'audit.trusted_origin',
    ]);
    ORG_CHECKS.forEach((c, i) => {
      for (const n of c.needs) expect(ORG_CHECKS.slice(0, i).map((x) => x.id), `${c.id} needs ${n.id}`).toContain(n.id);
    });
  });

  it('a good org passes every check, with what it saw', () => {
    const r = run();
    expect(r.results.filter((x) => x.status !== 'pass')).toEqual([]);
    expect(r.get('authserver.active').detail).toBe('"solar" (aus1) ACTIVE, audiences ["api://solar"]');
    expect(r.get('authserver.keys').detail).toBe('1 key(s): k1 RS256');
    expect(r.get('audit.user.gold').detail).toBe('bob@x.com ACTIVE, in moons (00gG)');
    expect(r.get('audit.rule.order').detail).toBe('silver → "silver access rule" (priority 2); gold → "gold access rule" (priority 1)');
    expect(r.get('audit.trusted_origin').detail).toBe('http://localhost:8080 (CORS, REDIRECT)');
  });
});

describe('authserver.active', () => {
  it('no OKTA_AZ_SERVER_ID anywhere: names where it looked; everything on the server is skipped', () => {
    const r = run({ ...snapshot(), server: undefined }, { ...values(), serverId: undefined });
    const c = failsAt(r, ['authserver.active']);
    expect(c.cause).toBe(`OKTA_AZ_SERVER_ID is not in the environment, ${OUT}, ${POLICY_OUT}`);
    expect(c.fix).toContain('re-run `okta-bootstrap --mulesoft` (it writes output/mulesoft.json)');
    expect(r.skipped).toEqual(['authserver.metadata', 'authserver.keys', 'audit.scope.silver', 'audit.scope.gold', 'audit.policy', 'audit.rule.silver', 'audit.rule.gold', 'audit.rule.order']);
    expect(r.get('audit.scope.gold').detail).toBe('the authorization server is missing or not ACTIVE (authserver.active)');
    expect(r.get('audit.rule.gold').detail).toContain('(audit.policy)');
  });

  it('no output files either: says none were found', () => {
    const c = failsAt(run({ ...snapshot(), server: undefined }, { ...values(), serverId: undefined, outputsRead: [] }), ['authserver.active']);
    expect(c.cause).toBe('OKTA_AZ_SERVER_ID is not in the environment, the output files (none found)');
  });

  it('the server does not exist: names the id, where it came from, and the org', () => {
    const c = failsAt(run({ ...snapshot(), server: null }), ['authserver.active']);
    expect(c.cause).toBe(`authorization server OKTA_AZ_SERVER_ID aus1 (from ${OUT}) does not exist in ${ORG}`);
    expect(c.fix).toContain('fix OKTA_AZ_SERVER_ID');
  });

  it('the server is INACTIVE: says so and how to activate it', () => {
    const r = run({ ...snapshot(), server: { id: 'aus1', name: 'solar', status: 'INACTIVE' } });
    const c = failsAt(r, ['authserver.active']);
    expect(c.cause).toBe('authorization server "solar" (aus1) is INACTIVE');
    expect(c.fix).toContain('POST /api/v1/authorizationServers/aus1/lifecycle/activate');
    expect(r.get('authserver.metadata').status).toBe('skip');
  });
});

describe('authserver.metadata', () => {
  it('the metadata is not served: the URL and the status', () => {
    const c = failsAt(run({ ...snapshot(), metadata: { url: `${ISSUER}/.well-known/oauth-authorization-server`, status: 404 } }), ['authserver.metadata']);
    expect(c.cause).toBe(`GET ${ISSUER}/.well-known/oauth-authorization-server → 404`);
    expect(c.fix).toContain('API Access Management');
  });

  it('no answer at all: the error code', () => {
    const c = failsAt(run({ ...snapshot(), metadata: { url: `${ISSUER}/.well-known/oauth-authorization-server`, status: 0, error: 'ECONNREFUSED' } }), ['authserver.metadata']);
    expect(c.cause).toBe(`GET ${ISSUER}/.well-known/oauth-authorization-server → no answer (ECONNREFUSED)`);
  });

  it('OKTA_AZ_SERVER_ISSUER not set: gives the value to set', () => {
    const c = failsAt(run(snapshot(), { ...values(), issuer: undefined }), ['authserver.metadata']);
    expect(c.cause).toBe(`OKTA_AZ_SERVER_ISSUER is not set anywhere (the server's issuer is ${ISSUER})`);
    expect(c.fix).toContain(`OKTA_AZ_SERVER_ISSUER=${ISSUER} in .env`);
  });

  it("OKTA_AZ_SERVER_ISSUER is not the server's issuer: both issuers and where the wrong one came from", () => {
    const c = failsAt(run(snapshot(), { ...values(), issuer: src(`${ORG}/oauth2/default`, 'environment') }), ['authserver.metadata']);
    expect(c.cause).toBe(`OKTA_AZ_SERVER_ISSUER ${ORG}/oauth2/default (from environment) is not the server's issuer ${ISSUER}: tokens will not validate and the app will call the wrong server`);
    expect(c.fix).toBe(`set OKTA_AZ_SERVER_ISSUER=${ISSUER} where it came from (environment), and use it in Anypoint's Issuer field`);
  });

  it('a trailing slash is not a mismatch', () => {
    expect(run(snapshot(), { ...values(), issuer: src(`${ISSUER}/`) }).failed).toEqual([]);
  });

  it('an endpoint differs from the metadata: names the key, its source and the right URL', () => {
    const c = failsAt(run(snapshot(), { ...values(), tokenUrl: src(`${ORG}/oauth2/v1/token`, '.env') }), ['authserver.metadata']);
    expect(c.cause).toBe(`TOKEN_URL is ${ORG}/oauth2/v1/token (from .env), the server says ${ISSUER}/v1/token`);
    expect(c.fix).toContain('get-settings --mulesoft_introspect');
  });
});

describe('authserver.keys', () => {
  it('an empty key set: the URL, the status and "no keys"', () => {
    const c = failsAt(run({ ...snapshot(), keys: { url: `${ISSUER}/v1/keys`, status: 200, keys: [] } }), ['authserver.keys']);
    expect(c.cause).toBe(`GET ${ISSUER}/v1/keys → 200 with no keys`);
    expect(c.fix).toContain('Keys');
  });

  it('the keys cannot be fetched: the status', () => {
    const c = failsAt(run({ ...snapshot(), keys: { url: `${ISSUER}/v1/keys`, status: 500, error: 'not JSON: oops' } }), ['authserver.keys']);
    expect(c.cause).toBe(`GET ${ISSUER}/v1/keys → 500 (not JSON: oops)`);
  });

  it('a key jose cannot use: its kid and why', () => {
    const keys = [{ jwk: { kid: 'k1', kty: 'RSA' } }, { jwk: { kid: 'k2', kty: 'RSA', use: 'enc' }, problem: 'use enc' }];
    const c = failsAt(run({ ...snapshot(), keys: { url: `${ISSUER}/v1/keys`, status: 200, keys } }), ['authserver.keys']);
    expect(c.cause).toBe(`unusable keys at ${ISSUER}/v1/keys: k2: use enc`);
    expect(c.fix).toContain('Rotate');
  });
});

describe('introspection.credentials', () => {
  const probe = (outcome: NonNullable<OrgSnapshot['introspection']>['outcome'], client?: NonNullable<OrgSnapshot['introspection']>['client']): OrgSnapshot => ({
    ...snapshot(),
    introspection: { url: `${ISSUER}/v1/introspect`, outcome, ...(client !== undefined ? { client } : {}) },
  });
  const rejected401 = { kind: 'rejected', status: 401, error: 'invalid_client', errorDescription: 'Invalid value for client_id parameter.' } as const;

  it('a value is missing: names it and where it looked', () => {
    const { introspection: _, ...rest } = snapshot();
    const c = failsAt(run(rest, { ...values(), introspectClientSecret: undefined }), ['introspection.credentials']);
    expect(c.cause).toBe(`INTROSPECT_CLIENT_SECRET not found in the environment, .env or ${OUT}, ${POLICY_OUT}`);
    expect(c.fix).toContain('it creates the introspection client');
  });

  it('a made-up token comes back active: not an Okta introspection endpoint', () => {
    const c = failsAt(run(probe({ kind: 'ok', status: 200, body: { active: true } })), ['introspection.credentials']);
    expect(c.cause).toBe(`POST ${ISSUER}/v1/introspect said a made-up token is active`);
  });

  it('unreachable: names the URL and its source', () => {
    const c = failsAt(run(probe({ kind: 'unreachable', message: 'ENOTFOUND' })), ['introspection.credentials']);
    expect(c.cause).toBe(`TOKEN_INTROSPECTION_URL ${ISSUER}/v1/introspect (from ${OUT}) cannot be reached (ENOTFOUND)`);
  });

  it('not an introspection response', () => {
    const c = failsAt(run(probe({ kind: 'bad-response', status: 200, message: '200 without a boolean "active"' })), ['introspection.credentials']);
    expect(c.cause).toBe(`POST ${ISSUER}/v1/introspect → 200 without a boolean "active"`);
    expect(c.fix).toBe('TOKEN_INTROSPECTION_URL must be {issuer}/v1/introspect');
  });

  it('401 and the client id names no app: blames INTROSPECT_CLIENT_ID', () => {
    const c = failsAt(run(probe(rejected401, null)), ['introspection.credentials']);
    expect(c.cause).toBe(`introspection returned 401 invalid_client (Invalid value for client_id parameter.): INTROSPECT_CLIENT_ID 0oaI (from ${OUT}) is not a client of ${ORG}`);
    expect(c.fix).toContain("Anypoint's Client Provider form");
  });

  it('401 and the client is INACTIVE: how to activate it', () => {
    const c = failsAt(run(probe(rejected401, { id: '0oaI', label: 'introspector', status: 'INACTIVE' })), ['introspection.credentials']);
    expect(c.cause).toContain(': the introspection client "introspector" (0oaI) is INACTIVE');
    expect(c.fix).toBe('activate it: POST /api/v1/apps/0oaI/lifecycle/activate');
  });

  it('401 and the client exists: blames INTROSPECT_CLIENT_SECRET and where it came from', () => {
    const c = failsAt(run(probe(rejected401, { id: '0oaI', label: 'introspector', status: 'ACTIVE' })), ['introspection.credentials']);
    expect(c.cause).toContain('→ INTROSPECT_CLIENT_SECRET (from .env) is wrong for client "introspector" (0oaI)');
    expect(c.fix).toContain('Admin Console → Applications → introspector → Client secret');
  });

  it('404: the URL names no authorization server', () => {
    const c = failsAt(run(probe({ kind: 'rejected', status: 404 })), ['introspection.credentials']);
    expect(c.cause).toBe(`introspection returned 404: TOKEN_INTROSPECTION_URL ${ISSUER}/v1/introspect (from ${OUT}) names no authorization server`);
  });

  it('another status: says what Okta answered', () => {
    const c = failsAt(run(probe({ kind: 'rejected', status: 500, error: 'server_error' })), ['introspection.credentials']);
    expect(c.cause).toBe('introspection returned 500 server_error');
    expect(c.fix).toBe('check TOKEN_INTROSPECTION_URL and the introspection client');
  });
});

describe('audit.scope.*', () => {
  it('the gold scope is missing: names it, its source, the server and the scopes it has', () => {
    const c = failsAt(run({ ...snapshot(), scopes: [{ name: 'openid' }, { name: SILVER }] }), ['audit.scope.gold']);
    expect(c.cause).toBe(`scope ${GOLD} (GOLD_SCOPE_NAME, from ${OUT}) is not defined on authorization server aus1 (it has: openid, ${SILVER})`);
    expect(c.fix).toContain(`POST /api/v1/authorizationServers/aus1/scopes {"name":"${GOLD}"}`);
  });
});

describe('audit.user.*', () => {
  const withGold = (gold: UserRead | undefined): OrgSnapshot => {
    const s = snapshot();
    return { ...s, users: { ...s.users, gold } };
  };

  it('no user in the values: names both keys', () => {
    const c = failsAt(run(withGold(undefined), withLevel(values(), 'gold', { userId: undefined, username: undefined })), ['audit.user.gold']);
    expect(c.cause).toBe('neither GOLD_USER nor GOLD_USERNAME is in the output files or .env');
  });

  it('the user does not exist: the id and where it came from', () => {
    const c = failsAt(run(withGold({ user: null, groups: [] })), ['audit.user.gold']);
    expect(c.cause).toBe(`the gold user 00uG (from ${OUT}) does not exist`);
  });

  it('the user is not ACTIVE: the status and how to activate', () => {
    const c = failsAt(run(withGold(user('00uG', 'bob@x.com', [PLANETS, MOONS], 'SUSPENDED'))), ['audit.user.gold']);
    expect(c.cause).toBe('the gold user bob@x.com (00uG) is SUSPENDED');
    expect(c.fix).toContain('POST /api/v1/users/00uG/lifecycle/activate?sendEmail=false');
  });

  it('no group id recorded', () => {
    const c = failsAt(run(snapshot(), withLevel(values(), 'gold', { groupId: undefined })), ['audit.user.gold']);
    expect(c.cause).toBe('GOLD_GROUP_ID is not in the output files');
  });

  it('the group does not exist', () => {
    const c = failsAt(run(withGold({ ...user('00uG', 'bob@x.com', [PLANETS, EVERYONE_GROUP]), group: null })), ['audit.user.gold', 'audit.rule.order']);
    expect(c.cause).toBe(`the gold group GOLD_GROUP_ID 00gG (from ${OUT}) does not exist`);
  });

  it('the user is not in the group: names the group, the groups they are in, and the PUT', () => {
    const r = run(withGold({ ...user('00uG', 'bob@x.com', [PLANETS, EVERYONE_GROUP]), group: MOONS }));
    const c = failsAt(r, ['audit.user.gold', 'audit.rule.order']);
    expect(c.cause).toBe('gold user bob@x.com (00uG) is not in group moons (00gG) (member of: planets, Everyone)');
    expect(c.fix).toBe('add with PUT /api/v1/groups/00gG/users/00uG or re-run `okta-bootstrap --mulesoft`');
    // the silver rule matches the gold user but lacks the gold scope: Okta passes over it and denies the request
    expect(r.get('audit.rule.order').cause).toBe(`Okta answers access_denied to the gold user bob@x.com asking for openid ${SILVER} ${GOLD}: no ACTIVE rule that matches them allows all of these scopes`);
  });
});

describe('audit.policy', () => {
  it('AUTHN_CLIENT_ID not set: the policy and both client checks say so; the rules are skipped', () => {
    const { authnClient: _, ...rest } = snapshot();
    const r = run(rest, { ...values(), authnClientId: undefined });
    const c = failsAt(r, ['audit.policy', 'audit.assignment', 'audit.redirect_uri']);
    expect(c.cause).toBe('AUTHN_CLIENT_ID is not set (the client Anypoint registered for the app)');
    expect(c.fix).toContain('register-client');
    expect(r.get('audit.assignment').cause).toBe('AUTHN_CLIENT_ID is not set');
    expect(r.skipped).toEqual(['audit.rule.silver', 'audit.rule.gold', 'audit.rule.order']);
  });

  it('no policy has the recorded id or names the client: lists the policies', () => {
    const s = { ...snapshot(), policies: [policy(undefined, { id: '00p9', name: 'other', conditions: { clients: { include: ['0oaX'] } } })] };
    const c = failsAt(run(s), ['audit.policy']);
    expect(c.cause).toBe('no access policy on authorization server aus1 has the recorded id 00p1 or includes AUTHN_CLIENT_ID 0oaA (from .env) (policies: "other")');
    expect(c.fix).toBe('re-run `okta-bootstrap --mulesoft_policy`');
  });

  it('without a recorded id, the policy that names the client is the one', () => {
    expect(run(snapshot(), { ...values(), policyId: undefined }).failed).toEqual([]);
  });

  it('the policy is INACTIVE: how to activate it; the rules are skipped', () => {
    const r = run({ ...snapshot(), policies: [policy(undefined, { status: 'INACTIVE' })] });
    const c = failsAt(r, ['audit.policy']);
    expect(c.cause).toBe('policy "solar policy" (00p1) is INACTIVE');
    expect(c.fix).toBe('activate it: POST /api/v1/authorizationServers/aus1/policies/00p1/lifecycle/activate');
    expect(r.get('audit.rule.gold')).toMatchObject({ status: 'skip', detail: 'no ACTIVE access policy that includes AUTHN_CLIENT_ID to read rules from (audit.policy)' });
  });

  it('the policy does not include AUTHN_CLIENT_ID: names the client it lists instead', () => {
    const c = failsAt(run({ ...snapshot(), policies: [policy(undefined, { conditions: { clients: { include: ['0oaI'] } } })] }), ['audit.policy']);
    expect(c.cause).toBe('policy "solar policy" (00p1) does not include AUTHN_CLIENT_ID 0oaA (from .env) (it lists 0oaI)');
    expect(c.fix).toContain('first set AUTHN_CLIENT_ID to it');
  });

  it('ALL_CLIENTS includes AUTHN_CLIENT_ID', () => {
    expect(run({ ...snapshot(), policies: [policy(undefined, { conditions: { clients: { include: ['ALL_CLIENTS'] } } })] }).failed).toEqual([]);
  });
});

describe('audit.rule.*', () => {
  const withGoldRule = (gold: AccessRule | undefined): OrgSnapshot => ({ ...snapshot(), policies: [policy(gold ? [gold, SILVER_RULE] : [SILVER_RULE])] });

  it('the rule is missing: the id, the name and the rules there are', () => {
    const c = failsAt(run(withGoldRule(undefined)), ['audit.rule.gold', 'audit.rule.order']);
    expect(c.cause).toBe('policy "solar policy" has no rule 0prG or named "gold access rule" (rules: "silver access rule")');
    expect(c.fix).toBe('re-run `okta-bootstrap --mulesoft_policy`');
  });

  it('a rule found by name when the recorded id is gone', () => {
    expect(run(withGoldRule({ ...GOLD_RULE, id: '0prNEW' })).failed).toEqual([]);
  });

  it('the rule is INACTIVE: how to activate it', () => {
    const c = failsAt(run(withGoldRule({ ...GOLD_RULE, status: 'INACTIVE' })), ['audit.rule.gold', 'audit.rule.order']);
    expect(c.cause).toBe('rule "gold access rule" (0prG) is INACTIVE: nobody gets the gold scope through it');
    expect(c.fix).toBe(`activate it: POST ${RULES}/0prG/lifecycle/activate, or re-run \`okta-bootstrap --mulesoft_policy\``);
  });

  it("the rule is for another group: names its groups and the level's group", () => {
    const c = failsAt(run(withGoldRule(rule('0prG', 'gold access rule', 1, ['00gX'], ['openid', SILVER, GOLD]))), ['audit.rule.gold', 'audit.rule.order']);
    expect(c.cause).toBe('rule "gold access rule" (0prG): its groups are 00gX, not the gold group moons (00gG)');
    expect(c.fix).toContain(`PUT ${RULES}/0prG`);
  });

  it('EVERYONE covers the group', () => {
    expect(run(withGoldRule(rule('0prG', 'gold access rule', 1, ['EVERYONE'], ['openid', SILVER, GOLD]))).failed).toEqual([]);
  });

  it('the rule lacks authorization_code', () => {
    const bad = { ...GOLD_RULE, conditions: { ...GOLD_RULE.conditions, grantTypes: { include: ['client_credentials'] } } };
    const c = failsAt(run(withGoldRule(bad)), ['audit.rule.gold', 'audit.rule.order']);
    expect(c.cause).toBe('rule "gold access rule" (0prG): its grant types are client_credentials, without authorization_code');
  });

  it('the rule lacks a requested scope', () => {
    const c = failsAt(run(withGoldRule(rule('0prG', 'gold access rule', 1, ['00gG'], ['openid', SILVER]))), ['audit.rule.gold', 'audit.rule.order']);
    expect(c.cause).toBe(`rule "gold access rule" (0prG): its scopes are openid, ${SILVER}, without ${GOLD}`);
  });

  it('several problems are listed together', () => {
    const c = failsAt(run(withGoldRule(rule('0prG', 'gold access rule', 1, [], [], { conditions: {} }))), ['audit.rule.gold', 'audit.rule.order']);
    expect(c.cause).toBe(`rule "gold access rule" (0prG): its groups are none, not the gold group moons (00gG); its grant types are none, without authorization_code; its scopes are none, without openid, ${SILVER}, ${GOLD}`);
  });
});

describe('audit.rule.order', () => {
  it('the silver rule first (both at priority 1 in the original inputs): the gold user falls through to the gold rule', () => {
    const s = { ...snapshot(), policies: [policy([{ ...SILVER_RULE, priority: 1 }, { ...GOLD_RULE, priority: 2 }])] };
    const r = run(s);
    expect(r.failed).toEqual([]);
    expect(r.get('audit.rule.order').detail).toBe('silver → "silver access rule" (priority 1); gold → "gold access rule" (priority 2)');
  });

  it('an earlier rule that grants everything the user asks for answers for them', () => {
    const all = rule('0prA', 'all', 1, ['EVERYONE'], ['*']);
    const r = run({ ...snapshot(), policies: [policy([all, { ...GOLD_RULE, priority: 2 }, { ...SILVER_RULE, priority: 3 }])] });
    expect(r.failed).toEqual([]);
    expect(r.get('audit.rule.order').detail).toBe('silver → "all" (priority 1); gold → "all" (priority 1)');
  });

  it('a rule of a later policy answers when the first policy has none for the user', () => {
    const other = { policy: { id: '00p2', name: 'fallback', status: 'ACTIVE', priority: 2, conditions: { clients: { include: ['ALL_CLIENTS'] } } }, rules: [rule('0prF', 'gold elsewhere', 1, ['00gG'], ['openid', SILVER, GOLD])] };
    const s = { ...snapshot(), policies: [policy([SILVER_RULE, { ...GOLD_RULE, status: 'INACTIVE' }]), other] };
    const r = run(s);
    expect(r.failed).toEqual(['audit.rule.gold']);
    expect(r.get('audit.rule.order').detail).toBe('silver → "silver access rule" (priority 2); gold → "gold elsewhere" (priority 1) of policy "fallback"');
  });

  it('an INACTIVE rule is not applied: the user it served is denied', () => {
    const s = { ...snapshot(), policies: [policy([{ ...GOLD_RULE, priority: 2 }, { ...SILVER_RULE, priority: 1, status: 'INACTIVE' }])] };
    const r = run(s);
    expect(r.failed).toEqual(['audit.rule.silver', 'audit.rule.order']);
    expect(r.get('audit.rule.order').cause).toBe(`Okta answers access_denied to the silver user ann@x.com asking for openid ${SILVER}: no ACTIVE rule that matches them allows all of these scopes`);
    expect(r.get('audit.rule.order').fix).toBe('make "silver access rule" match the silver user and allow openid ' + SILVER + ' (audit.rule.silver, audit.user.silver), or re-run `okta-bootstrap --mulesoft_policy`');
  });
});

describe('audit.assignment and audit.redirect_uri', () => {
  const withApp = (authnClient: OrgSnapshot['authnClient']): OrgSnapshot => ({ ...snapshot(), authnClient });
  const APP = { id: '0oaA', label: 'solar app', status: 'ACTIVE', settings: { oauthClient: { redirect_uris: [REDIRECT] } } };

  it('AUTHN_CLIENT_ID names no app: both checks name it', () => {
    const r = run(withApp({ app: null }));
    const c = failsAt(r, ['audit.assignment', 'audit.redirect_uri']);
    expect(c.cause).toBe(`AUTHN_CLIENT_ID 0oaA (from .env) is not a client of ${ORG}`);
    expect(r.get('audit.redirect_uri').cause).toBe(c.cause);
    expect(c.fix).toContain('register-client');
  });

  it("the app is not assigned to the silver user's groups: names the user, their groups and the PUT", () => {
    const c = failsAt(run(withApp({ app: APP, assignedGroupIds: ['00gG'], everyone: EVERYONE_GROUP })), ['audit.assignment']);
    expect(c.cause).toBe('client "solar app" (0oaA) is not assigned to any group of the silver user ann@x.com (groups: planets, Everyone): Okta answers "User is not assigned to the client application."');
    expect(c.fix).toBe('assign it: PUT /api/v1/apps/0oaA/groups/00gS (or to Everyone), or re-run `okta-bootstrap --mulesoft_policy`');
  });

  it('assigned to Everyone covers both users', () => {
    const r = run(withApp({ app: APP, assignedGroupIds: ['00gE'], everyone: EVERYONE_GROUP }));
    expect(r.failed).toEqual([]);
    expect(r.get('audit.assignment').detail).toBe('"solar app" is assigned to Everyone');
  });

  it('REDIRECT_URI not set: the redirect URI and trusted-origin checks say so', () => {
    const { trustedOrigins: _, ...rest } = snapshot();
    const c = failsAt(run(rest, { ...values(), redirectUri: undefined }), ['audit.redirect_uri', 'audit.trusted_origin']);
    expect(c.cause).toBe('REDIRECT_URI is not set');
  });

  it("REDIRECT_URI is not among the client's: lists the ones it has", () => {
    const c = failsAt(run(withApp({ app: { ...APP, settings: { oauthClient: { redirect_uris: ['http://localhost:8080/other'] } } }, assignedGroupIds: ['00gS', '00gG'] })), ['audit.redirect_uri']);
    expect(c.cause).toBe(`REDIRECT_URI ${REDIRECT} (from .env) is not a redirect URI of client "solar app" (0oaA); it has http://localhost:8080/other`);
    expect(c.fix).toContain(`--redirect-uri ${REDIRECT}`);
  });
});

describe('audit.trusted_origin', () => {
  it('REDIRECT_URI is not a URL', () => {
    const { trustedOrigins: _, ...rest } = snapshot();
    const r = run(rest, { ...values(), redirectUri: src('the app on port 8080', '.env') });
    expect(r.failed).toEqual(['audit.redirect_uri', 'audit.trusted_origin']);
    expect(r.get('audit.trusted_origin').cause).toBe('REDIRECT_URI the app on port 8080 (from .env) is not a URL');
  });

  it('the origin is not trusted: names it, where it came from, and the POST', () => {
    const c = failsAt(run({ ...snapshot(), trustedOrigins: [] }), ['audit.trusted_origin']);
    expect(c.cause).toBe(`http://localhost:8080 (from REDIRECT_URI, .env) is not a trusted origin of ${ORG}`);
    expect(c.fix).toContain('POST /api/v1/trustedOrigins {"name":"http://localhost:8080","origin":"http://localhost:8080"');
  });

  it('the trusted origin is INACTIVE: how to activate it', () => {
    const c = failsAt(run({ ...snapshot(), trustedOrigins: [{ id: 'tos1', name: 'app', origin: 'http://localhost:8080/', status: 'INACTIVE' }] }), ['audit.trusted_origin']);
    expect(c.cause).toBe('trusted origin "app" (tos1) for http://localhost:8080 is INACTIVE');
    expect(c.fix).toBe('activate it: POST /api/v1/trustedOrigins/tos1/lifecycle/activate');
  });
});
