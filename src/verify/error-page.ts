/**
 * Okta's HTML error page. `/v1/authorize` answers a request it will not send back to the client (an unknown
 * `client_id`, a `redirect_uri` the client does not have) with a 400 page for the person at the browser, not with
 * JSON (the spec documents no JSON error for it:
 * https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/authorizeCustomAS).
 * Okta's docs do not describe the page. The one Okta serves shows "Error Code: invalid_request" and
 * "Description: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: …"; the
 * choice here is to read the page's text (tags, scripts and styles removed, entities decoded) for those two
 * labels, else for the sentence naming 'redirect_uri' or 'client_id', so no particular markup is assumed.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The visible text of an HTML page, on one line. */
export function pageText(html: string): string {
  const noCode = html.replace(/<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ');
  return decodeEntities(noCode.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

export interface PageError {
  /** The OAuth error code the page shows ("invalid_request", "invalid_client", …). */
  error?: string;
  /** What the page says is wrong. */
  description?: string;
}

/** The error an error page shows: its "Error Code" and "Description", else the sentence naming a parameter. */
export function errorOfPage(html: string): PageError {
  const text = pageText(html);
  const error = /\bError Code:?\s*([a-z][a-z_]*)/i.exec(text)?.[1];
  const described = /\bDescription:?\s*(.+?)(?=\s+(?:Error Code|Identity Provider|Back to sign in|Go to homepage)\b|$)/i.exec(text)?.[1];
  const sentence = /[^.]*'(?:redirect_uri|client_id)'[^.]*\./i.exec(text)?.[0]?.trim();
  const description = described ?? sentence;
  return { ...(error !== undefined ? { error } : {}), ...(description !== undefined ? { description } : {}) };
}
