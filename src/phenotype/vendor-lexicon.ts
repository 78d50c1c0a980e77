// Self-identification: which vendor or model a response claims to be. A small lexicon of names a model uses for
// itself, matched only in first-person claims ("I am ChatGPT", "I'm Claude, made by Anthropic", "as a language model
// trained by Google"), so that an answer *about* OpenAI does not count as a claim.

/** Vendors in a fixed order: the trait's value is the index + 1 (0 = no claim). */
export const VENDORS = [
  { vendor: 'openai', names: ['openai', 'chatgpt', 'gpt-4', 'gpt-3.5', 'gpt-4o', 'gpt'] },
  { vendor: 'anthropic', names: ['anthropic', 'claude'] },
  { vendor: 'meta', names: ['meta ai', 'meta', 'llama', 'facebook'] },
  { vendor: 'google', names: ['google', 'deepmind', 'gemini', 'gemma', 'bard', 'palm'] },
  { vendor: 'mistral', names: ['mistral ai', 'mistral', 'mixtral'] },
  { vendor: 'alibaba', names: ['alibaba', 'qwen', 'tongyi'] },
  { vendor: 'microsoft', names: ['microsoft', 'phi'] },
  { vendor: '01ai', names: ['01.ai', '01 ai', 'yi'] },
  { vendor: 'tii', names: ['technology innovation institute', 'falcon'] },
  { vendor: 'lmsys', names: ['lmsys', 'vicuna'] },
  { vendor: 'allenai', names: ['allen institute', 'ai2', 'tulu'] },
  { vendor: 'deepseek', names: ['deepseek'] },
] as const;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAMES = VENDORS.flatMap((v, i) => v.names.map((name) => ({ name, index: i })));
// Longest names first so "mistral ai" wins over "mistral" and "gpt-4o" over "gpt".
NAMES.sort((a, b) => b.name.length - a.name.length);
const NAME_ALT = NAMES.map((n) => escapeRegExp(n.name)).join('|');
// "I am X", "I'm X", "my name is X", "I was (created|trained|developed|made|built) by X", "as X, ..." within a clause.
const CLAIM = new RegExp(
  String.raw`(?:\bi am|\bi'm|\bi’m|\bmy name is|\bi was (?:created|trained|developed|made|built)(?: by)?|` +
    String.raw`\bas an? (?:ai|language model|assistant)[^.\n]{0,40}?(?:by|from|of)|` +
    String.raw`\bcreated by|\btrained by|\bdeveloped by)[^.\n]{0,60}?\b(${NAME_ALT})\b`,
  'i',
);

/** The vendor index + 1 of the first first-person claim in `text`, or 0 when the text claims none. */
export function selfIdentification(text: string): number {
  const m = CLAIM.exec(text);
  if (!m) return 0;
  const name = m[1]!.toLowerCase();
  return NAMES.find((n) => n.name === name)!.index + 1;
}
