// The engine reports progress through typed events; views (CLI progress line, TUI) subscribe. The engine knows
// nothing about who listens.
import type { FailureKind, ModelRef, ProbeId } from './types.js';

export type RunEvent =
  | {
      readonly type: 'run-start';
      readonly run: string;
      readonly total: number;
      readonly cached: number;
      readonly models: readonly ModelRef[];
      readonly perModel: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'sample';
      readonly model: ModelRef;
      readonly probe: ProbeId;
      readonly index: number;
      readonly status: 'ok' | 'error' | 'cached';
      readonly kind?: FailureKind;
      readonly latencyMs: number;
      readonly tokens: number;
      readonly costUsd: number;
    }
  | {
      readonly type: 'retry';
      readonly model: ModelRef;
      readonly probe: ProbeId;
      readonly attempt: number;
      readonly kind: FailureKind;
      readonly waitMs: number;
      readonly message: string;
    }
  | { readonly type: 'concurrency'; readonly provider: string; readonly limit: number; readonly reason: string }
  | { readonly type: 'warning'; readonly message: string }
  /** A vendor batch (`phylo run --batch`) was submitted, moved, or landed its results in the store. */
  | {
      readonly type: 'batch';
      readonly provider: string;
      /** The vendor's batch id (the store's number while it is being submitted). */
      readonly batch: string;
      /** submitting, validating, in_progress, finalizing, cancelling, completed, expired, cancelled, failed. */
      readonly state: string;
      readonly requests: number;
      readonly succeeded: number;
      readonly errored: number;
      /** Its answers are in the store. */
      readonly landed: boolean;
      /** When it was first stored (ISO), before its submit: the run screen shows its age from it. */
      readonly createdAt?: string;
    }
  | { readonly type: 'paused' }
  | { readonly type: 'resumed' }
  | {
      readonly type: 'run-end';
      readonly run: string;
      readonly ok: number;
      readonly errors: number;
      readonly cancelled: boolean;
    };

export type RunListener = (event: RunEvent) => void;
