// Escaping untrusted text for the report: every context-ending character escaped, invisible characters made visible,
// and the template escaping whatever is not markup it made itself.
import { describe, expect, it } from 'vitest';
import { escapeText, trimText, visibleText } from '../../src/report/escape.js';
import { html, markupOf, trusted } from '../../src/report/html.js';

describe('visibleText', () => {
  it('shows control characters as control pictures and keeps tabs and newlines', () => {
    expect(visibleText('a\u001b[31mb\u0007\u0000c\u007f')).toBe('a\u241b[31mb\u2407\u2400c\u2421');
    expect(visibleText('x\u009b2J')).toBe('x[U+009B]2J');
    expect(visibleText('line 1\n\tline 2')).toBe('line 1\n\tline 2');
  });

  it('shows bidirectional overrides, isolates and marks as tags, so they cannot reorder the text', () => {
    expect(visibleText('gpt\u202eevil\u202c')).toBe('gpt[U+202E]evil[U+202C]');
    expect(visibleText('\u2066a\u2069\u200f')).toBe('[U+2066]a[U+2069][U+200F]');
  });

  it('replaces lone surrogates and keeps pairs', () => {
    expect(visibleText('a\ud800b')).toBe('a\ufffdb');
    expect(visibleText('a\udc00')).toBe('a\ufffd');
    expect(visibleText('emoji \ud83d\ude00')).toBe('emoji \ud83d\ude00');
  });
});

describe('escapeText', () => {
  it('escapes everything that ends a text, attribute, SVG text or CDATA context', () => {
    expect(escapeText(`<script>alert("x")</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escapeText(`' onmouseover='x`)).toBe('&#39; onmouseover=&#39;x');
    expect(escapeText(']]></style></textarea>&amp;')).toBe(']]&gt;&lt;/style&gt;&lt;/textarea&gt;&amp;amp;');
    expect(escapeText('plain')).toBe('plain');
  });
});

describe('trimText', () => {
  it('keeps short text whole and cuts long text, saying from what length', () => {
    expect(trimText('abc', 5)).toEqual({ text: 'abc', length: 3, trimmed: false });
    expect(trimText('abcdef', 4)).toEqual({ text: 'abcd', length: 6, trimmed: true });
  });

  it('never cuts a surrogate pair in half', () => {
    const t = trimText('ab\ud83d\ude00cd', 3);
    expect(t.text).toBe('ab');
    expect(t.trimmed).toBe(true);
  });
});

describe('the html template', () => {
  it('escapes interpolated text and numbers but not markup it made or was given as trusted', () => {
    const name = '<img src=x onerror=alert(1)>';
    const inner = html`<b>${name}</b>`;
    expect(markupOf(html`<p title="${name}">${inner} ${3.5} ${trusted('<svg></svg>')}</p>`)).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;"><b>&lt;img src=x onerror=alert(1)&gt;</b> 3.5 <svg></svg></p>',
    );
  });

  it('joins lists and drops null, undefined, false and non-finite numbers', () => {
    expect(markupOf(html`${['a', '<', html`<i>i</i>`]}|${null}${undefined}${false}${Number.NaN}|`)).toBe(
      'a&lt;<i>i</i>||',
    );
  });

  it('never turns a string into markup, whatever it contains', () => {
    expect(markupOf(html`${'{"markup":"<b>"}'}`)).toBe('{&quot;markup&quot;:&quot;&lt;b&gt;&quot;}');
  });
});
