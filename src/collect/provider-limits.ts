// The limits a provider's requests run under, one set per provider shared by its models: the adaptive concurrency
// (lowered on 429s, grown back after successes) and the per-minute rate limiter (profile and rate-limit headers).
import { DEFAULTS } from '../core/defaults.js';
import type { RunEvent } from '../core/events.js';
import type { Provider } from '../providers/provider.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import type { Clock } from './clock.js';
import type { CollectOptions } from './collection.js';
import { type RateLimiter, rateLimiterFor } from './rate-limit.js';

export interface ProviderLimit {
  readonly limit: AdaptiveLimit;
  readonly rate: RateLimiter | undefined;
}

export class ProviderLimits {
  private readonly byName = new Map<string, ProviderLimit>();

  constructor(
    private readonly options: Pick<CollectOptions, 'concurrency' | 'growAfter' | 'rateWindowMs'>,
    private readonly clock: Clock,
    private readonly emit: (e: RunEvent) => void,
  ) {}

  of(provider: Provider): ProviderLimit {
    let limits = this.byName.get(provider.name);
    if (!limits) {
      const ceiling = Math.max(1, Math.floor(this.options.concurrency?.(provider) ?? DEFAULTS.concurrency));
      const limit = new AdaptiveLimit(ceiling, this.options.growAfter ?? DEFAULTS.growAfter, (c) =>
        this.emit({ type: 'concurrency', provider: provider.name, limit: c.limit, reason: c.reason }),
      );
      limits = { limit, rate: rateLimiterFor(provider, this.clock, this.options.rateWindowMs) };
      this.byName.set(provider.name, limits);
    }
    return limits;
  }
}
