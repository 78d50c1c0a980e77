// A vendor's batch API (OpenAI Batch, Anthropic Message Batches) in the terms the collector needs: submit many
// requests at once, poll the batch, read what it answered, cancel it. The vendor runs the job within its window (24 h)
// at its batch price; each request carries a custom id so that answers come back to their (model, probe, sample).
import type { Completion, FailureKind } from '../core/types.js';
import type { CallOptions, CompletionRequest } from './provider.js';

/** One request of a batch: its id within the batch (unique, vendor-safe characters) and what to ask. */
export interface BatchRequest {
  readonly customId: string;
  readonly request: CompletionRequest;
}

/** Where a batch is, in vendor-neutral words. `ended` batches answer `results`; the others are still live. */
export type BatchState =
  | 'submitting' // our row exists, the vendor may or may not have the batch (a kill can land here)
  | 'validating'
  | 'in_progress'
  | 'finalizing'
  | 'cancelling'
  | 'completed'
  | 'expired'
  | 'cancelled'
  | 'failed';

export const ENDED_STATES: ReadonlySet<BatchState> = new Set<BatchState>([
  'completed',
  'expired',
  'cancelled',
  'failed',
]);

export interface BatchStatus {
  readonly id: string;
  readonly state: BatchState;
  /** What the vendor says it has done so far (counts only; the answers come with `results`). */
  readonly succeeded: number;
  readonly errored: number;
  readonly total: number;
}

/** One answer of an ended batch: a completion, or a failure classified like an interactive call's. */
export type BatchResult =
  | { readonly customId: string; readonly ok: true; readonly completion: Completion }
  | {
      readonly customId: string;
      readonly ok: false;
      readonly kind: FailureKind;
      readonly message: string;
      /** False for requests the vendor never ran (expired, cancelled): they go into a new batch. */
      readonly ran: boolean;
    };

export interface BatchApi {
  /** Fraction of the interactive price a batch is billed at (OpenAI and Anthropic: 0.5). */
  readonly priceFactor: number;
  /** Most requests one batch may hold (OpenAI 50,000; Anthropic 100,000; the profile may lower it). */
  readonly maxRequests: number;
  /**
   * Submit a batch; `tag` is stored with it at the vendor where the API allows (OpenAI metadata), so that `find`
   * can recover a batch whose id a killed process never recorded.
   */
  submit(requests: readonly BatchRequest[], tag: string, options: CallOptions): Promise<BatchStatus>;
  status(id: string, options: CallOptions): Promise<BatchStatus>;
  /**
   * The answers of an ended batch to the requests it was given (by custom id; answers to other ids are dropped).
   * Requests it never ran are absent or `ran: false`.
   */
  results(id: string, requests: ReadonlyMap<string, CompletionRequest>, options: CallOptions): Promise<BatchResult[]>;
  cancel(id: string, options: CallOptions): Promise<BatchStatus>;
  /**
   * The vendor's id of a batch we submitted with `tag` (of `count` requests, at or after `since`, an ISO time) but
   * whose id was not recorded, or undefined when the vendor has no such batch (the submit never arrived).
   */
  find(
    tag: string,
    count: number,
    since: string,
    known: ReadonlySet<string>,
    options: CallOptions,
  ): Promise<string | undefined>;
}
