/**
 * Masking of secrets for the console. Output files and .env hold real values (mode 0600);
 * what is printed is masked unless the person passes --show-secrets.
 */

/** Keys (input keys, env names or JSON field names) whose values are secrets. */
const SECRET_NAME = /(secret|password|passwd|pwd|passphrase|token|answer|private|authorization|api_?key)/i;
/** Field names that look secret-like but are public identifiers or plain flags. */
const NOT_SECRET = /^(token_endpoint_auth_method|token_type|token_type_hint|token_url|token_introspection_url|tokenurl|.*_url|.*_uri|.*_endpoint|accessTokenLifetimeMinutes|refreshTokenLifetimeMinutes|refreshTokenWindowMinutes|client_secret_expires_at|sessionTokenSupported|passwordChanged|.*(Changed|Created|Updated|Expires|ExpiresAt|_at)|.*Lifetime.*)$/i;
/** Subtrees that never hold secrets: HAL links are URLs, even when their rel is named resetPassword. */
const NEVER_SECRET_SUBTREE = new Set(['_links']);

export const MASK = '********';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

/** Masks one secret string: never reveals length; keeps the scheme of an Authorization header ("SSWS ********"). */
export function maskSecret(value: string): string {
  const m = /^(SSWS|Bearer|Basic)\s+/i.exec(value);
  return m ? `${m[1]} ${MASK}` : MASK;
}

/**
 * Deep copy of `value` with every secret masked. A key is secret when its own name is secret-like,
 * or when it sits under a secret-like parent (credentials.password.value, recovery_question.answer).
 */
export function maskDeep<T>(value: T, showSecrets = false, name = ''): T {
  if (showSecrets) return value;
  return walk(value, name, false) as T;
}

function walk(value: unknown, name: string, underSecret: boolean): unknown {
  if (NEVER_SECRET_SUBTREE.has(name)) return value;
  const secret = underSecret || (name !== '' && isSecretName(name));
  if (typeof value === 'string') return secret ? maskSecret(value) : value;
  if (Array.isArray(value)) return value.map((v) => walk(v, name, secret));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      // recovery_question.question is not secret, its answer is; password.{value,hash} are.
      out[k] = walk(v, k, secret && k !== 'question');
    }
    return out;
  }
  return value;
}

/** Removes exact occurrences of known secret strings from free text (log lines, error messages). */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 6) out = out.split(s).join(MASK);
  }
  return out;
}
