import { describe, expect, it } from 'vitest';
import { keysFromObjects, typedValueProblem, type NodeInfo } from './values.js';

describe('typedValueProblem: a value typed at (p) is checked as the plan checks it', () => {
  it('ports', () => {
    expect(typedValueProblem('PORT', '9191', '8080')).toBeUndefined();
    expect(typedValueProblem('PORT', 'abc', '8080')).toMatch(/PORT must be a port number from 1 to 65535, not "abc"/);
    expect(typedValueProblem('PORT', '70000', '8080')).toMatch(/port number/);
  });
  it('URLs and redirect URIs, by name or by the form of the value they replace', () => {
    expect(typedValueProblem('REDIRECT_URI', 'http://localhost:9191/cb', 'http://localhost:8080')).toBeUndefined();
    expect(typedValueProblem('REDIRECT_URI', 'not a url', 'http://localhost:8080')).toMatch(/absolute URL/);
    expect(typedValueProblem('REDIRECT_URI', '9191', 'http://localhost:8080')).toMatch(/absolute URL/);
    expect(typedValueProblem('HOME_PAGE', 'x', 'https://example.com')).toMatch(/absolute URL/);
  });
  it('origins, e-mail addresses and domains', () => {
    expect(typedValueProblem('APP_ORIGIN', 'http://localhost:8080', '')).toBeUndefined();
    expect(typedValueProblem('APP_ORIGIN', 'http://localhost:8080/cb', '')).toMatch(/origin/);
    expect(typedValueProblem('ADMIN_EMAIL', 'a@b', 'x@y.z')).toMatch(/e-mail/);
    expect(typedValueProblem('ADMIN_EMAIL', 'a@b.c', 'x@y.z')).toBeUndefined();
    expect(typedValueProblem('FAKE_USER_DOMAIN', 'not a domain', 'oktademo.com')).toMatch(/domain name/);
    expect(typedValueProblem('FAKE_USER_DOMAIN', 'example.org', 'oktademo.com')).toBeUndefined();
  });
  it('anything else is free text', () => {
    expect(typedValueProblem('TAG', 'my tag', 'autogen')).toBeUndefined();
  });
});

describe('keysFromObjects', () => {
  it('values that read an object, directly or through another value, and nothing else', () => {
    const n = (key: string, deps: string[], objectClass?: 'okta:user_group'): NodeInfo => ({ key, entry: objectClass ? { objType: 'json', objectClass, default: {} } : { objType: 'string' }, deps, external: [] });
    const nodes = new Map([n('TAG', []), n('GROUP', ['TAG'], 'okta:user_group'), n('GROUP_ID', ['GROUP']), n('GROUP_URL', ['GROUP_ID']), n('NAME', ['TAG'])].map((x) => [x.key, x]));
    expect([...keysFromObjects([...nodes.keys()], nodes)]).toEqual(['GROUP_ID', 'GROUP_URL']);
  });
});
