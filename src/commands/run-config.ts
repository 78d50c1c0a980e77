// `phylo run` run control: a run config file (`--config audit.yaml`: models, suite, samples, sampling, budget, name,
// seed, tags, limit) so an audit is repeatable and reviewable, as promptfoo's promptfooconfig.yaml is; flags given on
// the command line win over the file. Also the flags that run part of a suite (--tags, --limit), plan without sending
// (--dry-run) and stop at a budget (--max-cost).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { schemaIssueLine } from '../core/schema-issue.js';
import { optionalInteger, optionalNumber } from '../core/parse-number.js';
import { DEFAULT_PILOT_SAMPLES } from '../collect/adaptive-plan.js';
import { MAX_SAMPLES_PER_PROBE } from '../collect/limits.js';

/** Largest run config file read (a config is a few lines; anything bigger is a mistake). */
const MAX_CONFIG_BYTES = 1_000_000;

const RunConfigSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** A built-in suite name, or a suite file (relative to the config file). */
    suite: z.string().min(1).optional(),
    models: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).optional(),
    samples: z.number().int().min(1).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    sampling: z
      .object({
        temperature: z.number().min(0).max(2),
        maxTokens: z.number().int().min(1),
        logprobs: z.number().int().min(0),
      })
      .partial()
      .strict()
      .optional(),
    budget: z.object({ maxCost: z.number().positive() }).strict().optional(),
    adaptive: z
      .object({ budget: z.number().int().min(1), pilotSamples: z.number().int().min(1).optional() })
      .strict()
      .optional(),
    tags: z.union([z.array(z.string().min(1)), z.string().min(1)]).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .strict();

export type RunConfig = z.output<typeof RunConfigSchema>;

/** The run-control flags (as commander hands them: strings), beside the flags the file may also set. */
export interface RunControlFlags {
  config?: string;
  suite?: string;
  models?: string;
  samples?: string;
  name?: string;
  temperature?: string;
  maxTokens?: string;
  logprobs?: string;
  seed?: string;
  tags?: string;
  limit?: string;
  dryRun?: boolean;
  maxCost?: string;
  adaptive?: boolean;
  budget?: string;
  pilotSamples?: string;
}

const unknownRunConfigField = (): string =>
  'unknown field; a run config has name, suite, models, samples, seed, sampling (temperature, maxTokens, ' +
  'logprobs), budget (maxCost), adaptive (budget, pilotSamples), tags, limit';

/** Read and check a run config file; errors are one line naming the file and the field. */
export function loadRunConfig(file: string): RunConfig {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_CONFIG_BYTES) throw new InputError(`${file}: run config of ${size} bytes is too large`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: cannot read run config (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text.replace(/^\uFEFF/, ''), { maxAliasCount: 100 });
  } catch (err) {
    throw new InputError(`${file}: not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const parsed = RunConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new InputError(schemaIssueLine(file, parsed.error.issues, unknownRunConfigField));
  return parsed.data;
}

const list = (v: string | readonly string[]): string => (typeof v === 'string' ? v : v.join(','));

/** A suite value of the file that is a path is relative to the file, not to where phylo was started. */
function suiteFrom(value: string, file: string): string {
  const looksLikePath = /[\\/]/.test(value) || /\.(ya?ml|json)$/.test(value);
  return looksLikePath ? path.resolve(path.dirname(file), value) : value;
}

/**
 * The flags with the config file's values filled in where no flag was given (flags win). Without --config, the
 * flags as they are. Values go back as the strings a flag would carry, so one check applies to both.
 */
export function applyRunConfig<T extends RunControlFlags>(flags: T): T {
  if (!flags.config) return flags;
  const file = path.resolve(flags.config);
  const c = loadRunConfig(file);
  const str = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
  const fromFile: RunControlFlags = {
    suite: c.suite === undefined ? undefined : suiteFrom(c.suite, file),
    models: c.models === undefined ? undefined : list(c.models),
    samples: str(c.samples),
    name: c.name,
    temperature: str(c.sampling?.temperature),
    maxTokens: str(c.sampling?.maxTokens),
    logprobs: str(c.sampling?.logprobs),
    seed: str(c.seed),
    tags: c.tags === undefined ? undefined : list(c.tags),
    limit: str(c.limit),
    maxCost: str(c.budget?.maxCost),
    budget: str(c.adaptive?.budget),
    pilotSamples: str(c.adaptive?.pilotSamples),
  };
  const merged: T = { ...flags };
  for (const [key, value] of Object.entries(fromFile) as [keyof RunControlFlags, string | undefined][])
    if (value !== undefined && merged[key] === undefined) Object.assign(merged, { [key]: value });
  if (c.adaptive !== undefined && merged.adaptive === undefined) merged.adaptive = true;
  return merged;
}

/** --suite and --models are required, from the command line or the config file. */
export function requireSuiteAndModels(flags: RunControlFlags): { suite: string; models: string } {
  const where = (field: string): string => (flags.config ? ` (or ${field}: in ${flags.config})` : '');
  if (!flags.suite) throw new InputError(`--suite is required${where('suite')}, e.g. --suite core`);
  if (!flags.models) throw new InputError(`--models is required${where('models')}, e.g. --models openai:gpt-4o-mini`);
  return { suite: flags.suite, models: flags.models };
}

export interface RunControl {
  readonly tags?: readonly string[];
  readonly limit?: number;
  readonly maxCostUsd?: number;
  readonly dryRun: boolean;
  /** `--adaptive --budget N [--pilot-samples K]`: a pilot, then the rest of N queries per model on the best probes. */
  readonly adaptive?: { readonly budget: number; readonly pilotSamples: number };
}

/** The checked --adaptive flags: --budget is required with it and means nothing without it. */
function adaptiveControl(flags: RunControlFlags): RunControl['adaptive'] {
  const budget = optionalInteger('--budget', flags.budget, { min: 1 });
  const pilotSamples = optionalInteger('--pilot-samples', flags.pilotSamples, { min: 1, max: MAX_SAMPLES_PER_PROBE });
  if (!flags.adaptive) {
    if (budget !== undefined) throw new InputError('--budget: only with --adaptive (e.g. --adaptive --budget 200)');
    if (pilotSamples !== undefined)
      throw new InputError('--pilot-samples: only with --adaptive (e.g. --adaptive --budget 200 --pilot-samples 2)');
    return undefined;
  }
  if (budget === undefined)
    throw new InputError('--budget: --adaptive needs the queries per model, e.g. --adaptive --budget 200');
  return { budget, pilotSamples: pilotSamples ?? DEFAULT_PILOT_SAMPLES };
}

/** The checked run-control values. */
export function runControl(flags: RunControlFlags): RunControl {
  const tags = flags.tags
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (flags.tags !== undefined && (tags ?? []).length === 0) throw new InputError('--tags: give at least one tag');
  const limit = optionalInteger('--limit', flags.limit, { min: 1 });
  const maxCostUsd = optionalNumber('--max-cost', flags.maxCost, { min: 0 });
  if (maxCostUsd === 0) throw new InputError('--max-cost: give a budget above $0 (in USD, e.g. --max-cost 2.50)');
  const adaptive = adaptiveControl(flags);
  return {
    ...(adaptive ? { adaptive } : {}),
    ...(tags && tags.length > 0 ? { tags } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
    dryRun: flags.dryRun === true,
  };
}

/** The run-control options of `phylo run`. */
export function addRunControlOptions(command: Command): Command {
  return command
    .option('--config <file>', 'run config file (YAML/JSON: suite, models, samples, sampling, seed, budget, name, ...)')
    .option('--tags <tags>', 'run only the probes carrying one of these comma-separated tags')
    .option('--limit <n>', 'run only the first n probes (after --tags)')
    .option('--dry-run', 'print the plan, request count and estimated cost per model; send nothing')
    .option('--max-cost <usd>', 'stop cleanly (resumable, exit 1) once the priced usage spent reaches this many USD')
    .option(
      '--adaptive',
      'active probing: a pilot asks every probe --pilot-samples times and scores it by how much the models differ ' +
        'on it against how much one model varies with itself (F-ratio); the rest of --budget brings the best ' +
        'probes to --samples samples',
    )
    .option('--budget <n>', 'with --adaptive: queries per model in all (pilot and follow-up; cache hits count)')
    .option(
      '--pilot-samples <k>',
      `with --adaptive: samples of each probe in the pilot (default ${DEFAULT_PILOT_SAMPLES})`,
    )
    .addHelpText(
      'after',
      '\nRun config (--config audit.yaml; flags on the command line win over it):\n' +
        '  name: audit-2025-06\n  suite: core                      # or a suite file, relative to this file\n' +
        '  models: [openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest]\n  samples: 3\n  seed: 7\n' +
        '  sampling: { temperature: 0.7, maxTokens: 256, logprobs: 5 }\n  budget: { maxCost: 2.50 }        # USD\n' +
        '  tags: [knowledge]\n  limit: 20\n' +
        '  adaptive: { budget: 200, pilotSamples: 2 }   # as --adaptive --budget 200 --pilot-samples 2\n' +
        'Part of a suite, plan first, then a budget:\n' +
        '  $ phylo run --suite core --models openai:gpt-4o-mini --tags knowledge --limit 5 --dry-run\n' +
        '  $ phylo run --config audit.yaml --max-cost 1\n' +
        "Active probing (a query is one sample, from the provider or the cache; a probe's own samples give way):\n" +
        '  $ phylo run --suite genes --models openai:gpt-4o-mini,openai:gpt-4.1-mini --adaptive --budget 500 \\\n' +
        '      --samples 8 --dry-run     # pilot 172 x 2, then 26 probes x 6 more; phylo show RUN: scores\n',
    );
}
