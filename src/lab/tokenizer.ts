// Byte-level tokens: one token per byte. The lab folds text to ASCII (vocab 128) so that every token is a character
// and every output is valid text.

/** Fold text to printable ASCII plus newline: strip diacritics, straighten quotes and dashes, drop the rest. */
export function foldAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2013\u2014\u2015]/g, '--')
    .replace(/\u2026/g, '...')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[^\n\x20-\x7e]/g, '');
}

export function encode(text: string, vocab: number): Uint8Array {
  const folded = foldAscii(text);
  const out = new Uint8Array(folded.length);
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    out[i] = c < vocab ? c : 63; // '?'
  }
  return out;
}

export function decodeToken(token: number): string {
  return String.fromCharCode(token);
}

export function decode(tokens: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < tokens.length; i++) s += String.fromCharCode(tokens[i]!);
  return s;
}
