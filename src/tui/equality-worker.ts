// The equality test on a worker thread, so the terminal keeps drawing and reading keys while the permutations run
// (about a second for 1,000 on 805 probes). Receives both models' samples and the options; posts the result, or the
// error's message (an InputError is the user's: too few shared probes, say).
import { parentPort, workerData } from 'node:worker_threads';
import { type EqualityOptions, testEquality, type ModelSamples } from '../audit/equality.js';

export interface EqualityJob {
  readonly a: ModelSamples;
  readonly b: ModelSamples;
  readonly options: EqualityOptions;
}

export type EqualityReply =
  | { readonly kind: 'done'; readonly result: ReturnType<typeof testEquality> }
  | { readonly kind: 'failed'; readonly message: string };

const job = workerData as EqualityJob;
let reply: EqualityReply;
try {
  reply = { kind: 'done', result: testEquality(job.a, job.b, job.options) };
} catch (err) {
  reply = { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
}
parentPort!.postMessage(reply);
