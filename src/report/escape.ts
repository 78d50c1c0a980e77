// Untrusted text (model names, prompts, responses) made safe for every context of the report: HTML text, quoted
// attributes, SVG text and <title>. Escaping alone keeps markup inert; invisible characters are then made visible so
// that what a model sent is what the reader sees: control characters (a terminal escape sequence, a NUL) become
// their Unicode control pictures, and bidirectional overrides and isolates (which would reorder the text around them,
// Boucher & Anderson 2021 "Trojan Source") become a visible [U+202E] tag. XML 1.0 forbids most control characters,
// so standalone .svg files need the same replacement to stay well-formed.

// C0 controls except tab and newline, DEL and C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI), marks (LRM RLM ALM).
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// Lone surrogates (invalid in XML and in UTF-8 output) and the non-characters XML forbids.
const INVALID = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

function controlPicture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀..␟ (ESC is ␛)
  if (code === 0x7f) return '\u2421'; // ␡
  return `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** The text with control and bidi characters replaced by visible stand-ins; tabs and newlines stay. */
export function visibleText(text: string): string {
  return text
    .replace(CONTROL, controlPicture)
    .replace(BIDI, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(INVALID, '\ufffd');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Untrusted text for HTML or SVG text content, a quoted attribute value or a <title>: visible, then every character
 * that could end the context escaped. Never for a URL, a style or a script: no untrusted string goes there.
 */
export function escapeText(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export interface Trimmed {
  readonly text: string;
  /** Characters of the original; equal to text.length when nothing was cut. */
  readonly length: number;
  readonly trimmed: boolean;
}

/** At most `max` characters (whole code points), saying whether and from what length it was cut. */
export function trimText(text: string, max: number): Trimmed {
  if (text.length <= max) return { text, length: text.length, trimmed: false };
  let end = max;
  // Do not cut a surrogate pair in half.
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return { text: text.slice(0, end), length: text.length, trimmed: true };
}
