// The verdicts of `phylo audit equal|drift|identify --json`, read generically: a pair test ({a, b, pValue, reject}),
// per-model tests ({models: [{model, pValue, adjustedPValue, reject}]}) or an identification ({target, ranking,
// equal}); a file may hold one result or a list of them. Every string in them is untrusted (model names).
import fs from 'node:fs';
import { InputError } from '../core/errors.js';

export interface AuditRow {
  readonly subject: string;
  readonly pValue?: number;
  readonly adjustedPValue?: number;
  readonly reject?: boolean;
  readonly verdict: string;
  /** Other figures of the row (effect size, statistic...), as `name value` pairs. */
  readonly detail?: string;
}

export interface AuditSection {
  readonly file: string;
  readonly kind: 'equality' | 'per-model' | 'identify';
  readonly heading: string;
  readonly rows: readonly AuditRow[];
  readonly note?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** The p-value as a reader wants it: 3 significant digits, or "< 0.001". */
export function formatPValue(p: number | undefined): string {
  if (p === undefined) return '';
  if (p < 0.001) return '< 0.001';
  return String(Number(p.toPrecision(3)));
}

/** Numbers and short strings of a result that are not already columns, e.g. `statistic 3.2, probes 84`. */
function details(o: Json, skip: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (skip.includes(k)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) parts.push(`${k} ${Number(v.toPrecision(4))}`);
    else if (typeof v === 'string' && v.length <= 80) parts.push(`${k} ${v}`);
    else if (isObject(v) && typeof v.estimate === 'number') {
      const ci =
        Array.isArray(v.ci95) && v.ci95.length === 2
          ? ` [${v.ci95.map((x) => Number(Number(x).toPrecision(3))).join(', ')}]`
          : '';
      parts.push(`${k} ${Number(v.estimate.toPrecision(3))}${ci}`);
    }
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function level(o: Json): string {
  const alpha = num(o.alpha);
  return alpha !== undefined ? ` at level ${alpha}` : '';
}

function pairSection(file: string, o: Json): AuditSection {
  const a = str(o.a)!;
  const b = str(o.b)!;
  const reject = bool(o.reject);
  return {
    file,
    kind: 'equality',
    heading: `do ${a} and ${b} answer from the same distribution?`,
    rows: [
      {
        subject: `${a} vs ${b}`,
        pValue: num(o.pValue),
        reject,
        verdict:
          reject === undefined
            ? 'no verdict given'
            : reject
              ? `different${level(o)}`
              : `no detectable difference${level(o)}`,
        detail: details(o, ['a', 'b', 'pValue', 'reject', 'alpha']),
      },
    ],
  };
}

function perModelSection(file: string, o: Json): AuditSection {
  const rows = (o.models as unknown[]).filter(isObject).map((m): AuditRow => {
    const reject = bool(m.reject);
    return {
      subject: str(m.model) ?? '?',
      pValue: num(m.pValue),
      adjustedPValue: num(m.adjustedPValue),
      reject,
      verdict:
        reject === undefined ? 'no verdict given' : reject ? `changed${level(o)}` : `no detectable change${level(o)}`,
      detail: details(m, ['model', 'pValue', 'adjustedPValue', 'reject']),
    };
  });
  const against = [str(o.old) ?? str(o.baseline), str(o.new) ?? str(o.current)]
    .filter((x) => x !== undefined)
    .join(' -> ');
  return {
    file,
    kind: 'per-model',
    heading: `did the models change${against ? ` (${against})` : ''}?`,
    rows,
    note: [
      details(o, ['models', 'baseline', 'current', 'old', 'new']),
      ...(Array.isArray(o.skipped) ? o.skipped : [])
        .filter(isObject)
        .map((k) => `${str(k.model)} not tested: ${str(k.reason)}`),
      ...(['onlyOld', 'onlyNew'] as const).flatMap((k) =>
        Array.isArray(o[k]) && o[k].length > 0
          ? [`${k === 'onlyOld' ? 'only in the old run' : 'only in the new run'}: ${o[k].map(str).join(', ')}`]
          : [],
      ),
    ]
      .filter((x) => x !== undefined && x !== '')
      .join('; '),
  };
}

function identifySection(file: string, o: Json): AuditSection {
  const target = str(o.target) ?? '?';
  const equal = o.equal;
  // `equal` is the equality test of the target against its nearest model (phylo audit identify), or, generically, the
  // candidates consistent with the target (a list, a name) or an overall yes/no.
  const test = isObject(equal) ? equal : undefined;
  const tested = test ? [str(test.a), str(test.b)].filter((x) => x !== undefined && x !== target) : [];
  const consistent = (name: string): boolean | undefined => {
    if (test) {
      const r = bool(test.reject);
      return tested.includes(name) && r !== undefined ? !r : undefined;
    }
    return Array.isArray(equal)
      ? equal.map(str).includes(name)
      : typeof equal === 'string'
        ? equal === name
        : undefined;
  };
  const ranking = Array.isArray(o.ranking) ? o.ranking : [];
  const rows = ranking.map((entry, i): AuditRow => {
    const e: Json = isObject(entry) ? entry : { model: entry };
    const subject = str(e.model) ?? str(e.candidate) ?? str(e.name) ?? `#${i + 1}`;
    const same = consistent(subject) ?? (bool(e.reject) === undefined ? undefined : !bool(e.reject));
    const fromTest = test && tested.includes(subject);
    return {
      subject,
      pValue: fromTest ? num(test.pValue) : num(e.pValue),
      adjustedPValue: num(e.adjustedPValue),
      reject: same === undefined ? undefined : !same,
      verdict:
        same === undefined
          ? `rank ${i + 1}`
          : `rank ${i + 1}: ${same ? 'consistent with the target' : 'differs from the target'}`,
      detail: details(e, ['model', 'candidate', 'name', 'pValue', 'adjustedPValue', 'reject']),
    };
  });
  const overall =
    str(o.verdict) ??
    (typeof equal === 'boolean'
      ? equal
        ? 'the target is consistent with the top candidate'
        : 'the target matches none of the candidates'
      : Array.isArray(equal)
        ? equal.length === 0
          ? 'the target matches none of the candidates'
          : `consistent with: ${equal.map((x) => str(x) ?? '?').join(', ')}`
        : typeof equal === 'string'
          ? `identified as ${equal}`
          : undefined);
  const why = str(o.equalError);
  return {
    file,
    kind: 'identify',
    heading: `which model is ${target}?`,
    rows,
    note: [overall, why && `no equality test: ${why}`].filter((x) => x).join('; ') || undefined,
  };
}

/** One result object as a section; undefined when it has none of the known shapes. */
export function auditSection(file: string, o: unknown): AuditSection | undefined {
  if (!isObject(o)) return undefined;
  if (str(o.a) !== undefined && str(o.b) !== undefined && ('pValue' in o || 'reject' in o)) return pairSection(file, o);
  if (Array.isArray(o.models) && o.models.some((m) => isObject(m) && 'model' in m)) return perModelSection(file, o);
  if ('target' in o && Array.isArray(o.ranking)) return identifySection(file, o);
  return undefined;
}

/** Every result in an audit JSON file; an InputError naming the file when it holds none. */
export function readAuditFile(file: string): AuditSection[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError(`--audit ${file}: cannot read it as JSON (${why}); give the output of phylo audit ... --json`);
  }
  const items = Array.isArray(parsed)
    ? parsed
    : isObject(parsed) && Array.isArray(parsed.results)
      ? parsed.results
      : [parsed];
  const sections = items.map((item) => auditSection(file, item));
  if (sections.length === 0 || sections.some((s) => s === undefined))
    throw new InputError(
      `--audit ${file}: not a result of phylo audit --json (expected {a, b, pValue, reject}, ` +
        '{models: [{model, pValue, ...}]} or {target, ranking, equal})',
    );
  return sections as AuditSection[];
}
