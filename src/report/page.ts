// The page around the sections: one file with its style inline and a Content-Security-Policy that lets the browser
// fetch nothing (no script, font, image, frame or connection; the one style block allowed by its hash), so the report
// opens from disk and cannot call out even if some markup slipped through. It reads fully with scripts off: figures are
// inline SVG and the evidence is in <details>.
import { createHash } from 'node:crypto';
import { html, type Markup, trusted } from './html.js';

const STYLE = `
:root{color-scheme:light;--ink:#1d232b;--muted:#5b6570;--line:#d9dee4;--soft:#f4f6f8;--accent:#4e79a7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
header{padding:20px 32px 12px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:var(--muted)}
nav{margin-top:10px;display:flex;flex-wrap:wrap;gap:4px 14px}
nav a{color:var(--accent);text-decoration:none}
main{padding:8px 32px 40px;max-width:1400px}
h2{margin:30px 0 10px;font-size:19px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{margin:20px 0 8px;font-size:16px}
figure{margin:12px 0 22px;overflow-x:auto}
figcaption{color:var(--muted);font-size:13px;max-width:900px;margin-top:4px}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;max-width:100%}
.overview{display:flex;flex-wrap:wrap;gap:0 48px;align-items:flex-start}
.overview>div{flex:1 1 380px;max-width:640px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.warn{color:#8a5300}
.reject{color:#b2182b;font-weight:600}
.keep{color:#2b6a2f}
.model{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
.traits td{white-space:nowrap}
.traits svg{vertical-align:middle;margin-left:4px}
details.probe{border:1px solid var(--line);border-radius:4px;margin:6px 0;background:#fff}
details.probe>summary{cursor:pointer;padding:6px 10px;background:var(--soft)}
.prompt{white-space:pre-wrap;padding:8px 10px;margin:0;border-bottom:1px solid var(--line);font-size:13px}
.responses{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:8px;padding:8px}
.response{border:1px solid var(--line);border-radius:3px;min-width:0}
.response h4{margin:0;padding:3px 6px;font-size:12px;background:var(--soft);border-bottom:1px solid var(--line)}
.response pre{margin:0;padding:6px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}
.response pre{max-height:320px;overflow-y:auto}
.note{color:var(--muted);font-size:12px;padding:0 6px 4px;margin:0}
footer{color:var(--muted);font-size:12px;padding:16px 32px;border-top:1px solid var(--line)}
`;

/** The policy: nothing may be fetched or run; only the style block above (by hash) and data: images. */
export function contentSecurityPolicy(style: string = STYLE): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    'img-src data:',
    "script-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface PageParts {
  readonly title: string;
  readonly subtitle: string;
  /** Table of contents: fixed anchor ids (never user text) and their headings. */
  readonly contents: readonly { readonly id: string; readonly heading: string }[];
  readonly body: Markup;
  readonly footer: Markup;
}

export function page(parts: PageParts): string {
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trusted(contentSecurityPolicy())}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="llm-phylo">
<title>${parts.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header><h1>${parts.title}</h1><p>${parts.subtitle}</p>
<nav>${parts.contents.map((c) => html`<a href="#${c.id}">${c.heading}</a>`)}</nav></header>
<main>
${parts.body}
</main>
<footer>${parts.footer}</footer>
</body>
</html>
`;
  return doc.markup;
}
