// `phylo lab ...`: the controlled experiment's models. train a zoo from its recipe, list it, sample from it, serve it
// over the OpenAI and Ollama APIs, and run the experiment that scores every tree against the known lineage.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { oneLine, stripControl } from '../core/sanitize.js';
import { generate } from '../lab/decode.js';
import { loadCheckpoint } from '../lab/checkpoint.js';
import { defaultZooDir, zooDirFrom } from '../lab/provider.js';
import { loadRecipe } from '../lab/recipe.js';
import { startLabServer } from '../lab/server.js';
import { registerAuditCheck } from '../lab/audit-check/command.js';
import { listZoo, subtreeOf, trainZoo, type ZooEvent } from '../lab/zoo.js';
import { bestPhenotype, experimentMarkdown } from '../lab/experiment/report.js';
import { budgetTableMarkdown } from '../lab/experiment/budget-report.js';
import { runExperiment } from '../lab/experiment/run.js';
import { writePositionSuite } from '../lab/experiment/position-suite.js';
import { startProgressReporter } from '../collect/progress-reporter.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { loadSuite } from '../probes/load.js';
import { openStore } from '../store/sqlite.js';
import { mkdir, writeFile } from 'node:fs/promises';

/** The shipped recipe (lab/recipe.yaml beside src/ and dist/). */
export function defaultRecipeFile(): string {
  return fileURLToPath(new URL('../../lab/recipe.yaml', import.meta.url));
}

function positiveInt(flag: string, v: string | undefined, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} ${v}: expected a whole number >= ${min}`);
  return n;
}

function progressLine(e: ZooEvent, every: number): string | undefined {
  switch (e.type) {
    case 'node-start':
      return `[${e.index + 1}] ${e.node}: training ${e.steps} steps`;
    case 'node-progress':
      return e.progress.step % every === 0 || e.progress.step === e.progress.steps
        ? `    ${e.node} step ${e.progress.step}/${e.progress.steps} loss ${e.progress.loss.toFixed(3)}`
        : undefined;
    case 'node-done':
      return e.resumed
        ? `    ${e.node}: already trained (checkpoint matches the recipe)`
        : `    ${e.node}: done in ${e.meta.seconds.toFixed(0)} s, ` +
            `${Math.round(e.meta.tokens / Math.max(e.meta.seconds, 1e-9))} tokens/s, ` +
            `train loss ${e.meta.loss.toFixed(3)} nats/byte`;
  }
}

function runChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`phylo ${args.join(' ')} exited with ${code}`)),
    );
  });
}

export function register(program: Command): void {
  const lab = program
    .command('lab')
    .description('tiny language models with a known lineage: train, list, sample, serve, experiment');
  registerAuditCheck(lab);

  lab
    .command('train')
    .description(
      'train (or resume) a zoo from a recipe: the base model, then every fine-tuned node, one checkpoint each',
    )
    .option('--recipe <file>', 'recipe file (YAML or JSON)', defaultRecipeFile())
    .option('--out <dir>', 'where checkpoints, truth.nwk and zoo.json go', defaultZooDir())
    .option('--workers <n>', 'worker threads per training step (same weights for any number)', '1')
    .option('--jobs <n>', 'train this many subtrees of the base model at once, in separate processes', '1')
    .option('--subtree <node>', 'train only this node and its descendants (its ancestors must be trained)')
    .option('--seed <n>', "replace the recipe's seed: the same design from other random draws (a validation zoo)")
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo lab train                                   # the default zoo into lab/zoo (resumes)\n' +
        '  $ phylo lab train --recipe my.yaml --out zoo2 --jobs 3 --workers 2\n' +
        '  $ phylo lab train --seed 8 --out /tmp/validation-zoo            # same design, other draws\n',
    )
    .action(
      async (opts: {
        recipe: string;
        out: string;
        workers: string;
        jobs: string;
        subtree?: string;
        seed?: string;
        quiet?: boolean;
      }) => {
        const seed = opts.seed === undefined ? undefined : positiveInt('--seed', opts.seed, 0, 0);
        const recipe = await loadRecipe(opts.recipe, seed === undefined ? {} : { seed });
        const out = path.resolve(opts.out);
        const workers = positiveInt('--workers', opts.workers, 1);
        const jobs = positiveInt('--jobs', opts.jobs, 1);
        if (opts.subtree !== undefined) subtreeOf(recipe, opts.subtree);
        const log = (line: string | undefined) => {
          if (line && !opts.quiet) process.stderr.write(`${line}\n`);
        };
        const onEvent = (e: ZooEvent) => log(progressLine(e, 50));
        const t0 = performance.now();
        if (jobs > 1 && opts.subtree === undefined) {
          // The root first, then its children's subtrees in parallel processes, then a pass that finds every
          // checkpoint in place and writes truth.nwk and zoo.json.
          await trainZoo(recipe, out, { onEvent, workers, only: [recipe.root] });
          const children = recipe.nodes.find((n) => n.name === recipe.root)!.children;
          const queue = [...children];
          const run = async () => {
            for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
              await runChild([
                'lab',
                'train',
                '--recipe',
                path.resolve(opts.recipe),
                '--out',
                out,
                '--workers',
                String(workers),
                '--subtree',
                c,
                ...(seed !== undefined ? ['--seed', String(seed)] : []),
                ...(opts.quiet ? ['--quiet'] : []),
              ]);
            }
          };
          await Promise.all(Array.from({ length: Math.min(jobs, children.length) }, run));
        }
        const metas = await trainZoo(recipe, out, {
          onEvent,
          workers,
          ...(opts.subtree !== undefined ? { subtree: opts.subtree } : {}),
        });
        if (opts.subtree !== undefined) return;
        const seconds = (performance.now() - t0) / 1000;
        process.stdout.write(
          `zoo ${recipe.name}: ${metas.length} models (${recipe.leaves.length} leaves) in ${out}, ` +
            `${seconds.toFixed(0)} s\n`,
        );
        process.stdout.write(`ground truth: ${path.join(out, 'truth.nwk')}\n`);
      },
    );

  lab
    .command('models')
    .alias('list')
    .description('list the models of a zoo with their lineage and held-out bits per byte')
    .option('--zoo <dir>', 'zoo folder (default: $PHYLO_LAB_ZOO or the shipped lab/zoo)')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  $ phylo lab models --json\n')
    .action(async (opts: { zoo?: string; json?: boolean }) => {
      const dir = opts.zoo ? path.resolve(opts.zoo) : zooDirFrom();
      const zoo = await listZoo(dir);
      const rows = [...zoo.values()].map(({ meta }) => ({
        name: meta.name,
        parent: meta.parent,
        lineage: meta.lineage,
        steps: meta.steps,
        heldOutBpb: meta.heldOut,
      }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const ids = [...new Set(rows.flatMap((r) => Object.keys(r.heldOutBpb)))];
      const w = Math.max(...rows.map((r) => r.name.length)) + 2;
      process.stdout.write(`${'model'.padEnd(w)}${ids.map((i) => i.padStart(12)).join('')}  lineage\n`);
      for (const r of rows) {
        process.stdout.write(
          `${r.name.padEnd(w)}${ids.map((i) => (r.heldOutBpb[i]?.toFixed(3) ?? '-').padStart(12)).join('')}  ` +
            `${r.lineage.join(' > ') || '(base mixture)'}\n`,
        );
      }
      process.stdout.write(`held-out bits per byte; zoo ${dir}\n`);
    });

  lab
    .command('sample')
    .description('continue a prefix with one zoo model (a quick look at its style)')
    .argument('<model>', 'model name in the zoo (e.g. moby-spam-early)')
    .option('--prefix <text>', 'text to continue', 'The ')
    .option('--zoo <dir>', 'zoo folder (default: $PHYLO_LAB_ZOO or the shipped lab/zoo)')
    .option('--max-tokens <n>', 'bytes to generate', '200')
    .option('--temperature <t>', 'sampling temperature', '0.8')
    .option('--top-k <k>', 'keep only the k most likely bytes (0: all)', '0')
    .option('--seed <n>', 'seed for a reproducible sample')
    .option('--samples <n>', 'how many samples', '1')
    .addHelpText('after', '\nExample:\n  $ phylo lab sample spam-early-moby --prefix "Dear Friend," --seed 1\n')
    .action(
      async (
        name: string,
        opts: {
          prefix: string;
          zoo?: string;
          maxTokens: string;
          temperature: string;
          topK: string;
          seed?: string;
          samples: string;
        },
      ) => {
        const dir = opts.zoo ? path.resolve(opts.zoo) : zooDirFrom();
        const zoo = await listZoo(dir);
        const entry = zoo.get(name);
        if (!entry) throw new InputError(`lab model ${name} is not in ${dir}; models: ${[...zoo.keys()].join(', ')}`);
        const { model } = await loadCheckpoint(entry.file);
        const temperature = Number(opts.temperature);
        if (!Number.isFinite(temperature) || temperature < 0)
          throw new InputError(`--temperature ${opts.temperature}: expected a number >= 0`);
        const n = positiveInt('--samples', opts.samples, 1);
        const seed = opts.seed === undefined ? undefined : positiveInt('--seed', opts.seed, 0, 0);
        for (let i = 0; i < n; i++) {
          const g = generate(model, opts.prefix, {
            maxTokens: positiveInt('--max-tokens', opts.maxTokens, 200),
            temperature,
            topK: positiveInt('--top-k', opts.topK, 0, 0),
            ...(seed !== undefined ? { seed: seed + i } : {}),
          });
          process.stdout.write(`${stripControl(opts.prefix)}${stripControl(g.text)}\n${n > 1 ? '---\n' : ''}`);
        }
      },
    );

  lab
    .command('serve')
    .description('serve a zoo on 127.0.0.1 over the OpenAI API (/v1) and the Ollama API (/api)')
    .option('--port <n>', 'port (0: any free port)', '11435')
    .option('--zoo <dir>', 'zoo folder (default: $PHYLO_LAB_ZOO or the shipped lab/zoo)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo lab serve --port 11435\n' +
        '  $ OPENAI_BASE_URL=http://127.0.0.1:11435/v1 OPENAI_API_KEY=unused ' +
        'phylo run --suite lab --models openai:base,openai:moby\n' +
        '  $ OLLAMA_HOST=http://127.0.0.1:11435 phylo run --suite lab --models ollama:base,ollama:moby\n',
    )
    .action(async (opts: { port: string; zoo?: string }) => {
      const dir = opts.zoo ? path.resolve(opts.zoo) : zooDirFrom();
      const models = await listZoo(dir);
      const server = await startLabServer({
        zooDir: dir,
        port: positiveInt('--port', opts.port, 0, 0),
        log: (l) => process.stderr.write(`${oneLine(l)}\n`),
      });
      process.stderr.write(`lab server: ${models.size} models from ${dir}\n`);
      process.stdout.write(`OpenAI API: ${server.url}/v1\nOllama API: ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });

  lab
    .command('experiment')
    .description(
      'the controlled experiment: probe the zoo, read its weights, score every tree against the known lineage',
    )
    .option('--zoo <dir>', 'zoo folder (default: $PHYLO_LAB_ZOO or the shipped lab/zoo)')
    .option('--out <dir>', 'where EXPERIMENT.md and experiment.json go (default: the zoo folder)')
    .option('--suite <suite>', 'probe suite', 'lab')
    .option('--positions <suite>', 'logprob-gene suite of the budget table (windows of held-out text)', 'lab-positions')
    .option('--write-positions <file>', 'regenerate the logprob-gene suite from held-out corpus text, then stop')
    .option(
      '--name <run>',
      'run name in the results folder (an existing one is resumed, not re-queried)',
      'lab-experiment',
    )
    .option('--bootstrap <n>', 'bootstrap replicates over probes', '100')
    .option('--seed <n>', 'seed of the bootstrap and of the probe subsets', '1')
    .option(...RESULTS_OPTION)
    .option('--json', 'print the report as JSON on stdout')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo lab experiment                      # the shipped zoo; writes lab/zoo/EXPERIMENT.md\n' +
        '  $ phylo lab experiment --zoo my-zoo --out report --bootstrap 200\n',
    )
    .action(
      async (opts: {
        zoo?: string;
        out?: string;
        suite: string;
        positions: string;
        writePositions?: string;
        name: string;
        bootstrap: string;
        seed: string;
        results?: string;
        json?: boolean;
        quiet?: boolean;
      }) => {
        if (opts.writePositions) {
          const windows = await writePositionSuite(path.resolve(opts.writePositions));
          process.stdout.write(`${opts.writePositions}: ${windows} windows of held-out text\n`);
          return;
        }
        const zooDir = opts.zoo ? path.resolve(opts.zoo) : zooDirFrom();
        const out = opts.out ? path.resolve(opts.out) : zooDir;
        const suite = loadSuite(opts.suite);
        const positions = loadSuite(opts.positions);
        const store = openStore(resultsDir(opts.results));
        const reporter = startProgressReporter({ quiet: opts.quiet });
        try {
          const report = await runExperiment({
            store,
            suite,
            positions,
            zooDir,
            run: opts.name,
            bootstrap: positiveInt('--bootstrap', opts.bootstrap, 100, 0),
            seed: positiveInt('--seed', opts.seed, 1, 0),
            listeners: [reporter.listener],
            onStage: (s) => {
              if (!opts.quiet) process.stderr.write(`experiment: ${s}\n`);
            },
          });
          reporter.stop();
          await mkdir(out, { recursive: true });
          await writeFile(path.join(out, 'EXPERIMENT.md'), experimentMarkdown(report));
          await writeFile(path.join(out, 'experiment.json'), `${JSON.stringify(report, null, 2)}\n`);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
            return;
          }
          const geno = report.genotype.scores.find((s) => s.metric === 'l2' && s.method === 'nj')!;
          const best = bestPhenotype(report);
          process.stdout.write(
            `genotype tree (L2, NJ): RF ${geno.rf} of ${geno.max} (normalized ${geno.normalized.toFixed(3)})\n`,
          );
          if (best)
            process.stdout.write(
              `best phenotype tree (${best.signal}, ${best.method}): RF ${best.rf} of ${best.max} ` +
                `(normalized ${best.normalized.toFixed(3)})\n`,
            );
          const lp = [...report.logprobs].sort((a, b) => a.normalized - b.normalized)[0];
          if (lp)
            process.stdout.write(
              `logprob phenotype tree (${lp.signal}, ${lp.method}): RF ${lp.rf} of ${lp.max} ` +
                `(normalized ${lp.normalized.toFixed(3)})\n`,
            );
          const nb = [...report.nextByte].sort((a, b) => a.normalized - b.normalized)[0];
          if (nb)
            process.stdout.write(
              `noise-free next-byte tree (${nb.method}): RF ${nb.rf} of ${nb.max} ` +
                `(normalized ${nb.normalized.toFixed(3)})\n`,
            );
          // The budget table's best-of lines (best with logprobs, from sampled text alone, PhyloLM's recipe).
          for (const l of budgetTableMarkdown(report.budgetTable).filter((x) => x.startsWith('- ')))
            process.stdout.write(`budget ${l.slice(2)}\n`);
          process.stdout.write(`report: ${path.join(out, 'EXPERIMENT.md')}\n`);
        } finally {
          reporter.stop();
          store.close();
        }
      },
    );
}
