import { describe, expect, it } from 'vitest';
import { errorOfPage, pageText } from './error-page.js';

/** Shaped like the page an Okta org serves for a redirect_uri the client does not have (labels with colons,
 *  values in separate elements, an inline script, entities for the quotes). */
const OKTA_LIKE = `<!DOCTYPE html><html><head><title>Example - Error</title><style>.x{color:red}</style>
<script>var errorCode = "not-the-text";</script></head><body><div class="content">
<h2 class="o-form-title">400 Bad Request</h2>
<div><span>Identity Provider:</span> <span>Unknown</span></div>
<div><span>Error Code:</span> <span>invalid_request</span></div>
<div><span>Description:</span> <span>The &#x27;redirect_uri&#x27; parameter must be a Login redirect URI in the client app settings: https://example-admin.okta.com/admin/app/oidc_client/instance/0oa1/#tab-general</span></div>
</div><a href="/">Go to homepage</a></body></html>`;

describe("Okta's error page", () => {
  it('reads the error code and the description, not the script', () => {
    expect(errorOfPage(OKTA_LIKE)).toEqual({
      error: 'invalid_request',
      description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://example-admin.okta.com/admin/app/oidc_client/instance/0oa1/#tab-general",
    });
  });

  it('reads labels without colons (definition lists) and decodes entities', () => {
    const page = `<h1>Org &amp; Co</h1><dl><dt>Error Code</dt><dd>invalid_client</dd><dt>Description</dt><dd>Invalid value for &#39;client_id&#39; parameter.</dd></dl>`;
    expect(errorOfPage(page)).toEqual({ error: 'invalid_client', description: "Invalid value for 'client_id' parameter." });
    expect(pageText(page)).toBe("Org & Co Error Code invalid_client Description Invalid value for 'client_id' parameter.");
  });

  it('without the labels: the sentence naming the parameter; a page without an error: nothing', () => {
    expect(errorOfPage(`<p>Sorry.</p><p>The 'redirect_uri' parameter must be a Login redirect URI.</p>`)).toEqual({ description: "The 'redirect_uri' parameter must be a Login redirect URI." });
    expect(errorOfPage('<form><label>Username</label><input name="username"></form>')).toEqual({});
  });
});
