// Model output is untrusted text. Before it reaches a terminal, strip every control sequence; before it reaches
// HTML, escape it.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other ESC sequences, C1 controls (incl. 8-bit CSI/OSC).
const OSC = /(?:\u001b\]|\u009d)[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
const CSI = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?/g;
const DCS_ETC = /(?:\u001b[PX^_]|[\u0090\u0098\u009e\u009f])[\s\S]*?(?:\u001b\\|\u009c|$)/g;
const ESC_OTHER = /\u001b[@-Z\\-_ -/]*[0-~]?/g;
// C0 controls except tab and newline, DEL, and C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Remove terminal control sequences and control characters, keeping tabs and newlines. */
export function stripControl(text: string): string {
  return text.replace(OSC, '').replace(DCS_ETC, '').replace(CSI, '').replace(ESC_OTHER, '').replace(CONTROL, '');
}

// Bidirectional overrides, embeddings and isolates (and the marks): they reorder what a reader sees, so that a model
// name can display as another (Trojan Source, Boucher & Anderson 2021).
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Show bidi controls as visible `<U+202E>` marks instead of letting them reorder the text. */
export function showBidi(text: string): string {
  return text.replace(BIDI, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Untrusted text for a terminal, lines kept: control sequences stripped, bidi controls shown. */
export function forTerminal(text: string): string {
  return showBidi(stripControl(text));
}

/** Make text safe for one terminal line: control stripped, bidi controls shown, newlines and tabs as spaces. */
export function oneLine(text: string): string {
  return forTerminal(text).replace(/[\r\n\t]+/g, ' ');
}

// What JSON.stringify leaves raw but a terminal or an editor acts on: C1 controls (U+009B is a one-byte CSI), bidi
// controls, and the line and paragraph separators.
const JSON_UNSAFE = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text with those characters written as \\u escapes: the same value when parsed, inert when displayed. */
export function escapeJsonUnsafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
