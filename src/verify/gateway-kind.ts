/**
 * `verify --gateway <kind>`: the access matrix through the local gateway of that kind, which reads the file
 * get-settings generates for it (or --config, the file the person applies): real tokens from the dance for the
 * silver and gold users, then silver → planets allowed and moons denied, gold → both allowed, no token and a
 * forged token refused, an expired token refused (the gateway's clock moved past `exp` plus its skew), and a
 * token for another audience refused. Each failure is explained with the gateway's own status, body and scope
 * semantics.
 *
 * Key rotation is not exercised here: rotating a real org's signing key is an admin action verify does not take
 * (the test suite rotates the local tenant's key and checks every kind refetches the JWKS).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeJwt } from 'jose';
import { startJwtGateway, type RunningJwtGateway } from '../gateway/jwt-server.js';
import { KIND_FILES, loadKindProfile, type JwtKind, type KindProfile } from '../gateway/kinds.js';
import { generateGatewayConfig } from '../settings/gateways/index.js';
import { loadGatewayValues, resolveGatewaySettings } from '../settings/gateways/resolve.js';
import { runDance, type DanceResult } from './dance.js';
import { fail, makeReport, pass, skip, type CheckResult, type VerifyReport } from './types.js';
import type { VerifyFetch } from './transport.js';

export interface GatewayVerifyOptions {
  kind: JwtKind;
  orgUrl: string;
  outputDir: string;
  envFile: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The generated file to enforce; default: generated now from the same values get-settings uses. */
  config?: string;
  /** The OAuth calls' transport (the org's governed one). */
  fetch?: VerifyFetch;
}

const OTHER_AUDIENCE = 'api://okta-bootstrap-verify-other-audience';

function said(r: { status: number; body: string }): string {
  return `${r.status} ${r.body.slice(0, 160)}`;
}

async function call(gw: RunningJwtGateway, path: string, token?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${gw.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.text() };
}

export async function runGatewayVerify(opts: GatewayVerifyOptions): Promise<VerifyReport> {
  const checks: CheckResult[] = [];
  const values = await loadGatewayValues(opts);
  const resolved = await resolveGatewaySettings(opts);
  const kind = opts.kind;
  let profile: KindProfile;
  let tmp: string | undefined;
  if (opts.config) {
    profile = await loadKindProfile(kind, opts.config);
  } else {
    if (!resolved.settings) {
      for (const m of resolved.missing) checks.push(fail(1, `values.${m.key}`, `${m.key} is known`, `${m.key} was not found`, m.hint));
      return makeReport(checks);
    }
    tmp = await mkdtemp(join(tmpdir(), `okb-verify-${kind}-`));
    for (const f of generateGatewayConfig(kind, resolved.settings).files) {
      await mkdir(dirname(join(tmp, f.path)), { recursive: true });
      await writeFile(join(tmp, f.path), f.content, { mode: 0o600 });
    }
    profile = await loadKindProfile(kind, join(tmp, KIND_FILES[kind]));
  }
  const running: RunningJwtGateway[] = [];
  const start = async (p: KindProfile, now?: () => number) => {
    const gw = await startJwtGateway({ kind, config: p, port: 0, now, env: opts.env });
    running.push(gw);
    return gw;
  };
  try {
    const issuer = profile.issuer ?? resolved.settings?.issuer ?? values.get('OKTA_AZ_SERVER_ISSUER');
    const clientId = values.get('AUTHN_CLIENT_ID');
    const clientSecret = values.get('AUTHN_CLIENT_SECRET');
    const redirectUri = values.get('REDIRECT_URI');
    const silverScope = values.get('SILVER_SCOPE_NAME') ?? 'http://myapp.com/scp/silver';
    const goldScope = values.get('GOLD_SCOPE_NAME') ?? 'http://myapp.com/scp/gold';
    const user = (lv: 'SILVER' | 'GOLD') => ({
      username: values.get(`${lv}_USERNAME`) ?? values.output(`${lv}_USER`, ['profile', 'login']),
      password: values.get(`${lv}_PASSWORD`),
    });
    const tokens: Partial<Record<'silver' | 'gold', string>> = {};
    for (const [lv, scopes] of [['silver', ['openid', silverScope]], ['gold', ['openid', silverScope, goldScope]]] as const) {
      const u = user(lv === 'silver' ? 'SILVER' : 'GOLD');
      const id = `token.${lv}`;
      const title = `the ${lv} user gets an access token through the dance`;
      if (!issuer || !clientId || !clientSecret || !redirectUri || !u.username || !u.password) {
        checks.push(fail(4, id, title, 'the dance needs OKTA_AZ_SERVER_ISSUER, AUTHN_CLIENT_ID/SECRET, REDIRECT_URI and the user\'s login and password', 'run `okta-bootstrap --standard` (it writes output/standard.json), or set them in .env'));
        continue;
      }
      const r: DanceResult = await runDance({ orgUrl: opts.orgUrl, issuer, clientId, clientSecret, redirectUri, username: u.username, password: u.password, scopes: [...scopes], fetch: opts.fetch });
      if (r.ok) {
        tokens[lv] = r.tokens.accessToken;
        checks.push(pass(4, id, title, `scp ${JSON.stringify(decodeJwt(r.tokens.accessToken).scp)}`));
      } else {
        checks.push(fail(4, id, title, `the dance failed at ${r.step}: ${r.message}`, 'fix the dance first (`okta-bootstrap verify --mulesoft` explains each step)'));
      }
    }

    const gw = await start(profile);
    const label = `local ${kind} gateway ${gw.url} reading ${profile.source}`;
    const expect = async (id: string, title: string, path: string, token: string | undefined, allow: boolean, g: RunningJwtGateway = gw) => {
      const r = await call(g, path, token);
      const ok = allow ? r.status === 200 : r.status >= 400 && r.status < 500;
      const last = g.log[g.log.length - 1];
      if (ok) checks.push(pass(5, id, title, `${kind} answered ${said(r)}`));
      else {
        checks.push(
          fail(
            5,
            id,
            title,
            `expected ${allow ? '200' : 'a refusal'}, ${kind} answered ${said(r)}${last ? ` (${last.reason})` : ''}`,
            allow
              ? `${profile.semantics} Check the token's scp and the policy map (get-settings --${kind} prints it).`
              : `the ${kind} configuration lets this token through: regenerate it with get-settings --${kind} --out DIR.`,
          ),
        );
      }
    };
    const need = (lv: 'silver' | 'gold', f: (t: string) => Promise<void>, id: string, title: string) =>
      tokens[lv] ? f(tokens[lv]) : Promise.resolve(void checks.push(skip(5, id, title, `no ${lv} token (see token.${lv})`)));
    await need('silver', (t) => expect('gateway.silver.planets', 'silver → GET /planets allowed', '/planets', t, true), 'gateway.silver.planets', 'silver → GET /planets allowed');
    await need('silver', (t) => expect('gateway.silver.moons', 'silver → GET /moons denied', '/moons', t, false), 'gateway.silver.moons', 'silver → GET /moons denied');
    await need('gold', (t) => expect('gateway.gold.planets', 'gold → GET /planets allowed', '/planets', t, true), 'gateway.gold.planets', 'gold → GET /planets allowed');
    await need('gold', (t) => expect('gateway.gold.moons', 'gold → GET /moons allowed', '/moons', t, true), 'gateway.gold.moons', 'gold → GET /moons allowed');
    await expect('gateway.none.planets', 'no token → GET /planets refused', '/planets', undefined, false);
    await need(
      'silver',
      async (t) => {
        const [h, , sig] = t.split('.');
        const claims = { ...decodeJwt(t), scp: ['openid', silverScope, goldScope] };
        await expect('gateway.forged.moons', 'a forged token (gold scopes pasted into silver\'s) → refused', '/moons', `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`, false);
      },
      'gateway.forged.moons',
      "a forged token (gold scopes pasted into silver's) → refused",
    );
    await need(
      'silver',
      async (t) => {
        const exp = decodeJwt(t).exp ?? 0;
        const late = await start(profile, () => (exp + profile.clockSkewSec + 60) * 1000);
        await expect('gateway.expired.planets', `an expired token (clock at exp + skew ${profile.clockSkewSec}s + 60s) → refused`, '/planets', t, false, late);
        const other = await start({ ...profile, audiences: [OTHER_AUDIENCE] });
        await expect('gateway.audience.planets', `a token for another audience (the gateway expects ${OTHER_AUDIENCE}) → refused`, '/planets', t, false, other);
      },
      'gateway.expired.planets',
      'an expired token → refused',
    );
    checks.push(skip(5, 'gateway.rotation', 'a token signed after a key rotation is accepted', 'verify does not rotate a real org\'s signing key; the gateway refetches the JWKS on an unknown kid (the test suite rotates the local tenant\'s key)'));
    return makeReport(checks, label);
  } finally {
    for (const g of running) await g.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
