/**
 * How /authorize answers the client: a 302 to the redirect URI with the parameters in the query or the fragment,
 * or (`response_mode=form_post`) an HTML page that posts them
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/authorizeCustomAS).
 */
import { escapeHtml } from '../../../pages/html.js';
import type { OAuthResult } from '../../provider.js';

export const RESPONSE_MODES: readonly string[] = ['query', 'fragment', 'form_post'];


export function respond(redirectUri: string, mode: string, params: Record<string, string>): OAuthResult {
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}"/>`)
      .join('');
    const html = `<!DOCTYPE html><html><head><title>Submit</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}</form></body></html>`;
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
  }
  const url = new URL(redirectUri);
  const qs = new URLSearchParams(params);
  if (mode === 'fragment') url.hash = qs.toString();
  else for (const [k, v] of qs) url.searchParams.append(k, v);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}

/** The mode an error is sent with: the requested one when it is supported and allowed for the response type,
 *  else the response type's default (fragment when a token or ID token was asked for, else query). */
export function errorMode(mode: string, implicit: boolean): string {
  const usable = RESPONSE_MODES.includes(mode) && !(mode === 'query' && implicit);
  if (usable) return mode;
  return implicit ? 'fragment' : 'query';
}
