// Probe suites: how long loading and validating a suite takes, and how fast answers are checked on real responses.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from '../core/types.js';
import { checkAnswer } from '../probes/answer.js';
import { listSuites, loadSuite, parseSuite } from '../probes/load.js';
import type { Benchmark } from './index.js';

const ALPACA = fileURLToPath(new URL('../../../shared/data/alpaca_eval/', import.meta.url));

function timeMs(fn: () => void, repeat: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

export const benchmark: Benchmark = {
  name: 'probes',
  run: async () => {
    for (const s of listSuites()) {
      const text = fs.readFileSync(s.file, 'utf8');
      const ms = timeMs(() => parseSuite(text, s.file), 10);
      const cachedMs = timeMs(() => loadSuite(s.name), 100);
      process.stdout.write(
        `load ${s.name.padEnd(10)} ${String(s.probes).padStart(4)} probes, ${(text.length / 1024).toFixed(0)} KiB: ` +
          `${ms.toFixed(1)} ms to parse and validate, ${cachedMs.toFixed(3)} ms when cached\n`,
      );
    }
    if (!fs.existsSync(ALPACA)) {
      process.stdout.write(`checkAnswer: skipped, no data at ${ALPACA}\n`);
      return;
    }
    const texts: string[] = [];
    for (const model of fs.readdirSync(ALPACA)) {
      const file = path.join(ALPACA, model, 'model_outputs.json');
      if (!fs.existsSync(file)) continue;
      for (const row of JSON.parse(fs.readFileSync(file, 'utf8')) as { output: string }[]) texts.push(row.output);
    }
    const chars = texts.reduce((n, t) => n + t.length, 0);
    const answers: [string, Answer][] = [
      ['exact numeric', { kind: 'exact', value: '42' }],
      ['exact text', { kind: 'exact', value: 'Canberra' }],
      ['one_of (3)', { kind: 'oneOf', values: ['carbon dioxide', 'CO2', 'CO₂'] }],
      ['regex', { kind: 'regex', pattern: '^\\s*\\{(?=[^{}]*"name"\\s*:)[^{}]*\\}\\s*$' }],
    ];
    process.stdout.write(
      `checkAnswer over ${texts.length} real AlpacaEval responses (${(chars / 1e6).toFixed(1)} M characters):\n`,
    );
    for (const [label, answer] of answers) {
      let passed = 0;
      const ms = timeMs(() => {
        passed = 0;
        for (const t of texts) if (checkAnswer(answer, t)) passed++;
      }, 1);
      process.stdout.write(
        `  ${label.padEnd(14)} ${ms.toFixed(0).padStart(6)} ms total, ` +
          `${((ms * 1000) / texts.length).toFixed(1)} us per response, ${passed} passed\n`,
      );
    }
  },
};
