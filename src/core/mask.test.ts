import { describe, expect, it } from 'vitest';
import { isSecretName, maskDeep, maskSecret, MASK, redact } from './mask.js';

describe('mask', () => {
  it('knows secret names from public ones', () => {
    for (const n of ['client_secret', 'INTROSPECT_CLIENT_SECRET', 'SILVER_PASSWORD', 'OKTA_API_TOKEN', 'answer', 'Authorization']) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['client_id', 'token_endpoint_auth_method', 'TOKEN_URL', 'TOKEN_INTROSPECTION_URL', 'accessTokenLifetimeMinutes', 'name', 'question']) {
      expect(isSecretName(n), n).toBe(false);
    }
  });

  it('masks nested credentials but keeps the recovery question', () => {
    const body = {
      profile: { login: 'a@b.com' },
      credentials: { password: { value: 'Sup3r$ecret' }, recovery_question: { question: 'Who?', answer: 'Okta' } },
      client_secret: 'abcdef123456',
    };
    const m = maskDeep(body);
    expect(m.profile.login).toBe('a@b.com');
    expect(m.credentials.password.value).toBe(MASK);
    expect(m.credentials.recovery_question.question).toBe('Who?');
    expect(m.credentials.recovery_question.answer).toBe(MASK);
    expect(m.client_secret).toBe(MASK);
    expect(body.client_secret).toBe('abcdef123456');
    expect(maskDeep(body, true)).toBe(body);
  });

  it('leaves timestamps and HAL links alone, even when their names mention passwords', () => {
    expect(isSecretName('passwordChanged')).toBe(false);
    expect(isSecretName('client_secret_expires_at')).toBe(false);
    const user = {
      passwordChanged: '2026-11-29T10:00:00.000Z',
      credentials: { password: {}, recovery_question: { question: 'Who?' } },
      _links: {
        resetPassword: { href: 'http://127.0.0.1:7777/api/v1/users/00u1/lifecycle/reset_password', method: 'POST' },
        expirePassword: { href: 'http://127.0.0.1:7777/api/v1/users/00u1/lifecycle/expire_password', method: 'POST' },
      },
    };
    const m = maskDeep(user);
    expect(m.passwordChanged).toBe(user.passwordChanged);
    expect(m._links.resetPassword.href).toBe(user._links.resetPassword.href);
    expect(m._links.expirePassword.href).toBe(user._links.expirePassword.href);
    // a secret still inside the same object is masked
    expect(maskDeep({ ...user, client_secret: 'abcdef123456' }).client_secret).toBe(MASK);
  });

  it('keeps the scheme of an Authorization header and never the token', () => {
    expect(maskSecret('SSWS 00abcdefghijkl')).toBe(`SSWS ${MASK}`);
    expect(maskSecret('hunter2')).toBe(MASK);
  });

  it('redacts known secrets from free text', () => {
    expect(redact('token 00abcdefgh in a message', ['00abcdefgh'])).toBe(`token ${MASK} in a message`);
  });
});
