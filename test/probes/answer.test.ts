import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/core/types.js';
import { checkAnswer, foldAnswerText, stripReasoning } from '../../src/probes/answer.js';
import { loadSuite } from '../../src/probes/load.js';

const ALPACA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/alpaca_eval');

interface Output {
  readonly instruction: string;
  readonly output: string;
}

function outputsFor(instruction: string): Map<string, string> {
  const byModel = new Map<string, string>();
  for (const model of fs.readdirSync(ALPACA)) {
    const file = path.join(ALPACA, model, 'model_outputs.json');
    if (!fs.existsSync(file)) continue;
    const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as Output[];
    const row = rows.find((r) => r.instruction === instruction);
    if (row) byModel.set(model, row.output);
  }
  return byModel;
}

// Real responses of 38 models (AlpacaEval) to four questions with one right answer. The models listed as wrong were
// judged by reading each response in full; every other model answered correctly.
const REAL: { instruction: string; answer: Answer; wrong: string[] }[] = [
  {
    instruction: 'What is the capital of Australia?',
    answer: { kind: 'exact', value: 'Canberra' },
    wrong: ['phi-2'], // repeats the question
  },
  {
    instruction: 'Suppose I have 12 eggs. I drop 2 and eat 5. How many eggs do I have left?',
    answer: { kind: 'exact', value: '5' },
    wrong: [
      'Mistral-7B-Instruct-v0.2',
      'falcon-7b-instruct',
      'gemma-2b-it',
      'gpt-4o-mini-2024-07-18',
      'phi-2',
      'phi-2-dpo',
      'phi-2-sft',
      'vicuna-7b-v1.5',
      'zephyr-7b-beta',
    ],
  },
  {
    instruction: 'Solve for x in the equation 3x + 10 = 5(x - 2).',
    answer: { kind: 'exact', value: '10' },
    wrong: [
      'Mistral-7B-Instruct-v0.2',
      'Yi-34B-Chat',
      'falcon-40b-instruct',
      'falcon-7b-instruct',
      'gemma-2b-it',
      'gemma-7b-it',
      'gpt4_1106_preview',
      'llama-2-13b-chat-hf',
      'llama-2-70b-chat-hf',
      'llama-2-7b-chat-hf',
      'phi-2',
      'tulu-2-dpo-13b',
      'tulu-2-dpo-70b',
      'tulu-2-dpo-7b',
      'vicuna-13b-v1.5',
      'vicuna-7b-v1.5',
    ],
  },
  {
    instruction:
      '“One One was a race horse Two Two was one too. One One won one race. Two Two won one too.” How many horses are in this story?',
    answer: { kind: 'exact', value: '2' },
    wrong: [
      'falcon-40b-instruct',
      'falcon-7b-instruct',
      'gemma-2b-it',
      'llama-2-13b-chat-hf',
      'llama-2-70b-chat-hf',
      'phi-2-sft',
    ],
  },
];

describe('checkAnswer on real model responses (AlpacaEval)', () => {
  for (const { instruction, answer, wrong } of REAL) {
    it(`agrees with a human reading: ${instruction.slice(0, 50)}`, () => {
      const outputs = outputsFor(instruction);
      expect(outputs.size).toBeGreaterThanOrEqual(38);
      const disagreements: string[] = [];
      for (const [model, text] of outputs) {
        const expected = !wrong.includes(model);
        if (checkAnswer(answer, text) !== expected) disagreements.push(`${model}: expected ${expected}`);
      }
      expect(disagreements).toEqual([]);
    });
  }
});

// A plausible right reply and a plausible wrong one for every probe of the core suite that has an answer: the
// suite's answers and checkAnswer must agree with what a grader would say.
const CORE_REPLIES: Record<string, [right: string, wrong: string]> = {
  'know-capital-australia': ['The capital of Australia is Canberra.', 'The capital of Australia is Sydney.'],
  'know-capital-canada': ['Ottawa is the capital of Canada.', 'Toronto.'],
  'know-gold-symbol': ["Gold's chemical symbol is **Au** (from Latin *aurum*).", 'The symbol for gold is Ag.'],
  'know-berlin-wall': ['The Berlin Wall fell on November 9, 1989.', 'It fell in 1991.'],
  'know-apollo-11': [
    'Apollo 11 landed in 1969, and Neil Armstrong stepped out on July 20.',
    'The first crewed landing was in 1972.',
  ],
  'know-water-boiling-f': ['Water boils at 212 °F (100 °C) at sea level.', 'At 100 degrees Fahrenheit.'],
  'know-pride-prejudice': [
    'Pride and Prejudice was written by Jane Austen, published in 1813.',
    'Charlotte Brontë wrote it.',
  ],
  'know-largest-ocean': ['The Pacific Ocean is the largest.', 'The Atlantic Ocean.'],
  'know-adult-bones': ['An adult human skeleton typically has 206 bones.', 'About 300 bones.'],
  'know-atomic-number-6': ['Carbon (C) has atomic number 6.', 'Oxygen has atomic number 6.'],
  'know-photosynthesis-gas': ['Plants absorb carbon dioxide (CO₂) from the air.', 'They take in oxygen.'],
  'know-mona-lisa': ['Leonardo da Vinci painted the Mona Lisa.', 'Michelangelo painted it.'],
  'know-speed-of-light': ['About 299,792 km per second.', 'Roughly 150,000 km/s.'],
  'reason-multiply': ['17 × 23 = 391', '17 × 23 = 381'],
  'reason-pencils': ['Each pencil costs $0.40, so 10 pencils cost $4.00.', 'Ten pencils cost $3.60.'],
  'reason-train-arrival': ['It arrives at 17:15.', 'It arrives at 16:75, I mean 17:05.'],
  'reason-stamps': ['Leo has 12 and Maria has 3 × 12 = 36 stamps.', 'Maria has 16 stamps.'],
  'reason-percent': ['15% of 260 is 39.', 'It is 36.'],
  'reason-printers': [
    'Each printer makes one poster in six minutes, so ten printers need 6 minutes.',
    'Five printers take six minutes, so ten printers need 12 minutes.',
  ],
  'reason-notebook-pen': ['The pen costs 10 cents.', 'The pen costs 20 cents.'],
  'reason-sequence': [
    'The differences grow by 2 (4, 6, 8, 10, 12), so the next number is 42.',
    'The next number is 40.',
  ],
  'reason-shortest': ['Joe is the shortest.', 'Sam is the shortest.'],
  'reason-rectangle': ['Width 5 cm, length 10 cm, so the area is 50 cm².', 'The area is 56 cm².'],
  'reason-days-inclusive': ['There are 18 days.', 'There are 17 days.'],
  'reason-weekday': ['100 = 14 × 7 + 2, so it will be a Friday.', 'It will be a Thursday.'],
  'instr-five-words': ['Vast, deep, blue, restless, ancient.', 'The ocean is vast, deep and full of life.'],
  'instr-json-keys': ['{"name": "Mira Okafor", "age": 34}', 'Here you go: {"name": "Mira", "age": 34}'],
  'instr-all-caps': ['THE LEAVES TURN GOLD AND FALL SOFTLY IN AUTUMN.', 'The leaves turn gold in autumn.'],
  'instr-numbered-three': ['1. Apple\n2. Mango\n3. Pear', 'Here are three fruits:\n1. Apple\n2. Mango\n3. Pear'],
  'instr-one-word-color': ['Blue.', 'The sky is blue.'],
  'instr-backwards': ['nretnal', 'The word backwards is nretnal.'],
  'instr-number-only': ['7', 'I pick 7.'],
  'instr-no-letter-e': ['Drops fall all day. A cold wind blows through town.', 'Rain falls on the street.'],
  'instr-comma-line': ['red, yellow, blue', 'Red, yellow, blue'],
  'instr-start-certainly': [
    'Certainly! Chlorophyll breaks down in autumn, revealing yellow and orange pigments already in the leaves.',
    'Leaves change colour because chlorophyll breaks down.',
  ],
  'code-palindrome-python': [
    '```python\ndef is_palindrome(s):\n    t = [c.lower() for c in s if c.isalpha()]\n    return t == t[::-1]\n```',
    'You can compare the string with its reverse.',
  ],
  'code-parseint-map': ['It prints [1, NaN, NaN], because map passes the index as the radix.', 'It prints [1, 2, 3].'],
  'code-float-equality': ['It prints False, because 0.1 + 0.2 is 0.30000000000000004.', 'It prints True.'],
  'code-find-bug-average': [
    'The loop skips the first element. Use `for i in range(len(xs)):` or simply `sum(xs) / len(xs)`.',
    'The function is correct.',
  ],
  'code-sql-top-customers': [
    'SELECT c.name, SUM(o.amount) AS total FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name ORDER BY total DESC LIMIT 5;',
    'SELECT name FROM customers ORDER BY name;',
  ],
  'code-bash-count-lines': ['cat *.txt | wc -l', 'ls *.txt'],
  'code-rust-reverse': [
    'fn reverse(s: &str) -> String {\n    s.chars().rev().collect()\n}',
    'Use .chars().rev().collect::<String>().',
  ],
  'lang-fr-capital': ['Rome.', 'Milan.'],
  'lang-de-minutes': ['1440', 'Ein Tag hat 24 Stunden.'],
  'lang-es-planet': ['El planeta más grande del sistema solar es Júpiter.', 'Es Saturno.'],
  'lang-zh-capital': ['中国的首都是北京。', '中国的首都是上海。'],
  'lang-ja-mountain': ['日本で一番高い山は富士山です。', '日本で一番高い山は北岳です。'],
  'lang-ar-capital': ['عاصمة مصر هي القاهرة.', 'عاصمة مصر هي الإسكندرية.'],
  'lang-hi-capital': ['भारत की राजधानी नई दिल्ली है।', 'भारत की राजधानी मुंबई है।'],
  'lang-ru-multiply': ['Семь умножить на восемь будет 56.', '54'],
};

describe('checkAnswer on the answers of the core suite', () => {
  const answered = loadSuite('core').probes.filter((p) => p.answer !== undefined);

  it('has a right and a wrong reply written for every answered probe', () => {
    expect(answered.map((p) => p.id).sort()).toEqual(Object.keys(CORE_REPLIES).sort());
  });

  for (const probe of answered) {
    it(`${probe.id}: accepts the right reply, rejects the wrong one`, () => {
      const [right, wrong] = CORE_REPLIES[probe.id]!;
      expect(checkAnswer(probe.answer!, right)).toBe(true);
      expect(checkAnswer(probe.answer!, wrong)).toBe(false);
    });
  }
});

describe('normalisation rules', () => {
  const exact = (value: string): Answer => ({ kind: 'exact', value });

  it('folds case, markdown, quotes, trailing punctuation and full-width characters', () => {
    expect(foldAnswerText('  **"Paris."**  ')).toBe('paris');
    expect(checkAnswer(exact('Paris'), '`PARIS`')).toBe(true);
    expect(checkAnswer(exact('42'), '４２')).toBe(true);
    expect(checkAnswer(exact('42'), '\\boxed{42}')).toBe(true);
  });

  it('needs whole words in spaced scripts, not in Chinese or Japanese', () => {
    expect(checkAnswer(exact('Rome'), 'Romeo and Juliet is set in Verona.')).toBe(false);
    expect(checkAnswer(exact('cat'), 'I like concatenation.')).toBe(false);
    expect(checkAnswer(exact('New York'), 'It is in new\nyork city.')).toBe(true);
    expect(checkAnswer(exact('東京'), '日本の首都は東京です。')).toBe(true);
  });

  it('takes a stated final answer over numbers and words elsewhere', () => {
    expect(checkAnswer(exact('12'), 'Is it 12? No. The answer is 14.')).toBe(false);
    expect(checkAnswer(exact('14'), 'Is it 12? No. The answer is 14.')).toBe(true);
    expect(checkAnswer(exact('Lyon'), 'Paris is big, but the final answer: Lyon')).toBe(true);
    expect(checkAnswer(exact('Paris'), 'Paris is big, but the final answer: Lyon')).toBe(false);
    expect(checkAnswer(exact('7'), 'Answer: 3 + 4 = 7')).toBe(true);
    expect(checkAnswer(exact('42'), '答案是 42')).toBe(true);
  });

  it('compares numbers by value and reads English number words for numeric answers', () => {
    expect(checkAnswer(exact('1000'), 'That comes to 1,000 dollars.')).toBe(true);
    expect(checkAnswer(exact('3.5'), 'It is 3.50 metres.')).toBe(true);
    expect(checkAnswer(exact('25'), 'There are twenty-five of them.')).toBe(true);
    expect(checkAnswer(exact('1'), 'Someone ate it.')).toBe(false);
    expect(checkAnswer(exact('-7'), 'x = -7')).toBe(true);
    expect(checkAnswer(exact('7'), 'x = -7')).toBe(false);
  });

  it('drops reasoning blocks; an unclosed one means no answer', () => {
    expect(stripReasoning('<think>it is 100</think>\n It is 5. ')).toBe('It is 5.');
    expect(checkAnswer(exact('100'), '<think>it is 100</think>It is 5.')).toBe(false);
    expect(checkAnswer(exact('5'), '<think>maybe 5, maybe 6')).toBe(false);
  });

  it('tests regex answers on the text as written (only trimmed), with the probe flags', () => {
    expect(checkAnswer({ kind: 'regex', pattern: '^[A-Z ]+$' }, '  HELLO WORLD \r\n')).toBe(true);
    expect(checkAnswer({ kind: 'regex', pattern: '^[A-Z ]+$' }, 'Hello world')).toBe(false);
    expect(checkAnswer({ kind: 'regex', pattern: '^hello', flags: 'i' }, 'HELLO')).toBe(true);
    expect(checkAnswer({ kind: 'oneOf', values: ['H2O', 'water'] }, 'It is water, of course.')).toBe(true);
  });
});
