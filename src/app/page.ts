/** The app's one page, rendered on the server. Every value goes through `html` (escaped). */
import type { AppConfig } from './config.js';
import { html, type Html } from './html.js';
import type { ApiResult, AppSession, Notice } from './session.js';

/** Claims that are times (JWT NumericDate: seconds since the epoch), shown with the date too. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time']);

function claimValue(v: unknown, name?: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && name && TIME_CLAIMS.has(name)) return `${v} (${new Date(v * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(' ');
  return JSON.stringify(v);
}

/** Who is signed in: the ID token's name claims when the scopes gave them, else the access token's `sub`
 *  (Okta's custom authorization servers put the user's login there), else the ID token's `sub` (the user id). */
function whoIs(idClaims: Record<string, unknown>, accessClaims: Record<string, unknown> | undefined): string {
  for (const v of [idClaims.name, idClaims.preferred_username, idClaims.email, accessClaims?.sub, idClaims.sub]) {
    if (typeof v === 'string' && v !== '') return v;
  }
  return 'someone';
}

function claimsTable(id: string, title: string, claims: Record<string, unknown> | undefined): Html {
  if (!claims) return html`<section class="card" id="${id}"><h2>${title}</h2><p class="muted">Not a JWT: nothing to decode.</p></section>`;
  const rows = Object.entries(claims).map(([k, v]) => html`<tr><th>${k}</th><td class="claim">${claimValue(v, k)}</td></tr>`);
  return html`<section class="card" id="${id}"><h2>${title}</h2><table>${rows}</table></section>`;
}

function noticeBlock(n: Notice | undefined): Html {
  if (!n) return html``;
  return html`<section class="card notice ${n.kind}" id="notice" role="${n.kind === 'error' ? 'alert' : 'status'}"><h2>${n.title}</h2><p>${n.text}</p>${
    n.detail ? html`<p class="detail">${n.detail}</p>` : ''
  }</section>`;
}

/** The list the API returned: planets or moons, as a table of a few columns. */
function resultTable(body: unknown): Html {
  if (typeof body !== 'object' || body === null) return html``;
  const list = Object.values(body).find(Array.isArray);
  if (!Array.isArray(list)) return html``;
  const items = list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
  const first = items[0];
  if (!first) return html`<p class="muted">An empty list.</p>`;
  const cols = Object.keys(first).slice(0, 5);
  return html`<table><tr>${cols.map((c) => html`<th>${c}</th>`)}</tr>${items.map(
    (it) => html`<tr>${cols.map((c) => html`<td>${it[c] === undefined ? '' : claimValue(it[c])}</td>`)}</tr>`,
  )}</table>`;
}

function apiBlock(r: ApiResult | undefined): Html {
  if (!r) return html`<p class="muted" id="result">Press a button: the app calls the gateway with your access token, if you have one.</p>`;
  const ok = r.status >= 200 && r.status < 300;
  const body = !ok && r.body !== undefined ? html`<p class="detail">The gateway answered: ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}</p>` : '';
  return html`<div id="result"><p><span class="status ${ok ? 'ok' : ''}">${r.status || '—'}</span>${r.explanation}</p>${body}${ok ? resultTable(r.body) : ''}</div>`;
}

export function renderPage(config: AppConfig, session: AppSession): Html {
  const s = session.signedIn;
  const who = s ? whoIs(s.idClaims, s.accessClaims) : undefined;
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrf}">`;
  const panels = config.levels.map(
    (l) => html`<section class="card level ${l.name}${s?.level === l.name ? ' current' : ''}" id="level-${l.name}">
<h2>${l.name[0]?.toUpperCase()}${l.name.slice(1)} access</h2>
<ul class="scopes">${l.scopes.map((sc) => html`<li>${sc}</li>`)}</ul>
<div class="actions"><form method="post" action="/login">${csrf}<input type="hidden" name="level" value="${l.name}"><button type="submit" aria-label="Sign in for ${l.name} access">Sign in</button></form>
<form method="post" action="/login">${csrf}<input type="hidden" name="level" value="${l.name}"><input type="hidden" name="prompt" value="none"><button type="submit" class="link" aria-label="Use my Okta session for ${l.name} access">use my Okta session (prompt=none)</button></form></div>
</section>`,
  );
  const buttons = config.resources.map(
    (r) => html`<form method="post" action="/call">${csrf}<input type="hidden" name="resource" value="${r.name}"><button type="submit" class="secondary">${r.label}</button></form>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Solar system app · okta-bootstrap</title><link rel="stylesheet" href="/style.css"></head>
<body>
<header><h1>Solar system app</h1>
<span class="meta" id="who">${s && who ? html`Signed in as <strong>${who}</strong>${s.level ? html` · ${s.level}` : ''}` : 'Not signed in'}</span>
<span class="meta" id="gateway">Gateway: <strong>${config.gateway}</strong> at ${config.proxyUri}</span></header>
<main>
${noticeBlock(session.notice)}
<div class="grid">${panels}</div>
<section class="card" id="api"><h2>The solar-system API, through the gateway</h2><div class="actions">${buttons}</div>${apiBlock(session.api)}</section>
${s ? html`<div class="grid">${claimsTable('id-token', 'ID token claims', s.idClaims)}${claimsTable('access-token', 'Access token claims', s.accessClaims)}</div>
<footer><form method="post" action="/logout">${csrf}<button type="submit" class="secondary">Log out</button></form></footer>` : ''}
</main></body></html>
`;
}
