// `npm run bench`: every benchmark prints its figures; none asserts. Run one with `npm run bench -- NAME`.
import { benchmark as probes } from './probes.js';
import { benchmark as tui } from './tui.js';
import { benchmark as genotype } from './genotype.js';
import { benchmark as collect } from './collect.js';
import { benchmark as providers } from './providers.js';
import { benchmark as phylo } from './phylo.js';
import { benchmark as analysis } from './analysis.js';
import { benchmark as lab } from './lab.js';
import { benchmark as embeddings } from './embeddings.js';
import { benchmark as logprobs } from './logprobs.js';
import { benchmark as lofo } from './lofo.js';
import { benchmark as audit } from './audit.js';
import { benchmark as report } from './report.js';
import { benchmark as scale } from './scale.js';

export type Benchmark = { readonly name: string; readonly run: () => Promise<void> };

const benchmarks: Benchmark[] = [
  // (each area adds its benchmark module here)
  probes,
  tui,
  genotype,
  collect,
  providers,
  phylo,
  analysis,
  lab,
  embeddings,
  logprobs,
  lofo,
  audit,
  report,
  scale,
];

const only = process.argv.slice(2);
for (const b of benchmarks) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  process.stdout.write(`\n## ${b.name}\n`);
  await b.run();
}
