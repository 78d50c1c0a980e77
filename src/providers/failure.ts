// Every failed call becomes a ProviderCallError with a FailureKind the scheduler can act on (retry, wait, give up),
// and a one-line message that names the model and never contains a secret.
import type { FailureKind } from '../core/types.js';
import { oneLine } from '../core/sanitize.js';
import { ProviderCallError } from './provider.js';
import { retryAfterMs, type HeaderSource } from './retry-after.js';
import { scrubSecrets } from './scrub.js';

export interface FailureContext {
  /** `provider:model` or the provider name, to start the message. */
  readonly label: string;
  readonly baseURL: string;
  readonly timeoutMs: number;
  /** Secrets to scrub from anything the server said (the API key). */
  readonly secrets: readonly (string | undefined)[];
}

const MAX_DETAIL = 300;

function detail(text: string, ctx: FailureContext): string {
  const clean = oneLine(scrubSecrets(text, ctx.secrets)).trim();
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}...` : clean;
}

/** The kind of an HTTP error status. */
export function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'rate_limit';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server';
  return 'bad_request';
}

const WHAT: Record<FailureKind, string> = {
  rate_limit: 'rate limited',
  timeout: 'timed out',
  server: 'server error',
  connection: 'connection failed',
  bad_response: 'malformed response',
  auth: 'not authorised',
  bad_request: 'request rejected',
  not_found: 'not found',
  unsupported: 'unsupported',
};

/** A non-2xx answer: status, the server's message, and Retry-After when it sent one. */
export function httpFailure(
  status: number,
  headers: HeaderSource,
  serverMessage: string,
  ctx: FailureContext,
): ProviderCallError {
  const kind = kindOfStatus(status);
  const wait = kind === 'rate_limit' || kind === 'server' ? retryAfterMs(headers) : undefined;
  const said = detail(serverMessage, ctx);
  const hint = kind === 'auth' ? ' (check the key)' : '';
  const after = wait !== undefined ? `; retry after ${Math.round(wait)} ms` : '';
  return new ProviderCallError(
    kind,
    `${ctx.label}: ${WHAT[kind]} (HTTP ${status})${hint}${said ? `: ${said}` : ''}${after}`,
    wait,
    status,
  );
}

export function timeoutFailure(ctx: FailureContext): ProviderCallError {
  return new ProviderCallError('timeout', `${ctx.label}: no answer from ${ctx.baseURL} within ${ctx.timeoutMs} ms`);
}

export function badResponse(what: string, ctx: FailureContext): ProviderCallError {
  return new ProviderCallError(
    'bad_response',
    `${ctx.label}: malformed response from ${ctx.baseURL}: ${detail(what, ctx)}`,
  );
}

export function unsupported(what: string, ctx: FailureContext): ProviderCallError {
  return new ProviderCallError('unsupported', `${ctx.label}: ${what}`);
}

/** The deepest `code` in an error's cause chain (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET...). */
function causeCode(err: unknown): string | undefined {
  let code: string | undefined;
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
  }
  return code;
}

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running?)',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'the server closed the connection',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connect timed out',
};

/** The message of the deepest cause (fetch wraps the real reason, e.g. "bad port", in `cause`). */
function rootMessage(err: unknown): string | undefined {
  let message: string | undefined;
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && m !== '') message = m;
  }
  return message;
}

export function connectionFailure(err: unknown, ctx: FailureContext): ProviderCallError {
  const code = causeCode(err);
  const why = code ? (CODE_TEXT[code] ?? code) : detail(rootMessage(err) ?? 'connection failed', ctx);
  return new ProviderCallError('connection', `${ctx.label}: cannot reach ${ctx.baseURL}: ${why}`);
}

function inChain(err: unknown, test: (e: object) => boolean): boolean {
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (test(e)) return true;
  }
  return false;
}

/** Errors below the SDK (fetch, JSON parsing): a body that is not JSON, a socket that died, an abort. */
export function lowLevelFailure(err: unknown, ctx: FailureContext): ProviderCallError | undefined {
  if (inChain(err, (e) => e instanceof SyntaxError)) return badResponse('body is not valid JSON', ctx);
  if (inChain(err, (e) => (e as { name?: unknown }).name === 'TimeoutError')) return timeoutFailure(ctx);
  if (
    causeCode(err) !== undefined ||
    inChain(err, (e) => e instanceof TypeError && /fetch failed|terminated|socket/i.test((e as Error).message))
  ) {
    return connectionFailure(err, ctx);
  }
  return undefined;
}

/**
 * The caller ended the call. A caller's own timeout (an AbortSignal.timeout, whose reason is a TimeoutError) is a
 * timeout; any other reason is a cancellation, rethrown as-is so the scheduler stops instead of retrying.
 */
export function callerAbort(caller: AbortSignal, ctx: FailureContext): unknown {
  const reason: unknown = caller.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return timeoutFailure(ctx);
  return reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
