// A trivially separable synthetic run: two clans of models, each clan answering every probe from its own vocabulary
// (with per-model noise words) and format, so every probe on its own already separates the clans.
import { seededRng, randomInt } from '../../src/core/random.js';
import type { RunData } from '../../src/core/run.js';
import { makeRun, type CellSpec } from '../phenotype/fixtures.js';

export const CLANS = { A: ['lab:a1', 'lab:a2', 'lab:a3'], B: ['lab:b1', 'lab:b2', 'lab:b3'] } as const;

export function separableRun(probes = 40, samples = 1, seed = 3): RunData {
  const rng = seededRng(seed);
  const vocab = {
    A: ['certainly', 'here', 'is', 'a', 'concise', 'answer', 'overall', 'hope', 'helps'],
    B: ['well', 'so', 'basically', 'you', 'know', 'like', 'yeah', 'stuff', 'things'],
  };
  const cells: CellSpec[] = [];
  for (let p = 0; p < probes; p++) {
    for (const clan of ['A', 'B'] as const) {
      for (const model of CLANS[clan]) {
        const texts: string[] = [];
        for (let s = 0; s < samples; s++) {
          const words = Array.from({ length: 12 }, () => vocab[clan][randomInt(rng, vocab[clan].length)]!);
          words.push(`topic${p}`, `noise${randomInt(rng, 1000)}`);
          // Clan A also writes bullet points and exclamations, so its traits differ as well as its words.
          texts.push(
            clan === 'A' ? `- ${words.slice(0, 7).join(' ')}!\n- ${words.slice(7).join(' ')}!` : `${words.join(' ')}.`,
          );
        }
        cells.push({ model, probe: `p${p}`, texts });
      }
    }
  }
  return makeRun(cells);
}
