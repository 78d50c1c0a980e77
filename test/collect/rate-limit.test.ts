// Rate limits: the profile's requests per minute hold in every sliding window, counted at a local server (the
// window scaled to 200 ms so the test is fast); tokens per minute and the vendors' rate-limit headers, on a
// manual clock.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/collect/clock.js';
import { collect } from '../../src/collect/collector.js';
import { prepareRun } from '../../src/collect/prepare.js';
import { RateLimiter } from '../../src/collect/rate-limit.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import { durationMs, readRateLimitHeaders } from '../../src/providers/rate-limit-headers.js';
import { openStore } from '../../src/store/sqlite.js';
import { startOpenAIServer } from '../../src/testing/servers/index.js';
import { localProvider } from '../providers/helpers.js';
import { suiteOf, tempDir } from './fakes.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Time that moves only when someone sleeps. */
function manualClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}
const never = new AbortController().signal;

/** The most arrivals in any window [t, t + windowMs) starting at an arrival. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

describe('requests per minute', () => {
  it('no sliding window at the server holds more than the profile allows', async () => {
    const arrivals: number[] = [];
    const server = await startOpenAIServer({
      faults: (req) => {
        if (req.path.endsWith('/chat/completions')) arrivals.push(performance.now());
        return undefined;
      },
    });
    cleanup.push(() => server.close());
    const dir = tempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const store = openStore(path.join(dir, 'results'));
    cleanup.push(() => store.close());
    const provider = localProvider('openai', server.url, { rateLimit: { maxConcurrency: 8, requestsPerMinute: 5 } });
    const spec = { name: 'r' as RunName, suite: suiteOf(30), models: ['local:test-model'] as ModelRef[], samples: 1 };
    prepareRun(store, spec);
    const windowMs = 200;
    const result = await collect({
      store,
      spec,
      providerFor: () => provider,
      concurrency: () => 8,
      rateWindowMs: windowMs,
    });
    expect(result.ok).toBe(30);
    expect(arrivals).toHaveLength(30);
    expect(busiestWindow(arrivals, windowMs)).toBeLessThanOrEqual(5);
    // Not a limiter that simply serialises everything: windows do fill up to the limit.
    expect(busiestWindow(arrivals, windowMs)).toBe(5);
  });

  it('waits exactly for the oldest request to leave the window', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 2 }, clock, 1000);
    (await limiter.acquire(1, never)).done();
    (await limiter.acquire(1, never)).done();
    expect(clock.now()).toBe(0);
    await limiter.acquire(1, never);
    // A request counts until a window after it ends (1 % guard on the window for clock and transport skew).
    expect(clock.now()).toBe(1010);
  });
});

describe('tokens per minute and server headers', () => {
  it('a request waits until the tokens of the window leave room for it', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 100 }, clock, 1000);
    const a = await limiter.acquire(60, never);
    a.done(40); // the answer used fewer than estimated
    (await limiter.acquire(50, never)).done();
    expect(clock.now()).toBe(0);
    await limiter.acquire(30, never); // 40 + 50 + 30 > 100: the first must leave
    expect(clock.now()).toBe(1010);
  });

  it('while the window is full of requests in flight, the next waits for one to end', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 1 }, clock, 1000);
    const first = await limiter.acquire(1, never);
    let started = false;
    const second = limiter.acquire(1, never).then(() => {
      started = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toBe(false);
    first.done();
    await second;
    expect(clock.now()).toBe(1010);
  });

  it('no requests left per the headers: wait for their reset', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({}, clock, 1000);
    limiter.observe({ remainingRequests: 0, resetRequestsMs: 750, at: 0 });
    await limiter.acquire(1, never);
    expect(clock.now()).toBe(750);
  });

  it('one remaining request per the headers lets one through, then waits for the reset', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({}, clock, 1000);
    const headers = { remainingRequests: 1, resetRequestsMs: 300, at: 0 };
    limiter.observe(headers);
    expect(limiter.free(1)).toBe(true);
    limiter.observe(headers); // the same answer's headers again: no news
    expect(limiter.free(1)).toBe(false);
    await limiter.acquire(1, never);
    expect(clock.now()).toBe(300);
  });

  it('reads OpenAI and Anthropic rate-limit headers', () => {
    expect(durationMs('6m0s')).toBe(360_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('20ms')).toBe(20);
    expect(durationMs('soon')).toBeUndefined();
    const openai = readRateLimitHeaders(
      new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }),
      5,
    );
    expect(openai).toEqual({ at: 5, remainingRequests: 0, resetRequestsMs: 1000 });
    const wall = Date.parse('2025-01-01T00:00:00Z');
    const anthropic = readRateLimitHeaders(
      new Headers({
        'anthropic-ratelimit-tokens-remaining': '10',
        'anthropic-ratelimit-tokens-reset': '2025-01-01T00:00:02Z',
      }),
      7,
      wall,
    );
    expect(anthropic).toEqual({ at: 7, remainingTokens: 10, resetTokensMs: 2000 });
    expect(readRateLimitHeaders(new Headers({ 'content-type': 'application/json' }), 0)).toBeUndefined();
  });
});
