/**
 * Destroy: destroy --mulesoft_policy then destroy --mulesoft empties the org back to its initial objects;
 * repeating is harmless; destroy --mulesoft alone refuses while the policy's objects exist and names the command
 * that removes them first; --cascade removes both, in order. Checked through the SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startEnv, type Env } from './apply-support.js';
import { sdkClient, type OrgSnapshot } from '../support/org.js';

async function applyBoth(e: Env, clientId?: string): Promise<string> {
  expectOk(await e.cli(['--mulesoft', '--yes']));
  const out = await e.output('mulesoft');
  const id = clientId ?? (await e.registerClient('Solar System Auth', String(out.REDIRECT_URI)));
  expectOk(await e.cli(['--mulesoft_policy', '--yes', '--set', `AUTHN_CLIENT_ID=${id}`]));
  return id;
}

/** The org without the client the test registered itself (Anypoint's client: no output records it). */
function withoutApp(s: OrgSnapshot, id: string): OrgSnapshot {
  return { ...s, apps: s.apps.filter((a) => a.id !== id) };
}

describe('destroy', () => {
  let e: Env;
  let initial: OrgSnapshot;
  let clientId: string;
  beforeAll(async () => {
    e = await startEnv();
    initial = await e.snapshot();
    clientId = await applyBoth(e);
  }, 60_000);
  afterAll(() => e?.close());

  it('destroy --mulesoft alone refuses while mulesoft_policy still has objects, naming the command to run first', async () => {
    const mark = e.tenant.requestLog.length;
    const r = await e.cli(['destroy', '--mulesoft', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mulesoft_policy');
    expect(r.stderr).toContain('okta-bootstrap destroy --mulesoft_policy');
    expect(r.stderr).toContain('--cascade');
    expect(e.writesSince(mark)).toEqual([]);
  });

  it('without --yes and without a terminal it asks for --yes and deletes nothing', async () => {
    const mark = e.tenant.requestLog.length;
    const r = await e.cli(['destroy', '--mulesoft_policy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(e.writesSince(mark)).toEqual([]);
  });

  it('destroy --mulesoft_policy then --mulesoft empties the org back to its initial objects', async () => {
    const p = expectOk(await e.cli(['destroy', '--mulesoft_policy', '--yes']));
    expect(p.stderr).toMatch(/- deleted SILVER_RULE \(okta:rule\)/);
    const m = expectOk(await e.cli(['destroy', '--mulesoft', '--yes']));
    expect(m.stderr).toMatch(/- deleted OKTA_AZ_SERVER \(okta:authz_server\)/);
    const now = await e.snapshot();
    expect(withoutApp(now, clientId)).toEqual(initial);
    // Anypoint's client was never recorded, so it was never touched
    expect(now.apps.map((a) => a.id)).toEqual([clientId]);
    for (const name of ['mulesoft', 'mulesoft_policy']) {
      for (const o of Object.values((await e.output(name))['$okta-bootstrap'].objects)) expect(o.state).toBe('deleted');
    }
  });

  it('repeating the destroy is harmless', async () => {
    const mark = e.tenant.requestLog.length;
    expectOk(await e.cli(['destroy', '--mulesoft_policy', '--yes']));
    expectOk(await e.cli(['destroy', '--mulesoft', '--yes']));
    expect(e.writesSince(mark)).toEqual([]);
    expect(withoutApp(await e.snapshot(), clientId)).toEqual(initial);
  });

  it('--cascade removes both, the dependent output first', async () => {
    await applyBoth(e, clientId);
    // the policy input added REDIRECT_URI to the logout URIs of the client Anypoint registered without any
    const dcr = async (id: string) =>
      (await (await fetch(`${e.tenant.orgUrl}/oauth2/v1/clients/${id}`, { headers: { Authorization: `SSWS ${e.tenant.apiToken}`, Accept: 'application/json' } })).json()) as Record<string, unknown>;
    const redirect = String((await e.output('mulesoft')).REDIRECT_URI);
    expect((await dcr(clientId)).post_logout_redirect_uris).toEqual([redirect]);
    const r = expectOk(await e.cli(['destroy', '--mulesoft', '--cascade', '--yes']));
    expect(r.stderr.indexOf('SILVER_RULE')).toBeLessThan(r.stderr.indexOf('OKTA_AZ_SERVER'));
    expect(withoutApp(await e.snapshot(), clientId)).toEqual(initial);
    // Everyone and the default server are still there
    const sdk = sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
    expect(await sdk.authorizationServerApi.getAuthorizationServer({ authServerId: 'default' })).toMatchObject({ name: 'default', id: initial.servers.find((s) => s.isDefault)?.id });
    // the destroy removed only that URI: Anypoint's client is still there, with its sign-in redirect URI
    expect(await dcr(clientId)).toMatchObject({ client_id: clientId, redirect_uris: [redirect], post_logout_redirect_uris: [] });
  });

  it('after a partial destroy (an object already gone), destroy finishes the job', async () => {
    await applyBoth(e, clientId);
    const out = await e.output('mulesoft');
    const sdk = sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
    await sdk.groupApi.deleteGroup({ groupId: String(out.GOLD_GROUP_ID) });
    const r = expectOk(await e.cli(['destroy', '--mulesoft', '--cascade', '--yes']));
    // a 404 is done, and reported as what it was: already gone, not deleted by this run
    expect(r.stderr).toMatch(/- gone GOLD_GROUP \(okta:user_group\)/);
    expect(r.stderr).toMatch(/- deleted SILVER_GROUP \(okta:user_group\)/);
    expect(r.stderr).toMatch(/Destroyed: \d+ deleted, 1 already gone, 0 failed/);
    expect(withoutApp(await e.snapshot(), clientId)).toEqual(initial);
  });
});
