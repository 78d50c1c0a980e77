// One provider call under the caller's signal and a per-request deadline, its failure classified into a
// ProviderCallError the scheduler can act on. The adapters differ only in how they read their SDK's errors.
import { deadline, type Deadline } from './deadline.js';
import {
  callerAbort,
  connectionFailure,
  httpFailure,
  lowLevelFailure,
  timeoutFailure,
  type FailureContext,
} from './failure.js';
import { ProviderCallError, type CallOptions } from './provider.js';
import type { HeaderSource } from './retry-after.js';

/** What an adapter reads off its SDK's error, in the terms the classification needs. */
export interface SdkErrorReading {
  /** The SDK says the request timed out. */
  readonly timeout?: boolean;
  /** The server answered with an error status. */
  readonly http?: { readonly status: number; readonly headers: HeaderSource; readonly message: string };
  /** The SDK says the connection failed (refused, reset, closed). */
  readonly connection?: boolean;
}

export type ReadSdkError = (err: unknown) => SdkErrorReading;

/**
 * The caller's cancellation first (stop, never retry), then what is already classified, then the deadline, the
 * HTTP status, a failed connection, and last the low-level (socket) causes; anything else passes through as is.
 */
export function classifyCallError(
  err: unknown,
  dl: Deadline,
  caller: AbortSignal,
  ctx: FailureContext,
  read: ReadSdkError,
): unknown {
  if (caller.aborted) return callerAbort(caller, ctx);
  if (err instanceof ProviderCallError) return err;
  const seen = read(err);
  if (seen.timeout || dl.timedOut()) return timeoutFailure(ctx);
  if (seen.http) return httpFailure(seen.http.status, seen.http.headers, seen.http.message, ctx);
  if (seen.connection) return lowLevelFailure(err, ctx) ?? connectionFailure(err, ctx);
  return lowLevelFailure(err, ctx) ?? err;
}

/**
 * How the deadline is enforced: `signal` merges a timer into the caller's signal (for clients with no timeout of
 * their own); `sdk` leaves the timer to an SDK that takes a per-request timeout (the OpenAI and Anthropic clients)
 * and only remembers when the call must end: no timer and one dependent signal per call, the cheapest path.
 */
export type DeadlineMode = 'signal' | 'sdk';

/** A deadline enforced by the SDK: `left()` is what remains of the timeout, to pass as its per-request timeout. */
export interface SdkDeadline extends Deadline {
  left(): number;
}

function sdkDeadline(caller: AbortSignal, timeoutMs: number): SdkDeadline {
  const endsAt = performance.now() + timeoutMs;
  // The SDKs never remove the listener they add to the signal they are given: each call gets a dependent signal of
  // its own (AbortSignal.any holds no listener on the caller's), so a long-lived caller signal collects nothing.
  return {
    signal: AbortSignal.any([caller]),
    timedOut: () => performance.now() >= endsAt && !caller.aborted,
    left: () => Math.round(endsAt - performance.now()),
  };
}

/** Run `call` under the caller's signal and a deadline; a failure comes out classified. */
export function guardedCall<T>(
  ctx: FailureContext,
  options: CallOptions,
  read: ReadSdkError,
  call: (dl: Deadline) => Promise<T>,
): Promise<T>;
export function guardedCall<T>(
  ctx: FailureContext,
  options: CallOptions,
  read: ReadSdkError,
  call: (dl: SdkDeadline) => Promise<T>,
  mode: 'sdk',
): Promise<T>;
export async function guardedCall<T>(
  ctx: FailureContext,
  options: CallOptions,
  read: ReadSdkError,
  call: (dl: SdkDeadline) => Promise<T>,
  mode: DeadlineMode = 'signal',
): Promise<T> {
  if (options.signal.aborted) throw callerAbort(options.signal, ctx);
  const dl: SdkDeadline =
    mode === 'sdk'
      ? sdkDeadline(options.signal, options.timeoutMs)
      : { ...deadline(options.signal, options.timeoutMs), left: () => options.timeoutMs };
  try {
    return await call(dl);
  } catch (err) {
    throw classifyCallError(err, dl, options.signal, ctx, read);
  }
}
