// One provider request with its own timeout, also aborted when the run is cancelled. One promise, one controller and
// one timer per request, and no listener on the run's signal (cancel walks the in-flight set instead): at hundreds of
// requests a second, per-request listeners and races are measurable.
import type { Completion } from '../core/types.js';
import { type CompletionRequest, type Provider, ProviderCallError } from '../providers/provider.js';

/** The requests in flight of one collection, aborted together on cancel. */
export class InFlightRequests {
  private readonly controllers = new Set<AbortController>();

  constructor(private readonly runSignal: AbortSignal) {}

  /** One request with the per-request timeout; a provider that ignores the signal is raced. */
  call(provider: Provider, request: CompletionRequest, timeoutMs: number): Promise<Completion> {
    return new Promise<Completion>((resolve, reject) => {
      const controller = new AbortController();
      const settle = (): void => {
        clearTimeout(timer);
        this.controllers.delete(controller);
      };
      // The race: whichever comes first, the provider's answer or the abort, settles the call.
      controller.signal.addEventListener(
        'abort',
        () => {
          settle();
          reject(controller.signal.reason);
        },
        { once: true },
      );
      const timer = setTimeout(
        () => controller.abort(new ProviderCallError('timeout', `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.controllers.add(controller);
      if (this.runSignal.aborted) controller.abort(this.runSignal.reason);
      let answer: Promise<Completion>;
      try {
        answer = provider.complete(request, { signal: controller.signal, timeoutMs });
      } catch (err) {
        answer = Promise.reject(err);
      }
      answer.then(
        (completion) => {
          settle();
          resolve(completion);
        },
        (err: unknown) => {
          settle();
          reject(err);
        },
      );
    });
  }

  /** Cancel: abort every request in flight with the run's reason. */
  readonly abortAll = (): void => {
    for (const controller of [...this.controllers]) controller.abort(this.runSignal.reason);
  };
}
