import { describe, expect, it } from 'vitest';
import type { ScopeRecord } from '../types.js';
import { CC_CONSENT, CONSENT_REQUIRED, consentFor, consentGrants, grantedScopeIds, recordConsent } from './consent.js';

const scope = (name: string, consent: ScopeRecord['consent']): ScopeRecord => ({
  id: `scp${name}`, name, consent, default: false, optional: false, system: false, metadataPublish: 'NO_CLIENTS', created: 'x', lastUpdated: 'x',
});
const REQ = scope('gold', 'REQUIRED');
const FLEX = scope('silver', 'FLEXIBLE');
const IMPL = scope('openid', 'IMPLICIT');
const ask = (over: Partial<Parameters<typeof consentFor>[0]> = {}) =>
  consentFor({ grantType: 'authorization_code', prompt: [], consentMethod: 'REQUIRED', requested: [IMPL, FLEX, REQ], granted: new Set(), ...over });

describe("consentFor: the spec's consent table", () => {
  it('consent_method REQUIRED, no prompt: REQUIRED and FLEXIBLE scopes are asked for, IMPLICIT never', () => {
    expect(ask()).toEqual({ kind: 'prompt', scopes: [FLEX, REQ] });
    expect(ask({ requested: [IMPL] })).toEqual({ kind: 'none' });
  });
  it('consent_method TRUSTED: not prompted unless prompt=consent, which asks for REQUIRED and FLEXIBLE only', () => {
    expect(ask({ consentMethod: 'TRUSTED' })).toEqual({ kind: 'none' });
    expect(ask({ consentMethod: 'TRUSTED', prompt: ['consent'] })).toEqual({ kind: 'prompt', scopes: [FLEX, REQ] });
    expect(ask({ consentMethod: 'TRUSTED', prompt: ['consent'], requested: [IMPL] })).toEqual({ kind: 'none' });
  });
  it('a granted scope is not asked for again, unless prompt=consent', () => {
    expect(ask({ granted: new Set([REQ.id]) })).toEqual({ kind: 'prompt', scopes: [FLEX] });
    expect(ask({ granted: new Set([REQ.id, FLEX.id]) })).toEqual({ kind: 'none' });
    expect(ask({ granted: new Set([REQ.id, FLEX.id]), prompt: ['consent'] })).toEqual({ kind: 'prompt', scopes: [FLEX, REQ] });
  });
  it('prompt=none when consent is needed: consent_required', () => {
    expect(ask({ prompt: ['none'] })).toEqual({ kind: 'error', error: 'consent_required', error_description: CONSENT_REQUIRED });
    expect(ask({ prompt: ['none'], granted: new Set([REQ.id, FLEX.id]) })).toEqual({ kind: 'none' });
  });
  it('client_credentials: a REQUIRED scope is an error, a FLEXIBLE one is granted without asking', () => {
    expect(ask({ grantType: 'client_credentials' })).toEqual({ kind: 'error', error: 'invalid_scope', error_description: CC_CONSENT });
    expect(ask({ grantType: 'client_credentials', requested: [FLEX] })).toEqual({ kind: 'none' });
  });
});

describe('consent grants', () => {
  it('are recorded once per user, client, server and scope, and read back', () => {
    const raw: Record<string, unknown> = {};
    const grants = consentGrants(raw);
    const who = { userId: '00u1', clientId: '0oa1', serverId: 'aus1', issuer: 'http://x/oauth2/aus1' };
    const [g1] = recordConsent(grants, who, [REQ], 't1');
    recordConsent(grants, who, [REQ, FLEX], 't2');
    expect(Object.keys(grants)).toHaveLength(2);
    expect(g1).toMatchObject({ scopeId: REQ.id, scopeName: 'gold', created: 't1', lastUpdated: 't2' });
    expect(g1?.id).toMatch(/^oag[A-Za-z0-9]{17}$/);
    expect(grantedScopeIds(grants, '00u1', '0oa1', 'aus1')).toEqual(new Set([REQ.id, FLEX.id]));
    expect(grantedScopeIds(grants, '00u1', '0oa2', 'aus1')).toEqual(new Set());
    expect(raw.consentGrants).toBe(grants);
  });
});
