// Is a response correct? The phenotype uses this as the correctness trait of probes that have an `answer`.
//
// The rules, exactly (model output is untrusted and verbose, so the check looks for the answer the way a grader
// would, not for byte equality):
//
// Every kind first drops reasoning blocks (`<think>...</think>`; an unclosed `<think>` drops the rest: no answer was
// given), turns CRLF into LF and trims.
//
// regex: the pattern, with the probe's flags, is tested (RegExp.test, unanchored unless the pattern anchors itself)
//   against that text, with no other change: format checks (all caps, JSON only, N words) need the text as written.
//
// exact and one_of (one_of passes when any of its values passes exact) compare *folded* text: Unicode NFKC (full-width
// digits become ASCII), lower case, markdown emphasis and code marks (* _ `) and `\boxed{}` removed, whitespace runs
// made one space, surrounding quotes and trailing punctuation (. ! ? , ; : and their CJK forms) stripped. Then:
//   1. the whole folded response equals the folded answer: pass;
//   2. else, when the response states a final answer (the last line part after "answer is", "answer:", "final answer",
//      or the same in French, German, Spanish, Chinese, Japanese), only that part counts:
//      a numeric answer passes when its first number (or, after an "=", its last number) equals the answer;
//      a text answer passes when it occurs in that part as a whole word;
//   3. else, a numeric answer passes when the first or the last number in the response equals it (a restated
//      result or a closing result; GSM8K-style graders use the last number);
//      a text answer passes when it occurs anywhere in the response as a whole word or phrase.
// Numbers compare by value: "1,000" = "1000", "3.50" = "3.5". For a numeric answer, English number words from zero
// to ninety-nine ("two", "twenty-five") count as numbers too: many correct replies spell small numbers out.
// "Whole word" means no letter or digit right before or after the match; for Chinese, Japanese, Korean and Thai,
// which do not separate words by spaces, a match at a CJK/Thai edge needs no boundary.
import vm from 'node:vm';
import type { Answer } from '../core/types.js';

/** Longest response text a regex answer is tested on: bounds the cost of a pathological pattern. */
const MAX_REGEX_INPUT = 100_000;
/**
 * The longest one regex answer check may run. A suite's pattern with nested quantifiers backtracks exponentially on
 * a crafted answer (`--signal traits` ran over 60 s); V8 interrupts a regex at a vm timeout, so the check is run
 * there (about 65 us of overhead a check) and a check that runs out of time counts as no match.
 */
export const REGEX_CHECK_TIMEOUT_MS = 50;
const regexRealm = vm.createContext({ re: /$^/, text: '' });
const regexTest = new vm.Script('re.test(text)');

/** RegExp.test bounded by REGEX_CHECK_TIMEOUT_MS; undefined when it ran out of time. */
export function boundedRegexTest(re: RegExp, text: string): boolean | undefined {
  regexRealm.re = re;
  regexRealm.text = text;
  try {
    return regexTest.runInContext(regexRealm, { timeout: REGEX_CHECK_TIMEOUT_MS }) as boolean;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return undefined;
    throw err;
  } finally {
    regexRealm.text = '';
  }
}

export function checkAnswer(answer: Answer, text: string): boolean {
  const response = stripReasoning(text);
  switch (answer.kind) {
    case 'regex':
      return (
        boundedRegexTest(compiled(answer.pattern, answer.flags ?? ''), response.slice(0, MAX_REGEX_INPUT)) === true
      );
    case 'exact':
      return matchesExpected(answer.value, new PreparedResponse(response));
    case 'oneOf': {
      const prepared = new PreparedResponse(response);
      return answer.values.some((v) => matchesExpected(v, prepared));
    }
  }
}

/** Drop `<think>` blocks that reasoning models put before the answer; normalise line ends; trim. */
export function stripReasoning(text: string): string {
  let out = text.replace(/\r\n?/g, '\n').replace(/<think>[\s\S]*?<\/think>/gi, '');
  const open = out.search(/<think>/i);
  if (open >= 0) out = out.slice(0, open);
  return out.trim();
}

/** Folding used by exact and one_of; see the comment at the top of this file. */
export function foldAnswerText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\\boxed\{([^{}]*)\}/g, '$1')
      .replace(/[*_`]+/g, '')
      // Only runs that are not already one plain space: replacing every space makes this the slowest step.
      .replace(/\s\s+|[^\S ]/g, ' ')
      .trim()
      .replace(/^["'“”‘’«»「」『』]+|["'“”‘’«»「」『』]+$/g, '')
      .replace(/[.!?,;:。！？，；：、]+$/u, '')
      .trim()
  );
}

const NUMERIC = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
// A number not glued to a preceding letter: the 2 of "cm2" (NFKC of cm²) or "CO2" is not a number of the reply.
const NUMBER_IN_TEXT = /(?<![\p{L}\d])[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?/gu;
// "answer is X", "answer: X", "final answer X"; and the French, German, Spanish, Chinese and Japanese forms.
const FINAL_ANSWER = new RegExp(
  String.raw`(?:(?<!\p{L})(?:final answer|answer|réponse|antwort|respuesta)|答案|答え|回答)` +
    String.raw`(?:\s+(?:is|est|ist|es)\s*[:：]?|\s*[:：=]|\s*(?:は|是|为|為)\s*[:：]?)\s*([^\n]+)`,
  'giu',
);
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** What exact and one_of compare against, computed once per response (numbers only when a numeric answer asks). */
class PreparedResponse {
  readonly folded: string;
  readonly stated: string | undefined;
  private numbersCache?: number[];
  private statedCache?: number | undefined;
  private statedDone = false;

  constructor(response: string) {
    this.folded = foldAnswerText(response);
    this.stated = finalAnswer(response);
  }

  /** Every number in the folded reply, in order. */
  numbers(): number[] {
    this.numbersCache ??= numbersIn(this.folded);
    return this.numbersCache;
  }

  /** The number of the stated final answer: its first number, or after an "=", its last. */
  statedNumber(): number | undefined {
    if (!this.statedDone && this.stated !== undefined) {
      const eq = this.stated.lastIndexOf('=');
      const nums = numbersIn(eq >= 0 ? this.stated.slice(eq) : this.stated);
      this.statedCache = eq >= 0 ? nums[nums.length - 1] : nums[0];
    }
    this.statedDone = true;
    return this.statedCache;
  }
}

function matchesExpected(expected: string, r: PreparedResponse): boolean {
  const want = foldAnswerText(expected);
  if (want === '') return false;
  if (r.folded === want) return true;
  const numeric = NUMERIC.test(want);
  if (r.stated !== undefined) {
    if (numeric) {
      const pick = r.statedNumber();
      return pick !== undefined && sameNumber(pick, toNumber(want));
    }
    return wholeWordRegex(want).test(r.stated);
  }
  if (numeric) {
    const nums = r.numbers();
    const value = toNumber(want);
    return nums.length > 0 && (sameNumber(nums[0]!, value) || sameNumber(nums[nums.length - 1]!, value));
  }
  return wholeWordRegex(want).test(r.folded);
}

/** The folded text after the last "answer is" / "answer:" marker in the response, if any. */
function finalAnswer(response: string): string | undefined {
  const text = response
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\\boxed\{([^{}]*)\}/g, '$1');
  let last: string | undefined;
  for (const m of text.matchAll(FINAL_ANSWER)) last = m[1];
  if (last === undefined) return undefined;
  const folded = foldAnswerText(last);
  return folded === '' ? undefined : folded;
}

function numbersIn(text: string): number[] {
  return [...spellNumbers(text).matchAll(NUMBER_IN_TEXT)].map((m) => toNumber(m[0]));
}

const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const NUMBER_WORD = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(${TENS.slice(2).join('|')})(?:[- ` +
    `](${UNITS.slice(1, 10).join('|')}))?|(${UNITS.join('|')}))(?![\\p{L}\\p{N}])`,
  'gu',
);

/** English number words (zero to ninety-nine) as digits, so "two horses" reads as 2. Input is folded (lower case). */
function spellNumbers(text: string): string {
  return text.replace(
    NUMBER_WORD,
    (_m, tens: string | undefined, unit: string | undefined, small: string | undefined) =>
      String(
        small !== undefined
          ? UNITS.indexOf(small)
          : TENS.indexOf(tens!) * 10 + (unit !== undefined ? UNITS.indexOf(unit) : 0),
      ),
  );
}

function toNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const wordRegexCache = new Map<string, RegExp>();

function wholeWordRegex(folded: string): RegExp {
  let re = wordRegexCache.get(folded);
  if (re === undefined) {
    re = buildWholeWordRegex(folded);
    if (wordRegexCache.size > 10_000) wordRegexCache.clear();
    wordRegexCache.set(folded, re);
  }
  return re;
}

function buildWholeWordRegex(folded: string): RegExp {
  const body = folded
    .split(' ')
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const first = folded[0]!;
  const last = folded[folded.length - 1]!;
  const before = UNSPACED_SCRIPT.test(first) ? '' : '(?<![\\p{L}\\p{N}])';
  const after = UNSPACED_SCRIPT.test(last) ? '' : '(?![\\p{L}\\p{N}])';
  return new RegExp(before + body + after, 'u');
}

const regexCache = new Map<string, RegExp>();

function compiled(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    // The loader has checked the pattern compiles; `g` and `y` are refused there, so test() keeps no state.
    re = new RegExp(pattern, flags.replace(/[gy]/g, ''));
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}
