// What every report must be, read from its bytes and from the page a real browser built: self-contained (no src,
// href or CSS url() leaves the file), under a policy that fetches nothing, with no script and no event handler.
import { expect } from 'vitest';
import type { Browser } from './chromium.js';

// A start tag and its attributes, as an HTML tokenizer reads them: text (escaped) never looks like a tag.
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Every attribute of every start tag: its tag, name and value. */
export function attributes(html: string): { tag: string; name: string; value: string }[] {
  const out: { tag: string; name: string; value: string }[] = [];
  for (const t of html.matchAll(TAG))
    for (const a of (t[2] ?? '').matchAll(ATTRIBUTE))
      out.push({ tag: t[1]!.toLowerCase(), name: a[1]!.toLowerCase(), value: a[2] ?? a[3] ?? a[4] ?? '' });
  return out;
}

/** Every src, href and CSS url() of the page: in attributes and in its <style> blocks (not in escaped text). */
export function references(html: string): string[] {
  const attrs = attributes(html);
  const out = attrs.filter((a) => a.name === 'src' || a.name === 'href' || a.name === 'xlink:href').map((a) => a.value);
  const css = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  for (const text of [...css, ...attrs.map((a) => a.value)])
    for (const m of text.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) out.push(m[2]!);
  return out;
}

export function expectSelfContained(html: string): void {
  const refs = references(html);
  expect(refs.filter((r) => /^\s*(https?:|\/\/|javascript:|data:text)/i.test(r))).toEqual([]);
  // Only in-page anchors and figure ids.
  expect(refs.every((r) => r.startsWith('#'))).toBe(true);
  expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  expect(html.match(/<style>/g)).toHaveLength(1);
  expect(html).not.toMatch(/<(script|iframe|object|embed|link|img|textarea|form|base)\b/i);
  expect(attributes(html).filter((a) => a.name.startsWith('on'))).toEqual([]);
}

/** In the page as the browser built it: no script ran, no handler or foreign element exists, nothing was blocked. */
export async function expectInertPage(browser: Browser, title: string): Promise<void> {
  expect(await browser.evaluate<string>('document.title')).toBe(title);
  const found = await browser.evaluate<{ elements: number; handlers: string[]; styles: number; hidden: boolean }>(`({
    elements: document.querySelectorAll('script,iframe,object,embed,link,img,textarea,form,base').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) =>
      [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name)),
    styles: document.querySelectorAll('style').length,
    hidden: getComputedStyle(document.body).display === 'none',
  })`);
  expect(found).toEqual({ elements: 0, handlers: [], styles: 1, hidden: false });
  // No console message, exception or blocked request (a CSP violation is logged as an error).
  expect(browser.console.filter((e) => e.level === 'error' || e.source === 'exception')).toEqual([]);
}
