/** What every verify check reads: the org (through the Okta client), the values, and what earlier checks learned. */
import { OktaApiError } from '../core/errors.js';
import type { OktaApi } from '../okta/client.js';
import type { JSONWebKeySet } from 'jose';
import type { Level, Sourced, VerifyValues } from './values.js';

export interface AuthServerObj {
  id: string;
  name?: string;
  status?: string;
  issuer?: string;
  audiences?: string[];
}

export interface Metadata {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  introspection_endpoint?: string;
  jwks_uri?: string;
  [k: string]: unknown;
}

export interface UserObj {
  id: string;
  status?: string;
  profile?: { login?: string };
}

export interface GroupObj {
  id: string;
  type?: string;
  profile?: { name?: string };
}

export interface VerifyContext {
  api: OktaApi;
  orgUrl: string;
  values: VerifyValues;
  fetch: typeof fetch;
  /** Filled as checks run. */
  server?: AuthServerObj;
  metadata?: Metadata;
  jwks?: JSONWebKeySet;
  users: Partial<Record<Level, { user: UserObj; groups: GroupObj[] }>>;
  /** Access tokens from the dance, for the matrix. */
  tokens: Partial<Record<Level, string>>;
  /** Why the dance could not run (e.g. the org refuses /api/v1/authn), for the matrix's skips. */
  danceSkipped?: string;
}

/** "KEY 0oa… (from .env)" */
export function named(key: string, v: Sourced | undefined): string {
  return v ? `${key} ${v.value} (from ${v.source})` : `${key} (not set)`;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof OktaApiError && e.details.status === 404;
}

/** GET that returns undefined on 404 and throws anything else. */
export async function getOrUndefined<T>(api: OktaApi, path: string): Promise<T | undefined> {
  try {
    return (await api.request<T>('GET', path)).body;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Plain GET of a public JSON document (metadata, keys). */
export async function fetchJson(f: typeof fetch, url: string): Promise<{ status: number; json?: unknown; error?: string }> {
  try {
    const res = await f(url, { headers: { Accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    try {
      return { status: res.status, json: JSON.parse(text) };
    } catch {
      return { status: res.status, error: `not JSON: ${text.slice(0, 80)}` };
    }
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return { status: 0, error: err.cause?.code ?? err.message };
  }
}

export const RERUN = 're-run `okta-bootstrap --mulesoft`';
export const RERUN_POLICY = 're-run `okta-bootstrap --mulesoft_policy`';
