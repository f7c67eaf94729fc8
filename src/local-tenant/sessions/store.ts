/**
 * Okta browser sessions of the local tenant, the sign-in transactions of the hosted pages, and the users'
 * consent grants, kept in the OAuth part of the tenant state (`TenantState.oauth`, persisted with it).
 *
 * - A session (https://developer.okta.com/docs/reference/api/sessions/) is created by a sign-in on the hosted
 *   page or by a `sessionToken` on /authorize, and lives in the `sid` cookie. It is stored under the SHA-256 of the
 *   cookie value, never in clear. Its public `id` is another random value.
 * - A transaction is one /authorize request waiting for the sign-in form or the consent form. It is bound to the
 *   browser (the `okta_tx` cookie, stored as a hash) and carries a CSRF token (stored as a hash).
 * - A consent grant records, per authorization server, client and user, the scopes the user allowed
 *   (https://developer.okta.com/docs/guides/request-user-consent/main/).
 *
 * Choices where Okta's docs are silent: the session's idle lifetime is 2 hours, extended by every use (Okta's
 * default global session policy idle time, https://help.okta.com/en-us/content/topics/security/policies/configure-okta-sign-on-policies.htm);
 * a transaction lives 10 minutes.
 */
import { timingSafeEqual } from 'node:crypto';
import { randomAlnum } from '../ids.js';
import { has } from '../oauth/provider.js';
import { randomToken, sha256 } from '../oauth/state.js';
import type { TenantState } from '../types.js';

export const SESSION_COOKIE = 'sid';
export const TRANSACTION_COOKIE = 'okta_tx';
export const SESSION_IDLE_SEC = 2 * 3600;
export const TRANSACTION_LIFETIME_SEC = 600;

export interface SessionRecord {
  /** The public session id (`GET /api/v1/sessions/me` → `id`). */
  id: string;
  userId: string;
  login: string;
  /** epoch seconds */
  createdAt: number;
  /** When the user last entered a password (the ID token's `auth_time`, what `max_age` is measured from). */
  authTime: number;
  expiresAt: number;
}

export type TransactionStage = 'sign-in' | 'consent';

export interface TransactionRecord {
  serverId: string;
  /** The /authorize parameters (the sessionToken, if any, is not kept). */
  params: Record<string, string | undefined>;
  browserHash: string;
  csrfHash: string;
  stage: TransactionStage;
  /** At the consent stage: who signed in, and when. */
  userId?: string;
  authTime?: number;
  expiresAt: number;
}

export interface ConsentGrant {
  scopes: string[];
  /** epoch seconds */
  lastUpdated: number;
}

export interface BrowserData {
  browserSessions: Record<string, SessionRecord>;
  signInTransactions: Record<string, TransactionRecord>;
  consentGrants: Record<string, ConsentGrant>;
}

/** Narrows the opaque OAuth slice of the state to this module's maps, filling missing ones in place. */
export function browserData(raw: Record<string, unknown>): BrowserData {
  raw.browserSessions ??= {};
  raw.signInTransactions ??= {};
  raw.consentGrants ??= {};
  return raw as unknown as BrowserData;
}

/** Reads without filling (a read-only state must not be changed). */
function readData(state: TenantState): BrowserData {
  const o = state.oauth;
  const pick = <T>(k: string): Record<string, T> => {
    const v = o[k];
    return v !== null && typeof v === 'object' ? (v as Record<string, T>) : {};
  };
  return { browserSessions: pick('browserSessions'), signInTransactions: pick('signInTransactions'), consentGrants: pick('consentGrants') };
}

function prune(d: BrowserData, nowSec: number): void {
  for (const [k, s] of Object.entries(d.browserSessions)) if (nowSec >= s.expiresAt) delete d.browserSessions[k];
  for (const [k, t] of Object.entries(d.signInTransactions)) if (nowSec >= t.expiresAt) delete d.signInTransactions[k];
}

/** The store this module writes through: the tenant store's mutate, with the clock. */
export interface SessionStore {
  readonly store: { read(): TenantState; mutate<T>(fn: (s: TenantState) => T): Promise<T> };
  nowSec(): number;
}

function mutate<T>(p: SessionStore, fn: (d: BrowserData, state: TenantState) => T): Promise<T> {
  const now = p.nowSec();
  return p.store.mutate((state) => {
    const d = browserData(state.oauth);
    const out = fn(d, state);
    prune(d, now);
    return out;
  });
}

const sameHash = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

// ------------------------------------------------------------------------------------------------------------
// Sessions
// ------------------------------------------------------------------------------------------------------------

/** The live session of the `sid` cookie value, if any. */
export function findSession(p: SessionStore, cookie: string | undefined, state: TenantState = p.store.read()): SessionRecord | undefined {
  if (!cookie) return undefined;
  const s = has(readData(state).browserSessions, sha256(cookie));
  return s && s.expiresAt > p.nowSec() ? s : undefined;
}

/** Starts a session for the user; returns the record and the cookie value. */
export async function startSession(p: SessionStore, user: { id: string; login: string }, authTime: number): Promise<{ session: SessionRecord; cookie: string }> {
  const cookie = randomToken(32);
  const now = p.nowSec();
  const session: SessionRecord = { id: `102${randomAlnum(22)}`, userId: user.id, login: user.login, createdAt: now, authTime, expiresAt: now + SESSION_IDLE_SEC };
  await mutate(p, (d) => {
    d.browserSessions[sha256(cookie)] = session;
  });
  return { session, cookie };
}

/** Extends the session's idle lifetime (it was just used). */
export async function touchSession(p: SessionStore, cookie: string): Promise<void> {
  const now = p.nowSec();
  await mutate(p, (d) => {
    const s = has(d.browserSessions, sha256(cookie));
    if (s && s.expiresAt > now) s.expiresAt = now + SESSION_IDLE_SEC;
  });
}

/** Ends the session of the cookie value; true when there was a live one. */
export async function endSession(p: SessionStore, cookie: string | undefined): Promise<boolean> {
  if (!cookie) return false;
  const now = p.nowSec();
  return mutate(p, (d) => {
    const h = sha256(cookie);
    const s = has(d.browserSessions, h);
    if (!s) return false;
    delete d.browserSessions[h];
    return s.expiresAt > now;
  });
}

// ------------------------------------------------------------------------------------------------------------
// Transactions of the hosted forms
// ------------------------------------------------------------------------------------------------------------

export interface OpenedTransaction {
  /** Goes in the form (hidden field `stateToken`). */
  id: string;
  /** Goes in the form (hidden field `_xsrfToken`). */
  csrf: string;
  /** The `okta_tx` cookie value the browser must send back (new when the browser had none). */
  browser: string;
}

/** Opens a transaction for the browser (its `okta_tx` cookie value, or a new one). */
export async function openTransaction(
  p: SessionStore,
  browser: string | undefined,
  t: Pick<TransactionRecord, 'serverId' | 'params' | 'stage'> & { userId?: string; authTime?: number },
): Promise<OpenedTransaction> {
  const id = randomToken(24);
  const csrf = randomToken(24);
  const b = browser && /^[A-Za-z0-9_-]{32,}$/.test(browser) ? browser : randomToken(32);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.params)) if (k !== 'sessionToken' && v !== undefined) params[k] = v;
  const rec: TransactionRecord = {
    serverId: t.serverId,
    params,
    stage: t.stage,
    browserHash: sha256(b),
    csrfHash: sha256(csrf),
    ...(t.userId !== undefined ? { userId: t.userId } : {}),
    ...(t.authTime !== undefined ? { authTime: t.authTime } : {}),
    expiresAt: p.nowSec() + TRANSACTION_LIFETIME_SEC,
  };
  await mutate(p, (d) => {
    d.signInTransactions[sha256(id)] = rec;
  });
  return { id, csrf, browser: b };
}

export type TransactionLookup = { ok: true; tx: TransactionRecord } | { ok: false; reason: 'unknown' | 'csrf' };

/** The live transaction `id` of `stage`, when the browser cookie and the CSRF token match it. */
export function findTransaction(p: SessionStore, id: string | undefined, stage: TransactionStage, browser: string | undefined, csrf: string | undefined): TransactionLookup {
  if (!id) return { ok: false, reason: 'unknown' };
  const tx = has(readData(p.store.read()).signInTransactions, sha256(id));
  if (!tx || tx.expiresAt <= p.nowSec() || tx.stage !== stage) return { ok: false, reason: 'unknown' };
  if (!browser || !csrf || !sameHash(sha256(browser), tx.browserHash) || !sameHash(sha256(csrf), tx.csrfHash)) return { ok: false, reason: 'csrf' };
  return { ok: true, tx };
}

/** Removes the transaction (it is done, whatever happens next). */
export async function closeTransaction(p: SessionStore, id: string): Promise<void> {
  await mutate(p, (d) => {
    delete d.signInTransactions[sha256(id)];
  });
}

// ------------------------------------------------------------------------------------------------------------
// Consent grants
// ------------------------------------------------------------------------------------------------------------

const grantKey = (serverId: string, clientId: string, userId: string): string => `${serverId}/${clientId}/${userId}`;

/** The scopes the user allowed the client on the server. */
export function grantedConsent(state: TenantState, serverId: string, clientId: string, userId: string): readonly string[] {
  return has(readData(state).consentGrants, grantKey(serverId, clientId, userId))?.scopes ?? [];
}

/** Records that the user allowed `scopes` (added to what was allowed before). */
export async function recordConsent(p: SessionStore, serverId: string, clientId: string, userId: string, scopes: readonly string[]): Promise<void> {
  const now = p.nowSec();
  await mutate(p, (d) => {
    const k = grantKey(serverId, clientId, userId);
    const before = has(d.consentGrants, k)?.scopes ?? [];
    d.consentGrants[k] = { scopes: [...new Set([...before, ...scopes])], lastUpdated: now };
  });
}
