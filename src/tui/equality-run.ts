// The results screen's equality test of two models of the run (src/audit/equality.ts, the same test as
// `phylo audit equal A B --run RUN`): the models' stored samples when the analysed run has them, else the evidence's
// answered texts. It runs on a worker thread (equality-worker.ts) so the app keeps drawing "testing…" and reading
// keys; where a worker cannot start, on this thread after the "testing…" frame has been drawn.
import { Worker } from 'node:worker_threads';
import { analysedRunSamples } from '../audit/compare-runs.js';
import {
  EQUALITY_DEFAULTS,
  type EqualityOptions,
  type EqualityResult,
  type ModelSamples,
  testEquality,
} from '../audit/equality.js';
import type { ResultsData } from './backend.js';
import type { EqualityJob, EqualityReply } from './equality-worker.js';

/** As the CLI's defaults: 1,000 permutations, seed 1, alpha 0.05, the five most contributing probes. */
export const TUI_EQUALITY: EqualityOptions = { ...EQUALITY_DEFAULTS };

export type EqualityThread = 'worker' | 'main';

function spawnEqualityWorker(job: EqualityJob): Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./equality-worker${ext}`, import.meta.url);
  if (ext === '.js') return new Worker(url, { workerData: job });
  // From TypeScript sources (tsx, tests) the worker starts through tsx's loader, as src/lab/audit-check does.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); ` +
    `return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}

/** The worker itself failed (could not start, or died): the test is then run on this thread instead. */
class WorkerFailure extends Error {}

function onWorker(job: EqualityJob): Promise<EqualityResult> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = spawnEqualityWorker(job);
    } catch (err) {
      reject(new WorkerFailure(err instanceof Error ? err.message : String(err)));
      return;
    }
    let settled = false;
    worker.once('message', (reply: EqualityReply) => {
      settled = true;
      if (reply.kind === 'done') resolve(reply.result);
      else reject(new Error(reply.message));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new WorkerFailure(err.message));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new WorkerFailure(`the equality test's worker stopped (exit code ${code})`));
    });
  });
}

async function onThisThread(job: EqualityJob): Promise<EqualityResult> {
  // Let ink draw the "testing…" frame before the synchronous permutations below.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return testEquality(job.a, job.b, job.options);
}

function samplesOf(data: ResultsData): (model: string) => ModelSamples['samples'] {
  if (data.samples) return (model) => data.samples!(model);
  const models = analysedRunSamples(data).models;
  return (model) => models.get(model) ?? [];
}

export interface TestedPair {
  readonly result: EqualityResult;
  /** Where the test ran: on a worker, or on this thread (asked for, or because the worker failed). */
  readonly ranOn: EqualityThread;
}

/** Test models `a` and `b` of the run; rejects with the test's one-line reason when they cannot be tested. */
export async function testModelsOfRun(
  data: ResultsData,
  a: string,
  b: string,
  options: EqualityOptions = TUI_EQUALITY,
  thread: EqualityThread = 'worker',
): Promise<TestedPair> {
  const samples = samplesOf(data);
  const job: EqualityJob = { a: { model: a, samples: samples(a) }, b: { model: b, samples: samples(b) }, options };
  if (thread === 'main') return { result: await onThisThread(job), ranOn: 'main' };
  try {
    return { result: await onWorker(job), ranOn: 'worker' };
  } catch (err) {
    if (err instanceof WorkerFailure) return { result: await onThisThread(job), ranOn: 'main' };
    throw err;
  }
}
