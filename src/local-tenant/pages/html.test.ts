import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, escapeHtml, html, page } from './html.js';
import { consentPage, errorPage, signInPage } from './hosted.js';

const HOSTILE = `<img src=x onerror="alert(1)">&'`;

describe('html', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('the tag escapes every value, keeps its own fragments, and drops undefined and false', () => {
    const inner = html`<b>${HOSTILE}</b>`;
    expect(html`<p title="${HOSTILE}">${inner}${undefined}${false}${[html`<i>1</i>`, html`<i>2</i>`]}${3}</p>`.text).toBe(
      `<p title="${escapeHtml(HOSTILE)}"><b>${escapeHtml(HOSTILE)}</b><i>1</i><i>2</i>3</p>`,
    );
  });

  it('the page allows its stylesheet by hash and nothing else: no script, no framing', () => {
    const p = page({ title: 't', orgName: 'o', main: html`<p>x</p>` });
    const style = /<style>([^<]*)<\/style>/.exec(p.body)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(p.headers['content-security-policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`);
    expect(p.headers['x-frame-options']).toBe('DENY');
    expect(contentSecurityPolicy(true, ['http://localhost:8080', "x' 'unsafe-inline"])).toContain("form-action 'self' http://localhost:8080;");
  });

  it('no hosted page lets a hostile value through', () => {
    const tokens = { stateToken: HOSTILE, csrf: HOSTILE };
    const pages = [
      signInPage({ orgName: HOSTILE, tokens, username: HOSTILE, error: HOSTILE, formTargets: [] }),
      consentPage({ orgName: HOSTILE, appName: HOSTILE, scopes: [{ name: HOSTILE, displayName: HOSTILE, description: HOSTILE }], tokens, formTargets: [] }),
      errorPage({ orgName: HOSTILE, error: HOSTILE, description: HOSTILE }),
    ];
    for (const p of pages) {
      expect(p.body).not.toContain('<img');
      expect(p.body).not.toContain('onerror="');
      expect(p.body).toContain(escapeHtml(HOSTILE));
    }
  });
});
