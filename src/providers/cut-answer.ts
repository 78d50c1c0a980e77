// An answer over the byte cap (profile maxAnswerBytes, keepalive-fetch.ts) is kept, cut, rather than lost or read in
// full: the text is recovered from the first bytes of the JSON body (the answer's string up to where it was cut) and
// the Completion says it was cut (finish reason `truncated`, a note with the limit).
import type { Completion } from '../core/types.js';
import { AnswerTooLargeError } from './keepalive-fetch.js';

/** Default cap on one answer's response body: 1 MiB. */
export const DEFAULT_MAX_ANSWER_BYTES = 1_048_576;
export const TRUNCATED_FINISH = 'truncated';

/** The JSON keys that hold the answer: `content` (chat), `text` (completions, Anthropic), `response` (Ollama). */
export type AnswerKey = 'content' | 'text' | 'response';
const DEFAULT_KEYS: readonly AnswerKey[] = ['content', 'text'];

/** The first answer string of a cut JSON body: the string value of the first of `keys` met. */
export function answerPrefix(partialJson: string, keys: readonly AnswerKey[] = DEFAULT_KEYS): string {
  const m = new RegExp(`"(?:${keys.join('|')})"\\s*:\\s*"`).exec(partialJson);
  if (!m) return '';
  let body = partialJson.slice(m.index + m[0].length);
  // The string may have closed before the cut (a long other field): stop at its first unescaped quote.
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === '"') {
      body = body.slice(0, i);
      break;
    }
  }
  // A cut inside an escape (`\`, `\u12`) leaves an unparseable tail: drop it.
  body = body.replace(/\\(?:u[0-9a-fA-F]{0,3})?$/, '');
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return '';
  }
}

/** The Completion of a cut answer. */
export function cutCompletion(
  err: AnswerTooLargeError,
  temperatureUsed: number,
  keys: readonly AnswerKey[] = DEFAULT_KEYS,
): Completion {
  return {
    text: answerPrefix(err.partial, keys),
    finishReason: TRUNCATED_FINISH,
    usage: { inputTokens: 0, outputTokens: 0 },
    temperatureUsed,
    note: `answer cut at ${err.limit} bytes (the profile's maxAnswerBytes); usage unknown`,
  };
}

/** An answer, or its cut Completion when the body was over the cap; any other failure passes through. */
export async function keepCutAnswer(
  answer: Promise<Completion>,
  temperature: number | undefined,
  keys: readonly AnswerKey[] = DEFAULT_KEYS,
): Promise<Completion> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof AnswerTooLargeError) return cutCompletion(err, temperature ?? Number.NaN, keys);
    throw err;
  }
}
