/**
 * HTML of the local tenant's hosted pages (sign-in, consent, error, signed out): an escaping template tag and
 * the page frame with its security headers.
 *
 * - Every interpolated value is HTML-escaped unless it is an `Html` fragment built by this tag.
 * - `Content-Security-Policy`: nothing may load but the page's own stylesheet (allowed by its hash), no script at
 *   all, no framing, no `<base>`, forms post only to the tenant (and, for a form whose answer redirects to a
 *   client, that client's redirect origin: browsers check `form-action` on the redirect after a POST).
 * - `X-Frame-Options: DENY` for browsers without `frame-ancestors`, `Referrer-Policy: no-referrer` (the
 *   /authorize URL carries state and PKCE values), `Cache-Control: no-store`.
 * Okta's hosted pages send the same kinds of headers
 * (https://developer.okta.com/docs/guides/content-security-policy/main/); the values are the tenant's choice.
 */
import { createHash } from 'node:crypto';

/** A fragment of trusted HTML (made by `html`, never from a raw string). */
export class Html {
  private constructor(readonly text: string) {}
  /** Trusted text: only this module calls it (the `html` tag and the page frame). */
  static of(text: string): Html {
    return new Html(text);
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Value = string | number | Html | readonly Html[] | undefined | false;

function render(v: Value): string {
  if (v === undefined || v === false) return '';
  if (typeof v === 'string') return escapeHtml(v);
  if (typeof v === 'number') return escapeHtml(String(v));
  if (v instanceof Html) return v.text;
  return v.map((x) => x.text).join('');
}

/** Template tag: the literal parts are trusted, every value is escaped (an `Html` fragment is kept as is). */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return Html.of(out);
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d1d21;margin:0}',
  'main{max-width:400px;margin:48px auto;background:#fff;border:1px solid #d7d8dc;border-radius:6px;padding:32px 40px}',
  'h1{font-size:1.3em;margin:0 0 8px}h2{font-size:1.1em;font-weight:600;margin:0 0 24px}',
  'label{display:block;margin:16px 0 4px;font-weight:600}',
  'input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #8c8c96;border-radius:4px;font-size:1em}',
  'button{margin-top:24px;padding:10px 16px;font-size:1em;border-radius:4px;border:1px solid #1662dd;background:#1662dd;color:#fff;cursor:pointer}',
  'button.secondary{background:#fff;color:#1662dd;margin-left:8px}',
  '.error{background:#fdecea;border:1px solid #e34843;border-radius:4px;padding:8px 12px;margin:16px 0}',
  'dl{margin:16px 0}dt{font-weight:600;margin-top:8px}dd{margin:0;word-break:break-word}ul{padding-left:20px}',
].join('');
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export interface PageAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PageOptions {
  status?: number;
  /** `<title>` (escaped). */
  title: string;
  /** The org's name, shown above the content (escaped). */
  orgName: string;
  main: Html;
  /** Origins a form of the page may end up at besides the tenant itself (a client's redirect URI). */
  formTargets?: readonly string[];
  /** Whether the page has a form at all (else `form-action 'none'`). */
  hasForm?: boolean;
}

/** The CSP of a page. */
export function contentSecurityPolicy(hasForm: boolean, formTargets: readonly string[] = []): string {
  const targets = [...new Set(formTargets.filter((o) => /^https?:\/\/[^\s;,'"]+$/.test(o)))];
  const formAction = hasForm ? ["'self'", ...targets].join(' ') : "'none'";
  return `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

export function page(o: PageOptions): PageAnswer {
  const doc = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title><style>${Html.of(STYLE)}</style></head>
<body><main><h1 class="org">${o.orgName}</h1>
${o.main}
</main></body></html>`;
  return {
    status: o.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(o.hasForm ?? false, o.formTargets),
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      pragma: 'no-cache',
    },
    body: doc.text,
  };
}
