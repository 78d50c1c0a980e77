// `npm run bench`: every benchmark prints its figures; none asserts. Run one with `npm run bench -- NAME`.
import { benchmark as probes } from './probes.js';

export type Benchmark = { readonly name: string; readonly run: () => Promise<void> };

const benchmarks: Benchmark[] = [
  // (each area adds its benchmark module here)
  probes,
];

const only = process.argv.slice(2);
for (const b of benchmarks) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  process.stdout.write(`\n## ${b.name}\n`);
  await b.run();
}
