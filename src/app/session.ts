/**
 * Server-side sessions: the browser holds only a random session id in a signed cookie (HMAC-SHA256 with a key
 * made at start), `HttpOnly` and `SameSite=Lax` (`Secure` when the app is served over https). Tokens never leave
 * the server. Each session has its own CSRF token, which every form carries and every POST must match.
 * Sessions live in memory: restarting the app signs everyone out of the app (not of Okta).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'okb_app';
/** Eight hours, a working day; Okta's own session is separate. */
const MAX_AGE_S = 8 * 3600;
const MAX_SESSIONS = 10_000;

export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  level: string;
  prompt?: string;
}

export interface SignedIn {
  accessToken: string;
  idToken?: string;
  scopes: string[];
  idClaims: Record<string, unknown>;
  accessClaims?: Record<string, unknown>;
  level?: string;
}

export interface Notice {
  kind: 'error' | 'info';
  title: string;
  text: string;
  /** Okta's or the gateway's own words, shown beside the explanation. */
  detail?: string;
}

export interface ApiResult {
  resource: string;
  status: number;
  explanation: string;
  body: unknown;
}

export interface AppSession {
  id: string;
  csrf: string;
  expiresAt: number;
  pending?: PendingSignIn;
  logoutState?: string;
  signedIn?: SignedIn;
  notice?: Notice;
  api?: ApiResult;
}

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, AppSession>();
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = () => Date.now()) {}

  private sign(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }

  /** The session a cookie header names, if its signature holds and it has not expired. */
  fromCookie(cookieHeader: string | undefined): AppSession | undefined {
    const raw = readCookie(cookieHeader, COOKIE_NAME);
    if (!raw) return undefined;
    const dot = raw.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const id = raw.slice(0, dot);
    const mac = Buffer.from(raw.slice(dot + 1));
    const expected = Buffer.from(this.sign(id));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    const s = this.sessions.get(id);
    if (!s || s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** A new session id for the same session (after sign-in, so an id planted before it is worth nothing). */
  rotate(s: AppSession): AppSession {
    this.sessions.delete(s.id);
    const next: AppSession = { ...s, id: random(), expiresAt: this.now() + MAX_AGE_S * 1000 };
    this.sessions.set(next.id, next);
    return next;
  }

  create(): AppSession {
    this.sweep();
    // A bound on memory: past MAX_SESSIONS the oldest sessions go first (Map keeps insertion order).
    for (const id of this.sessions.keys()) {
      if (this.sessions.size < MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
    const s: AppSession = { id: random(), csrf: random(), expiresAt: this.now() + MAX_AGE_S * 1000 };
    this.sessions.set(s.id, s);
    return s;
  }

  destroy(s: AppSession): void {
    this.sessions.delete(s.id);
  }

  /** The Set-Cookie value for a session. */
  cookie(s: AppSession, secure: boolean): string {
    return `${COOKIE_NAME}=${s.id}.${this.sign(s.id)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_S}${secure ? '; Secure' : ''}`;
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= t) this.sessions.delete(id);
  }
}

/** A cookie's value from a Cookie header (RFC 6265 §5.4: "name=value" pairs separated by "; "). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(session: AppSession, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
