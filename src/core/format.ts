// Small, pure text helpers for fixed-width terminal layout.
import { oneLine, stripControl } from './sanitize.js';

/** Fit text to exactly `width` columns: cut with an ellipsis or pad with spaces. Control sequences go first. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const clean = oneLine(text);
  const chars = [...clean];
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? clean + pad : pad + clean;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '--';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/**
 * Greedy word wrap of untrusted text into lines of at most `width` characters: control sequences are stripped,
 * paragraphs kept, words longer than a line broken.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of stripControl(text).replace(/\t/g, '  ').split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      let rest = word;
      while ([...rest].length > w) {
        if (line) {
          out.push(line);
          line = '';
        }
        const chars = [...rest];
        out.push(chars.slice(0, w).join(''));
        rest = chars.slice(w).join('');
      }
      if (!rest) continue;
      if (!line) line = rest;
      else if ([...line].length + 1 + [...rest].length <= w) line += ` ${rest}`;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

/** A number in at most `width` characters: fixed-point while it fits with some precision, else exponent notation. */
export function compactNumber(x: number, width: number): string {
  if (Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  for (let digits = 3; digits >= 1; digits--) {
    const abs = Math.abs(x);
    const text =
      abs >= 1000 || Number.isInteger(x)
        ? x.toFixed(0)
        : abs >= 1
          ? x.toFixed(Math.max(0, digits - Math.floor(Math.log10(abs)) - 1))
          : x.toFixed(digits - 1 + Math.max(1, -Math.floor(Math.log10(abs))));
    const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
    if (trimmed.length <= width && trimmed !== '0' && trimmed !== '-0') return trimmed;
  }
  const exp = x.toExponential(0).replace('e+', 'e');
  return exp.length <= width ? exp : fit(exp, width);
}
