// How long a server asks us to wait before retrying: `retry-after-ms` (milliseconds; OpenAI and Anthropic send it),
// else `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 section 10.2.3).

/** Header lookup, case-insensitive: a Headers object or a plain record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | string[] | undefined>>
  | undefined
  | null;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | string[] | undefined>>;
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/** Milliseconds to wait, or undefined when the headers say nothing usable. Never negative. */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const ra = header(headers, 'retry-after')?.trim();
  if (ra === undefined || ra === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
