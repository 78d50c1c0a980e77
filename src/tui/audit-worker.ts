// The audit tests the app runs on a worker thread, so the terminal keeps drawing and reading keys meanwhile: the
// equality test of two models (about a second for 1,000 permutations on 805 probes) and the drift audit of two runs
// (one such test per shared model). Posts the result, or the error's message (an InputError is the user's: too few
// shared probes, say).
import { parentPort, workerData } from 'node:worker_threads';
import { type EqualityOptions, testEquality, type ModelSamples } from '../audit/equality.js';
import { auditDrift } from '../audit/drift.js';
import type { RunSamples } from '../audit/model-samples.js';

export type AuditJob =
  | { readonly kind: 'equality'; readonly a: ModelSamples; readonly b: ModelSamples; readonly options: EqualityOptions }
  | { readonly kind: 'drift'; readonly old: RunSamples; readonly new: RunSamples; readonly options: EqualityOptions };

export type AuditReply<T> =
  | { readonly kind: 'done'; readonly result: T }
  | { readonly kind: 'failed'; readonly message: string };

/** The job's result; the same function whether on a worker or on the app's thread. */
export function runAuditJob(job: AuditJob): unknown {
  return job.kind === 'equality' ? testEquality(job.a, job.b, job.options) : auditDrift(job.old, job.new, job.options);
}

if (parentPort && workerData) {
  let reply: AuditReply<unknown>;
  try {
    reply = { kind: 'done', result: runAuditJob(workerData as AuditJob) };
  } catch (err) {
    reply = { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
  parentPort.postMessage(reply);
}
