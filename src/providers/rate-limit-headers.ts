// What the vendors' rate-limit headers say, read off every answer by a fetch wrapper the SDK is given:
// OpenAI `x-ratelimit-remaining-requests/-tokens` with `x-ratelimit-reset-requests/-tokens` as durations ("1s",
// "6m0s", "20ms"); Anthropic `anthropic-ratelimit-requests-remaining/-tokens-remaining` with `-reset` as RFC 3339
// times. The scheduler (src/collect/rate-limit.ts) reads the latest before each request.
import type { ServerLimits } from './provider.js';

/** "1h2m3.5s", "6m0s", "20ms" -> milliseconds. */
export function durationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    matched += m[0];
  }
  return matched.length > 0 && matched.length === text.trim().length ? total : undefined;
}

const num = (v: string | null): number | undefined => {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** The limits an answer's headers state, or undefined when it states none. */
export function readRateLimitHeaders(
  headers: Headers,
  now: number,
  wallNow: number = Date.now(),
): ServerLimits | undefined {
  const openaiReq = num(headers.get('x-ratelimit-remaining-requests'));
  const openaiTok = num(headers.get('x-ratelimit-remaining-tokens'));
  if (openaiReq !== undefined || openaiTok !== undefined) {
    const rr = headers.get('x-ratelimit-reset-requests');
    const rt = headers.get('x-ratelimit-reset-tokens');
    return {
      at: now,
      ...(openaiReq !== undefined ? { remainingRequests: openaiReq } : {}),
      ...(openaiTok !== undefined ? { remainingTokens: openaiTok } : {}),
      ...(rr && durationMs(rr) !== undefined ? { resetRequestsMs: durationMs(rr) } : {}),
      ...(rt && durationMs(rt) !== undefined ? { resetTokensMs: durationMs(rt) } : {}),
    };
  }
  const anthReq = num(headers.get('anthropic-ratelimit-requests-remaining'));
  const anthTok = num(headers.get('anthropic-ratelimit-tokens-remaining'));
  if (anthReq === undefined && anthTok === undefined) return undefined;
  const until = (name: string): number | undefined => {
    const t = Date.parse(headers.get(name) ?? '');
    return Number.isNaN(t) ? undefined : Math.max(0, t - wallNow);
  };
  const rr = until('anthropic-ratelimit-requests-reset');
  const rt = until('anthropic-ratelimit-tokens-reset');
  return {
    at: now,
    ...(anthReq !== undefined ? { remainingRequests: anthReq } : {}),
    ...(anthTok !== undefined ? { remainingTokens: anthTok } : {}),
    ...(rr !== undefined ? { resetRequestsMs: rr } : {}),
    ...(rt !== undefined ? { resetTokensMs: rt } : {}),
  };
}

/** A fetch that remembers the last rate-limit headers it saw; `latest()` for Provider.serverLimits. */
export function watchRateLimits(inner: typeof fetch): { fetch: typeof fetch; latest: () => ServerLimits | undefined } {
  let latest: ServerLimits | undefined;
  const watched: typeof fetch = async (input, init) => {
    const res = await inner(input, init);
    const seen = readRateLimitHeaders(res.headers, performance.now());
    if (seen) latest = seen;
    return res;
  };
  return { fetch: watched, latest: () => latest };
}
