// A run whose model names and answers attack the report: markup that would run script (<script>, an <img> with
// onerror, an <svg> with onload), strings that end the context they sit in (</style>, </textarea>, ]]>, quotes),
// javascript: links, bidirectional overrides and terminal escape sequences (in answers: a model name with a control
// character is refused at import, see TERMINAL_NAME). Every payload that could run announces
// itself the same way (document.title and console.log of a PWNED marker), so a browser test can check that none did.
import fs from 'node:fs';
import path from 'node:path';

export const MARKER = 'PWNED';

const run = (n: number) => `document.title='${MARKER}-${n}';console.log('${MARKER}-${n}')`;

/** The hostile model names, as given in the JSONL file (the importer makes them replay:<name>). */
export const HOSTILE_MODELS = [
  `evil<script>${run(1)}</script>`,
  `img<img src=x onerror="${run(2)}">`,
  '</style><style>body{display:none}</style>style',
  `</textarea><svg onload="${run(3)}">`,
  `javascript:${run(4)}`,
  `cdata]]><script>${run(5)}</script>`,
  'gpt\u202eevil\u202c-4\u2066iso\u2069',
  `quote"' onmouseover="${run(6)}`,
] as const;

/** A model name with terminal escapes: refused at import (src/store/model-name.ts), so it never reaches a report. */
export const TERMINAL_NAME = 'term\u001b[31mred\u001b]0;retitled\u0007\u009b2J';

/** Answers: the same attacks in model text, plus markdown and HTML links to javascript: URLs. */
const HOSTILE_ANSWERS = [
  `<script>${run(11)}</script>`,
  `<img src=x onerror="${run(12)}">`,
  `[click me](javascript:${run(13)}) and <a href="javascript:${run(14)}">link</a>`,
  '</style><style>*{color:red}</style></textarea><textarea>',
  `]]><![CDATA[<script>${run(15)}</script>]]>`,
  'abc\u202edcba\u202c right-to-left override',
  'red \u001b[31mALERT\u001b[0m and a title \u001b]0;pwned\u0007 and a NUL \u0000 here',
  `<iframe srcdoc="<script>${run(16)}</script>"></iframe><object data="javascript:${run(17)}"></object>`,
  '<style>@import url(https://example.invalid/x.css);</style>' +
    '<link rel=stylesheet href="https://example.invalid/y.css">',
] as const;

const TOPICS = ['the sea', 'a compiler', 'bread', 'the moon', 'tax law', 'a violin', 'winter', 'prime numbers'];

/** Text that differs by model (a word stem each) so the distances have structure, with one hostile line mixed in. */
function answer(model: number, probe: number): string {
  const family = model % 3;
  const words = [
    ['indeed', 'certainly', 'of course'],
    ['briefly', 'in short', 'simply'],
    ['well', 'so', 'okay'],
  ][family]!;
  const base =
    `${words[probe % 3]}, here is a note about ${TOPICS[probe]}: ` + `${words.join(' ')} ${'x'.repeat(model + probe)}`;
  return probe === model % TOPICS.length || probe === 0
    ? `${base}\n${HOSTILE_ANSWERS[model % HOSTILE_ANSWERS.length]}`
    : base;
}

/** Write the run as JSON Lines into `dir` and return the file: every hostile model answers every probe. */
export function writeHostileJsonl(dir: string): string {
  const file = path.join(dir, 'hostile.jsonl');
  const lines: string[] = [];
  HOSTILE_MODELS.forEach((model, m) => {
    TOPICS.forEach((topic, p) => {
      lines.push(
        JSON.stringify({
          model,
          probe: `p${p}`,
          prompt: `Tell me about ${topic}. <script>${run(20 + p)}</script>`,
          text: answer(m, p),
          tokens: 10 + p,
          latency_ms: 100 + 10 * m + p,
        }),
      );
    });
  });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A labels file whose family names attack too. */
export function writeHostileLabels(dir: string): string {
  const file = path.join(dir, 'FAMILIES.tsv');
  const families = ['<b>bold</b>', `fam<img src=x onerror="${run(30)}">`, 'fam\u202eRTL'];
  const rows = HOSTILE_MODELS.map((m, i) => `${m.replace(/[\t\n]/g, ' ')}\t${families[i % 3]}`);
  fs.writeFileSync(file, `model\tfamily\n${rows.join('\n')}\n`);
  return file;
}

/** Audit results of the three shapes `phylo audit --json` writes, naming the hostile models. */
export function writeHostileAudits(dir: string): string[] {
  const a = `replay:${HOSTILE_MODELS[0]}`;
  const b = `replay:${HOSTILE_MODELS[1]}`;
  const files: [string, unknown][] = [
    ['equal.json', { a, b, pValue: 0.0004, reject: true, alpha: 0.05, statistic: 12.5, probes: 8 }],
    [
      'drift.json',
      {
        old: 'old<script>x</script>',
        new: 'new',
        models: [
          { model: a, pValue: 0.2, adjustedPValue: 0.4, reject: false },
          { model: b, pValue: 0.001, adjustedPValue: 0.002, reject: true },
        ],
      },
    ],
    [
      'identify.json',
      {
        target: `mystery<img src=x onerror="${run(40)}">`,
        ranking: [
          { model: a, distance: 0.2, confidence: 0.9, probes: 8 },
          { model: b, distance: 0.5, confidence: 0.1, probes: 8 },
        ],
        equal: { a: `mystery<img src=x onerror="${run(40)}">`, b: a, pValue: 0.6, reject: false },
        verdict: `consistent with ${a} (p = 0.6)`,
      },
    ],
  ];
  return files.map(([name, json]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(json));
    return file;
  });
}

/** A score column whose name attacks the page too (a column name is anything but a tab). */
export const HOSTILE_COLUMN = `rate<script>${run(50)}</script>`;

/**
 * Benchmark scores naming the hostile models by bare name (as the leaderboard does), under the hostile column: the
 * last two have none (one absent, one an empty cell), so the report predicts them as models without a score.
 */
export function writeHostileScores(dir: string): string {
  const file = path.join(dir, 'SCORES.tsv');
  const rows = HOSTILE_MODELS.slice(0, -1).map((m, i) => `${m}\t${i === HOSTILE_MODELS.length - 2 ? '' : 10 + 3 * i}`);
  fs.writeFileSync(file, `model\t${HOSTILE_COLUMN}\n${rows.join('\n')}\n`);
  return file;
}
