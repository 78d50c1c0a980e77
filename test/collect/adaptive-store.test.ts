// The adaptive record of a run in the store (src/store/probe-scores.ts): the plan and the scores read back as written,
// best first; recording the pilot again replaces the scores; a plain run has neither; a broken plan is one line.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptivePlan } from '../../src/collect/adaptive-plan.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import { openStore } from '../../src/store/sqlite.js';
import { suiteOf, tempDir } from './fakes.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function storeWithRuns() {
  const dir = tempDir();
  dirs.push(dir);
  const store = openStore(dir);
  for (const name of ['adaptive', 'plain'])
    store.createRun({
      name: name as RunName,
      suite: suiteOf(3),
      models: ['x:a' as ModelRef],
      samples: 8,
      origin: 'run',
    });
  return { dir, store };
}

describe('probe scores in the store', () => {
  it('reads back the plan and the scores, best first, and a second record replaces the first', () => {
    const { store } = storeWithRuns();
    try {
      const scores = store.probeScores();
      const plan = adaptivePlan({ budget: 12, pilotSamples: 2, samples: 8 }, 3);
      scores.setPlan('adaptive', { ...plan, seed: 4 });
      expect(scores.plan('adaptive')).toEqual({ ...plan, seed: 4 });
      expect(scores.scores('adaptive')).toEqual([]);
      const scored = { ...plan, seed: 4, divergence: 'tfidf-cosine', chosen: 1 };
      scores.recordPilot('adaptive', scored, [
        { probe: 'p0', between: 0.5, within: 0.5, f: 1, chosen: false },
        { probe: 'p1', between: 0.9, within: 0.1, f: 9, chosen: true },
        { probe: 'p2', between: 0, f: 0, chosen: false },
      ]);
      expect(scores.plan('adaptive')).toEqual(scored);
      expect(scores.scores('adaptive')).toEqual([
        { probe: 'p1', between: 0.9, within: 0.1, f: 9, chosen: true },
        { probe: 'p0', between: 0.5, within: 0.5, f: 1, chosen: false },
        { probe: 'p2', between: 0, f: 0, chosen: false },
      ]);
      scores.recordPilot('adaptive', scored, [{ probe: 'p2', between: 1, f: 1e6, chosen: true }]);
      expect(scores.scores('adaptive').map((s) => s.probe)).toEqual(['p2']);
      expect(scores.plan('plain')).toBeUndefined();
      expect(scores.scores('plain')).toEqual([]);
      expect(() => scores.setPlan('missing', plan)).toThrow(/run "missing" not found/);
    } finally {
      store.close();
    }
  });

  it('a plan that is not readable is one line naming the run', () => {
    const { dir, store } = storeWithRuns();
    store.close();
    const db = new Database(path.join(dir, 'phylo.db'));
    db.prepare("UPDATE runs SET adaptive = '{\"budget\": -1}' WHERE name = 'adaptive'").run();
    db.close();
    const again = openStore(dir);
    try {
      expect(() => again.probeScores().plan('adaptive')).toThrow(
        'run "adaptive": its stored adaptive plan is not readable (runs.adaptive)',
      );
    } finally {
      again.close();
    }
  });
});
