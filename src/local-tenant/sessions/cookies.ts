/**
 * The browser cookies of the local tenant's hosted pages: reading the `Cookie` header and writing `Set-Cookie`.
 *
 * Every cookie is host-only (no `Domain`: scoped to the tenant's host), `Path=/`, `HttpOnly` and `SameSite=Lax`,
 * and `Secure` when the org URL is https. Okta's own session cookie (`sid`) is described in
 * https://developer.okta.com/docs/guides/session-cookie/main/ ; the attributes above are the tenant's choice
 * (Okta's docs do not list them): Lax keeps a cross-site form POST from carrying the cookie, which is what makes
 * the sign-in form's CSRF binding hold.
 */

/** The cookies of a `Cookie` header (first value wins; malformed pairs are skipped). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!name || Object.prototype.hasOwnProperty.call(out, name)) continue;
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      /* not percent-encoded properly: skipped */
    }
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. Absent: a browser-session cookie. */
  maxAge?: number;
  secure: boolean;
}

/** A `Set-Cookie` value. Values are base64url tokens; they are percent-encoded anyway. */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

/** A `Set-Cookie` value that removes the cookie. */
export const clearCookie = (name: string, secure: boolean): string => serializeCookie(name, '', { maxAge: 0, secure });
