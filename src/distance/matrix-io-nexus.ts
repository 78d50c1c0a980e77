// NEXUS (Maddison, Swofford & Maddison 1997) with TAXA, DISTANCES and TREES blocks: what PAUP*, SplitsTree,
// Mesquite and DendroPy read. Writing uses TRIANGLE=BOTH; reading takes LOWER, UPPER or BOTH, with or without the
// diagonal and the row labels (then the TAXA block's TAXLABELS name the rows). Other blocks are skipped.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { MAX_MATRIX_TAXA } from '../phylo/limits.js';
import { checkDistanceMatrix } from '../phylo/matrix-check.js';
import { writeNewick } from '../phylo/newick.js';
import type { Tree } from '../phylo/tree.js';

/** NEXUS word characters that need no quotes; `_` (a blank when unquoted) and `-` (punctuation) do. */
const NEXUS_WORD = /^[A-Za-z0-9.]+$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function nexusQuote(label: string): string {
  return NEXUS_WORD.test(label) && !NUMERIC.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
}

/** NEXUS text: the taxa, the full distance matrix and, when given, the trees (named, e.g. `nj`). */
export function formatNexus(m: DistanceMatrix, trees: Readonly<Record<string, Tree>> = {}): string {
  const n = m.labels.length;
  const labels = m.labels.map(nexusQuote);
  const width = Math.max(...labels.map((l) => l.length));
  const lines = [
    '#NEXUS',
    `[ distance matrix ${m.signal}/${m.metric} written by llm-phylo ]`,
    'BEGIN TAXA;',
    `  DIMENSIONS NTAX=${n};`,
    `  TAXLABELS ${labels.join(' ')};`,
    'END;',
    '',
    'BEGIN DISTANCES;',
    `  DIMENSIONS NTAX=${n};`,
    '  FORMAT TRIANGLE=BOTH DIAGONAL LABELS;',
    '  MATRIX',
  ];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = 0; j < n; j++) row.push(String(m.values[i * n + j]!));
    lines.push(`    ${labels[i]!.padEnd(width)} ${row.join(' ')}`);
  }
  lines.push('  ;', 'END;');
  const named = Object.entries(trees);
  if (named.length > 0) {
    lines.push('', 'BEGIN TREES;');
    for (const [name, tree] of named)
      lines.push(`  TREE ${nexusQuote(name)} = ${writeNewick(tree, { quote: (l) => nexusQuote(l) })}`);
    lines.push('END;');
  }
  return `${lines.join('\n')}\n`;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** NEXUS tokens: quoted words, `;` and `=` as their own tokens, other words up to whitespace; [comments] dropped. */
function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '[') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) throw new InputError(`${file}: unclosed [comment] at character ${i}`);
      i = end + 1;
    } else if (c === "'") {
      let word = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new InputError(`${file}: unclosed quoted word`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            word += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        word += text[i++];
      }
      out.push({ text: word, quoted: true });
    } else if (c === ';' || c === '=') {
      out.push({ text: c, quoted: false });
      i++;
    } else {
      const start = i;
      while (i < text.length && !/[\s;=[']/.test(text[i]!)) i++;
      out.push({ text: text.slice(start, i), quoted: false });
    }
  }
  return out;
}

/** Parse the DISTANCES block (and TAXA's labels) of NEXUS text. `file` names the source in errors. */
export function parseNexusDistances(text: string, file: string): DistanceMatrix {
  const tokens = tokenize(text, file);
  const bad = (what: string): never => {
    throw new InputError(`${file}: ${what} (NEXUS DISTANCES block)`);
  };
  if ((tokens[0]?.text ?? '').toUpperCase() !== '#NEXUS') bad('the file does not start with #NEXUS');
  let k = 1;
  const word = () => (tokens[k]?.quoted ? tokens[k]!.text : (tokens[k]?.text ?? '').toUpperCase());
  const untilSemicolon = (): Token[] => {
    const start = k;
    while (k < tokens.length && !(tokens[k]!.text === ';' && !tokens[k]!.quoted)) k++;
    if (k >= tokens.length) bad('a command is missing its ";"');
    return tokens.slice(start, k++);
  };
  let taxLabels: string[] | undefined;
  let ntax: number | undefined;
  let format = DEFAULT_FORMAT;
  let matrix: DistanceMatrix | undefined;
  const takeNtax = (cmd: Token[]): void => {
    const i = cmd.findIndex((t) => t.text.toUpperCase() === 'NTAX');
    const v = Number(cmd[i + 2]?.text);
    if (i < 0 || cmd[i + 1]?.text !== '=' || !Number.isInteger(v) || v < 1) bad('DIMENSIONS needs NTAX=<count>');
    if (v > MAX_MATRIX_TAXA) bad(`NTAX=${v} is above the limit of ${MAX_MATRIX_TAXA} taxa per matrix`);
    ntax = v;
  };
  while (k < tokens.length) {
    if (word() !== 'BEGIN') {
      k++;
      continue;
    }
    k++;
    const block = word();
    k++;
    if (tokens[k]?.text === ';') k++;
    for (;;) {
      if (k >= tokens.length) bad(`block ${block} has no END;`);
      const cmd = word();
      if (cmd === 'END' || cmd === 'ENDBLOCK') {
        untilSemicolon();
        break;
      }
      const body = untilSemicolon().slice(1);
      if ((block === 'TAXA' || block === 'DISTANCES') && cmd === 'DIMENSIONS') takeNtax(body);
      else if (block === 'TAXA' && cmd === 'TAXLABELS') taxLabels = body.map((t) => t.text);
      else if (block === 'DISTANCES' && cmd === 'FORMAT') format = readFormat(body, bad);
      else if (block === 'DISTANCES' && cmd === 'MATRIX') {
        const n = ntax ?? taxLabels?.length ?? bad('no DIMENSIONS NTAX before MATRIX');
        matrix = readMatrix(body, n, format, taxLabels, file, bad);
      }
    }
  }
  if (!matrix) return bad('no DISTANCES block with a MATRIX');
  checkDistanceMatrix(matrix, file);
  return matrix;
}

/** The rows of MATRIX as the FORMAT says they are laid out (one row per taxon, not interleaved). */
function readMatrix(
  body: readonly Token[],
  n: number,
  f: Format,
  taxLabels: readonly string[] | undefined,
  file: string,
  bad: (what: string) => never,
): DistanceMatrix {
  const labels: string[] = [];
  const values = new Float64Array(n * n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    if (f.labels) {
      const l = body[t++];
      labels.push(l?.text ?? bad(`MATRIX has ${i} of ${n} rows`));
    } else labels.push(taxLabels?.[i] ?? bad('NOLABELS needs TAXLABELS in a TAXA block'));
    const from = f.triangle === 'upper' ? (f.diagonal ? i : i + 1) : 0;
    const to = f.triangle === 'lower' ? (f.diagonal ? i : i - 1) : n - 1;
    for (let j = from; j <= to; j++) {
      const cell = body[t++];
      const x = Number(cell?.text);
      if (cell === undefined || cell.quoted || !Number.isFinite(x))
        bad(`row ${i + 1} ("${labels[i]}"), column ${j + 1}: "${cell?.text ?? 'end of MATRIX'}" is not a number`);
      values[i * n + j] = x;
      if (f.triangle !== 'both') values[j * n + i] = x;
    }
  }
  if (t < body.length) bad(`text after the ${n} rows of MATRIX ("${body[t]!.text}")`);
  return { labels, values, signal: 'file', metric: file.split(/[\\/]/).pop() ?? file };
}

interface Format {
  readonly triangle: 'lower' | 'upper' | 'both';
  readonly diagonal: boolean;
  readonly labels: boolean;
}
const DEFAULT_FORMAT: Format = { triangle: 'lower', diagonal: true, labels: true };

function readFormat(body: readonly Token[], bad: (what: string) => never): Format {
  let f: { -readonly [K in keyof Format]: Format[K] } = { ...DEFAULT_FORMAT };
  for (let i = 0; i < body.length; i++) {
    const w = body[i]!.text.toUpperCase();
    const value = body[i + 1]?.text === '=' ? (body[i + 2]?.text ?? '').toUpperCase() : undefined;
    if (value !== undefined) i += 2;
    if (w === 'TRIANGLE') {
      if (value !== 'LOWER' && value !== 'UPPER' && value !== 'BOTH')
        bad(`TRIANGLE=${value}: use LOWER, UPPER or BOTH`);
      f = { ...f, triangle: value.toLowerCase() as Format['triangle'] };
    } else if (w === 'DIAGONAL') f.diagonal = true;
    else if (w === 'NODIAGONAL') f.diagonal = false;
    else if (w === 'LABELS') f.labels = value !== 'NO';
    else if (w === 'NOLABELS') f.labels = false;
    else if (w === 'INTERLEAVE') bad('INTERLEAVE matrices are not supported; write the matrix one row per taxon');
    else if (w === 'MISSING') bad('missing distances are not supported; every pair needs a distance');
  }
  return f;
}
