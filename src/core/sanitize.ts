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

/** Make text safe for one terminal line: control stripped, newlines and tabs shown as spaces. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/[\r\n\t]+/g, ' ');
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}
