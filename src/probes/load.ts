// Load a probe suite from YAML or JSON, validate it (schema.ts) and convert it to the `Suite` of src/core/types.ts.
// Every problem becomes one InputError line naming the file, the probe (id, or its position when the id is missing)
// and the field, e.g. `probes/core.yaml: probe "arith-3": answer.regex: invalid regular expression`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { formatByteLimit, stripBom } from '../core/text-file.js';
import { probeId } from '../core/refs.js';
import type { Answer, ChatMessage, Probe, SamplingParams, Suite } from '../core/types.js';
import { suiteSchema, type AnswerFile, type ProbeFile, type SuiteFile } from './schema.js';

const SUITE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;
const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Suite files above this are refused unread: the YAML parser takes ~60x a file's size in memory. */
export const MAX_SUITE_BYTES = 4 * 1024 * 1024;
/** YAML aliases a suite may use: enough for shared message lists, far too few for an alias bomb. */
export const MAX_SUITE_ALIASES = 100;
export const SUITE_LIMITS_HELP =
  `Limits: a suite file of at most ${formatByteLimit(MAX_SUITE_BYTES)} and ${MAX_SUITE_ALIASES} YAML aliases ` +
  '(split larger suites); a leading byte-order mark is accepted.';

/** The built-in suites: `probes/` at the repo root, two levels above this module in src/probes/ and dist/probes/. */
export function suitesDir(): string {
  return fileURLToPath(new URL('../../probes/', import.meta.url));
}

/** Load a suite by bare name (`core` -> probes/core.yaml) or by path to a .yaml/.yml/.json file. */
export function loadSuite(nameOrPath: string): Suite {
  const file = resolveSuiteFile(nameOrPath);
  let text: string;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    const cached = loaded.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.suite;
    if (stat.size > MAX_SUITE_BYTES)
      throw new InputError(
        `${displayPath(file)}: suite file of ${stat.size} bytes is above the ${formatByteLimit(MAX_SUITE_BYTES)} ` +
          'limit; split it into several suites',
      );
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      `${displayPath(file)}: cannot read suite file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const suite = parseSuite(text, file);
  loaded.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, suite });
  return suite;
}

// Parsed suites by absolute path: YAML parsing dominates load time (see `npm run bench -- probes`) and the TUI and
// `listSuites` ask again and again. A changed file (mtime or size) is parsed anew. Suites are immutable, so shared.
const loaded = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly suite: Suite }>();

export interface SuiteListing {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly probes: number;
  readonly tags: readonly string[];
  readonly file: string;
}

/** Every suite file in `dir` (default: the built-in suites), loaded and summarised, sorted by name. */
export function listSuites(dir: string = suitesDir()): SuiteListing[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => SUITE_EXTENSIONS.some((ext) => f.endsWith(ext)))
    .sort()
    .map((f) => {
      const suite = loadSuite(path.join(dir, f));
      return {
        name: suite.name,
        version: suite.version,
        description: suite.description,
        probes: suite.probes.length,
        tags: [...new Set(suite.probes.flatMap((p) => p.tags))].sort(),
        file: suite.file ?? path.join(dir, f),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Parse and validate suite text; `file` names it in errors and picks the parser (.json is JSON, else YAML). */
export function parseSuite(input: string, file: string): Suite {
  const shown = displayPath(file);
  const text = stripBom(input);
  let data: unknown;
  if (file.endsWith('.json')) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new InputError(`${shown}: invalid JSON: ${(err as Error).message.split('\n')[0]}`);
    }
  } else {
    try {
      data = parseYaml(text, { maxAliasCount: MAX_SUITE_ALIASES });
    } catch (err) {
      if (err instanceof YAMLParseError) throw new InputError(yamlErrorLine(shown, text, err));
      // The yaml library throws a plain ReferenceError for an alias bomb (and for an alias to no anchor).
      if (err instanceof ReferenceError)
        throw new InputError(
          `${shown}: invalid YAML: ${err.message} (at most ${MAX_SUITE_ALIASES} aliases; write the repeated text out)`,
        );
      throw err;
    }
  }
  return suiteFromData(data, file);
}

/** Validate already-parsed data (a YAML/JSON document) and convert it. */
export function suiteFromData(data: unknown, file: string): Suite {
  const shown = displayPath(file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${shown}: expected a mapping with name, version, description, defaults and probes`);
  }
  const parsed = suiteSchema.safeParse(data);
  if (!parsed.success) throw new InputError(issueLine(shown, data, parsed.error.issues));
  return toSuite(parsed.data, path.resolve(file));
}

function toSuite(s: SuiteFile, file: string): Suite {
  const sampling: SamplingParams = {
    temperature: s.defaults.temperature,
    maxTokens: s.defaults.max_tokens,
    ...(s.defaults.top_p !== undefined ? { topP: s.defaults.top_p } : {}),
    ...(s.defaults.seed !== undefined ? { seed: s.defaults.seed } : {}),
  };
  return {
    name: s.name,
    version: s.version,
    description: s.description.trim(),
    file,
    defaults: { sampling, samples: s.defaults.samples },
    probes: s.probes.map(toProbe),
  };
}

function toProbe(p: ProbeFile): Probe {
  const sampling: Probe['sampling'] = {
    ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p.max_tokens !== undefined ? { maxTokens: p.max_tokens } : {}),
    ...(p.top_p !== undefined ? { topP: p.top_p } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
  };
  return {
    id: probeId(p.id),
    tags: [...new Set(p.tags)],
    prompt:
      p.messages !== undefined
        ? { kind: 'chat', messages: p.messages.map((m): ChatMessage => ({ role: m.role, content: m.content })) }
        : { kind: 'prefix', prefix: p.prefix! },
    ...(Object.keys(sampling).length > 0 ? { sampling } : {}),
    ...(p.samples !== undefined ? { samples: p.samples } : {}),
    ...(p.answer !== undefined ? { answer: toAnswer(p.answer) } : {}),
  };
}

function toAnswer(a: AnswerFile): Answer {
  if (a.exact !== undefined) return { kind: 'exact', value: String(a.exact) };
  if (a.regex !== undefined) return { kind: 'regex', pattern: a.regex, ...(a.flags ? { flags: a.flags } : {}) };
  return { kind: 'oneOf', values: a.one_of!.map(String) };
}

function resolveSuiteFile(nameOrPath: string): string {
  const looksLikePath = /[\\/]/.test(nameOrPath) || SUITE_EXTENSIONS.some((ext) => nameOrPath.endsWith(ext));
  if (looksLikePath) {
    const file = path.resolve(nameOrPath);
    if (!fs.existsSync(file)) throw new InputError(`suite file ${displayPath(file)}: not found`);
    return file;
  }
  if (!BARE_NAME.test(nameOrPath)) {
    throw new InputError(
      `suite "${nameOrPath}": give a built-in suite name (e.g. core) or a path to a .yaml/.json file`,
    );
  }
  const dir = suitesDir();
  for (const ext of SUITE_EXTENSIONS) {
    const file = path.join(dir, nameOrPath + ext);
    if (fs.existsSync(file)) return file;
  }
  const known = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => SUITE_EXTENSIONS.some((ext) => f.endsWith(ext)))
        .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
        .sort()
    : [];
  throw new InputError(
    `suite "${nameOrPath}": not found (built-in suites: ${known.join(', ') || 'none'}; or give a path to a ` +
      `.yaml/.json file)`,
  );
}

/** A path as the user would type it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

// ---- error lines -------------------------------------------------------------------------------------------------

const ALLOWED_FIELDS: Record<string, string> = {
  suite: 'name, version, description, defaults, probes',
  defaults: 'temperature, max_tokens, samples, top_p, seed',
  probe: 'id, tags, messages, prefix, temperature, max_tokens, samples, top_p, seed, answer',
  message: 'role, content',
  answer: 'exact, regex, flags, one_of',
};

function issueLine(shown: string, data: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  let where: string[] = [];
  let fieldPath = issue.path.slice();
  if (fieldPath[0] === 'probes' && typeof fieldPath[1] === 'number') {
    const index = fieldPath[1];
    const id = valueAt(data, ['probes', index, 'id']);
    where = [typeof id === 'string' && id !== '' ? `probe "${id}"` : `probe #${index + 1} (no id)`];
    fieldPath = fieldPath.slice(2);
  }
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    message = `unknown field (allowed: ${ALLOWED_FIELDS[contextOf(issue.path)]})`;
    fieldPath = [...fieldPath, key];
  } else if (issue.code === 'invalid_type') {
    const raw = valueAt(data, issue.path);
    message = raw === undefined ? 'missing' : `expected ${issue.expected}, got ${describe(raw)}`;
    if (issue.expected === 'string' && typeof raw === 'number') message += ' (put the value in quotes)';
  } else if (issue.code === 'invalid_union') {
    const raw = valueAt(data, issue.path);
    message = raw === undefined ? 'missing' : `expected a string or number, got ${describe(raw)}`;
  } else if (issue.code === 'too_big' || issue.code === 'too_small') {
    message = boundLine(issue, valueAt(data, issue.path));
  } else if (issue.code === 'invalid_value') {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    message = `expected one of ${allowed}, got ${describe(valueAt(data, issue.path))}`;
  }
  const field = formatField(fieldPath);
  return [shown, ...where, ...(field ? [field] : []), message + more].join(': ');
}

function boundLine(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, raw: unknown): string {
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum);
  if (issue.origin === 'number') {
    const op = big ? (issue.inclusive ? 'at most' : 'below') : issue.inclusive ? 'at least' : 'above';
    return `must be ${op} ${limit}, got ${describe(raw)}`;
  }
  if (!big && limit === 1) return 'must not be empty';
  return `must have ${big ? 'at most' : 'at least'} ${limit} ${issue.origin === 'string' ? 'characters' : 'items'}`;
}

/** Which object an unknown key sits in, from its path: suite, defaults, probe, message or answer. */
function contextOf(p: readonly PropertyKey[]): string {
  if (p.length === 0) return 'suite';
  if (p[0] === 'defaults') return 'defaults';
  const last = p[p.length - 1];
  if (p.length === 2) return 'probe';
  if (last === 'answer') return 'answer';
  return 'message';
}

function formatField(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out;
}

function valueAt(data: unknown, p: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 37)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}

/** One line for a YAML syntax error, naming the nearest probe id above the error when there is one. */
function yamlErrorLine(shown: string, text: string, err: YAMLParseError): string {
  const pos = err.linePos?.[0];
  const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (!pos) return `${shown}: invalid YAML: ${reason}`;
  const lines = text.split(/\r?\n/).slice(0, pos.line);
  let near = '';
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\s*(?:-\s+)?id:\s*["']?([^"'#\s]+)/.exec(lines[i]!);
    if (m) {
      near = `near probe "${m[1]}": `;
      break;
    }
  }
  return `${shown}: ${near}line ${pos.line}, column ${pos.col}: invalid YAML: ${reason}`;
}
