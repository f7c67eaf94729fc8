import { describe, expect, it } from 'vitest';
import { accessLevels, apiResources } from './config.js';
import { explainApi, explainSignIn, scopesNotGranted } from './explain.js';

const S = 'http://myapp.com/scp/silver';
const G = 'http://myapp.com/scp/gold';
const levels = accessLevels(S, G);
const [silver, gold] = levels;
const [planets, moons] = apiResources({ 'GET /planets': [S], 'GET /moons': [G] });
if (!silver || !gold || !planets || !moons) throw new Error('two levels and two resources expected');

describe('explainSignIn', () => {
  it('policy refusal at the gold level names the gold scope, rule and group', () => {
    const t = explainSignIn({ error: 'access_denied', description: 'Policy evaluation failed for this request, please check the policy configurations.' }, gold, levels);
    expect(t).toContain('your user is not allowed the gold scope');
    expect(t).toContain(G);
    expect(t).toContain('the gold rule needs the gold group');
    expect(t).toContain('silver panel');
  });
  it('an unassigned user, a consent refusal and login_required each get their own words', () => {
    expect(explainSignIn({ error: 'access_denied', description: 'User is not assigned to the client application.' }, silver, levels)).toContain('not assigned to this app');
    expect(explainSignIn({ error: 'access_denied', description: 'The user did not consent.' }, silver, levels)).toContain('did not allow the app');
    expect(explainSignIn({ error: 'access_denied', description: 'The resource owner or authorization server denied the request.' }, silver, levels)).toContain('did not allow the app');
    expect(explainSignIn({ error: 'login_required' }, silver, levels)).toContain('no Okta session');
    expect(explainSignIn({ error: 'something_else' }, silver, levels)).toBe('Okta refused the sign-in.');
  });
});

describe('explainApi', () => {
  it('400 and 401 without a token say to sign in', () => {
    expect(explainApi(planets, { status: 400, body: { error: 'invalid_request' } }, undefined)).toContain('no access token was sent');
    expect(explainApi(planets, { status: 401, body: {} }, undefined)).toContain('sign in first');
    expect(explainApi(planets, { status: 401, body: {} }, [S])).toContain('not active');
  });
  it('403 names the scope the resource needs and the token\'s scopes; client ID enforcement is told apart', () => {
    expect(explainApi(moons, { status: 403, body: { error: 'insufficient_scope' } }, ['openid', S])).toBe(`403: /moons needs the scope ${G}; your token has openid ${S}.`);
    expect(explainApi(moons, { status: 403, body: { error: 'invalid_client', description: 'client x' } }, [G])).toContain('client ID enforcement');
  });
  it('5xx is the gateway\'s own failure; 2xx passes', () => {
    expect(explainApi(planets, { status: 500, body: { error: 'server_error', description: 'introspection refused' } }, [S])).toContain('the gateway itself failed: introspection refused');
    expect(explainApi(planets, { status: 200, body: {} }, [S])).toContain('let the request through');
  });
});

it('scopesNotGranted ignores openid', () => {
  expect(scopesNotGranted(['openid', S, G], ['openid', S])).toEqual([G]);
});
