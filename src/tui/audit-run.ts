// The app's audit tests (src/audit): the results screen's equality test of two models of the run (the same test as
// `phylo audit equal A B --run RUN`) and the compare screen's drift audit of two runs (as `phylo audit drift`). They
// run on a worker thread (audit-worker.ts) so the app keeps drawing "testing…" and reading keys; where a worker
// cannot start, on this thread after the "testing…" frame has been drawn. Samples: the stored ones when the analysed
// run has them (logprobs included), else the evidence's answered texts.
import { Worker } from 'node:worker_threads';
import { analysedRunSamples } from '../audit/compare-runs.js';
import type { DriftReport } from '../audit/drift.js';
import { EQUALITY_DEFAULTS, type EqualityOptions, type EqualityResult, type ModelSamples } from '../audit/equality.js';
import type { RunSamples } from '../audit/model-samples.js';
import type { ResultsData } from './backend.js';
import { type AuditJob, type AuditReply, runAuditJob } from './audit-worker.js';

/** As the CLI's defaults: 1,000 permutations, seed 1, alpha 0.05, the five most contributing probes. */
export const TUI_EQUALITY: EqualityOptions = { ...EQUALITY_DEFAULTS };

export type AuditThread = 'worker' | 'main';

export interface Audited<T> {
  readonly result: T;
  /** Where the test ran: on a worker, or on this thread (asked for, or because the worker failed). */
  readonly ranOn: AuditThread;
}

/** The worker itself failed (could not start, or died): the job then runs on this thread instead. */
class WorkerFailure extends Error {}

function spawnAuditWorker(job: AuditJob): Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./audit-worker${ext}`, import.meta.url);
  if (ext === '.js') return new Worker(url, { workerData: job });
  // From TypeScript sources (tsx, tests) the worker starts through tsx's loader, as src/lab/audit-check does.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); ` +
    `return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}

function onWorker<T>(job: AuditJob): Promise<T> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = spawnAuditWorker(job);
    } catch (err) {
      reject(new WorkerFailure(err instanceof Error ? err.message : String(err)));
      return;
    }
    let settled = false;
    worker.once('message', (reply: AuditReply<T>) => {
      settled = true;
      if (reply.kind === 'done') resolve(reply.result);
      else reject(new Error(reply.message));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new WorkerFailure(err.message));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new WorkerFailure(`the audit worker stopped (exit code ${code})`));
    });
  });
}

async function onThisThread<T>(job: AuditJob): Promise<T> {
  // Let ink draw the "testing…" frame before the synchronous permutations below.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return runAuditJob(job) as T;
}

async function run<T>(job: AuditJob, thread: AuditThread): Promise<Audited<T>> {
  if (thread === 'main') return { result: await onThisThread<T>(job), ranOn: 'main' };
  try {
    return { result: await onWorker<T>(job), ranOn: 'worker' };
  } catch (err) {
    if (err instanceof WorkerFailure) return { result: await onThisThread<T>(job), ranOn: 'main' };
    throw err;
  }
}

/** Every model's samples: the stored ones when the analysed run carries them, else its evidence's texts. */
function samplesOfRun(data: ResultsData): RunSamples {
  if (!data.samples) return analysedRunSamples(data);
  return { name: data.run, models: new Map(data.models.map((m) => [m, data.samples!(m)])) };
}

function samplesOf(data: ResultsData): (model: string) => ModelSamples['samples'] {
  if (data.samples) return (model) => data.samples!(model);
  const models = analysedRunSamples(data).models;
  return (model) => models.get(model) ?? [];
}

/** Test models `a` and `b` of the run; rejects with the test's one-line reason when they cannot be tested. */
export function testModelsOfRun(
  data: ResultsData,
  a: string,
  b: string,
  options: EqualityOptions = TUI_EQUALITY,
  thread: AuditThread = 'worker',
): Promise<Audited<EqualityResult>> {
  const samples = samplesOf(data);
  const job: AuditJob = {
    kind: 'equality',
    a: { model: a, samples: samples(a) },
    b: { model: b, samples: samples(b) },
    options,
  };
  return run(job, thread);
}

/** The drift audit of the models both runs share (Holm over the models), `older` first. */
export function driftOfResults(
  older: ResultsData,
  newer: ResultsData,
  options: EqualityOptions = {},
  thread: AuditThread = 'worker',
): Promise<Audited<DriftReport>> {
  return run({ kind: 'drift', old: samplesOfRun(older), new: samplesOfRun(newer), options }, thread);
}
