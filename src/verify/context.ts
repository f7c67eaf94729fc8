/** What the verify checks share: the Okta client, the values, and what the org checks left for the live checks. */
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
  /** Left by the org checks for the live ones (org-checks.ts orgChecks). */
  server?: AuthServerObj;
  metadata?: Metadata;
  jwks?: JSONWebKeySet;
  /** Access tokens from the dance, for the matrix. */
  tokens: Partial<Record<Level, string>>;
  /** Why the dance could not run (e.g. the org refuses /api/v1/authn), for the matrix's skips. */
  danceSkipped?: string;
}

/** "KEY 0oa… (from .env)" */
export function named(key: string, v: Sourced | undefined): string {
  return v ? `${key} ${v.value} (from ${v.source})` : `${key} (not set)`;
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
