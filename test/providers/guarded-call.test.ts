// The classification every SDK adapter shares: what the adapter reads off its error decides the failure kind, the
// caller's cancellation wins over everything, and the key never reaches the message.
import { describe, expect, it } from 'vitest';
import type { FailureContext } from '../../src/providers/failure.js';
import { guardedCall, type SdkErrorReading } from '../../src/providers/guarded-call.js';
import { ProviderCallError } from '../../src/providers/provider.js';
import { call, rejection } from './helpers.js';

const SECRET = 'sk-guard-abcdefghijklmnop';
const ctx: FailureContext = { label: 'p:m', baseURL: 'http://127.0.0.1:9', timeoutMs: 1000, secrets: [SECRET] };
const failWith = (err: unknown, reading: SdkErrorReading, options = call(1000)) =>
  rejection(
    guardedCall(
      ctx,
      options,
      () => reading,
      () => Promise.reject(err),
    ),
  );

describe('guardedCall', () => {
  it('returns what the call returns, with a deadline signal that is not aborted', async () => {
    await expect(
      guardedCall(
        ctx,
        call(1000),
        () => ({}),
        async (dl) => (dl.signal.aborted ? 'aborted' : 'ok'),
      ),
    ).resolves.toBe('ok');
  });

  it('an HTTP reading: the kind of its status, Retry-After, and the server message without the key', async () => {
    const err = await failWith(new Error('x'), {
      http: { status: 429, headers: { 'retry-after': '2' }, message: `slow down ${SECRET}` },
    });
    expect(err).toBeInstanceOf(ProviderCallError);
    expect([err.kind, err.status, err.retryAfterMs]).toEqual(['rate_limit', 429, 2000]);
    expect(err.message).toMatch(/^p:m: rate limited \(HTTP 429\): slow down/);
    expect(err.message).not.toContain(SECRET);
  });

  it('a timeout or connection reading, and an unknown error passed through', async () => {
    expect((await failWith(new Error('t'), { timeout: true })).kind).toBe('timeout');
    const refused = Object.assign(new Error('connect failed'), {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    expect((await failWith(refused, { connection: true })).kind).toBe('connection');
    const odd = new RangeError('not a provider failure');
    expect(await failWith(odd, {})).toBe(odd);
  });

  it('a ProviderCallError from inside passes unchanged; the caller cancelling wins and is not classified', async () => {
    const inner = new ProviderCallError('bad_response', 'p:m: malformed');
    expect(await failWith(inner, { http: { status: 500, headers: undefined, message: '' } })).toBe(inner);
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    controller.abort(reason);
    let ran = false;
    const err = await rejection(
      guardedCall(
        ctx,
        call(1000, controller.signal),
        () => ({ timeout: true }),
        async () => {
          ran = true;
          return 1;
        },
      ),
    );
    expect([err, ran]).toEqual([reason, false]);
  });
});
