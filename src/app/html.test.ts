import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, keeps nested Html, joins arrays, drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`<p title="${'"x"'}">${"it's & <script>"}${inner}${['<a>', html`<br>`]}${undefined}${false}${null}${3}</p>`;
    expect(out.value).toBe('<p title="&quot;x&quot;">it&#39;s &amp; &lt;script&gt;<b>&lt;i&gt;</b>&lt;a&gt;<br>3</p>');
  });
  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
