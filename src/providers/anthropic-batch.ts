// Anthropic Message Batches through the official SDK: create (the requests inline, each with our custom id), retrieve
// to poll, results (a JSONL stream of per-request outcomes), cancel. https://docs.anthropic.com/en/api/messages-batches
import type Anthropic from '@anthropic-ai/sdk';
import { anthropicMessageParams, messageToCompletion, readAnthropicError } from './anthropic.js';
import type { BatchApi, BatchResult, BatchState, BatchStatus } from './batch.js';
import { badResponse, httpFailure, timeoutFailure, unsupported, type FailureContext } from './failure.js';
import { guardedCall } from './guarded-call.js';
import type { CallOptions, CompletionRequest } from './provider.js';
import type { TemperaturePolicy } from './temperature.js';

/** The Message Batches API's ceiling on requests per batch. */
export const ANTHROPIC_BATCH_MAX_REQUESTS = 100_000;

type MessageBatch = Anthropic.Messages.Batches.MessageBatch;

export interface AnthropicBatchContext {
  readonly client: Anthropic;
  readonly profileName: string;
  readonly temperatures: TemperaturePolicy;
  readonly context: (label: string, timeoutMs: number) => FailureContext;
  readonly priceFactor: number;
  readonly maxRequests: number;
}

/** Anthropic says only in_progress / canceling / ended; how it ended is read off the counts. */
function stateOf(b: MessageBatch): BatchState {
  if (b.processing_status === 'in_progress') return 'in_progress';
  if (b.processing_status === 'canceling') return 'cancelling';
  if (b.cancel_initiated_at) return 'cancelled';
  if (b.request_counts.expired > 0) return 'expired';
  return 'completed';
}

function toStatus(b: MessageBatch): BatchStatus {
  const c = b.request_counts;
  return {
    id: b.id,
    state: stateOf(b),
    succeeded: c.succeeded,
    errored: c.errored,
    total: c.succeeded + c.errored + c.canceled + c.expired + c.processing,
  };
}

/** HTTP status of an Anthropic error type, to classify a batch item's error like an interactive one. */
const STATUS_OF: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export function createAnthropicBatchApi(c: AnthropicBatchContext): BatchApi {
  const { client } = c;
  type Options = { signal: AbortSignal; timeout: number; maxRetries: number };
  const call = <T>(label: string, options: CallOptions, run: (o: Options) => Promise<T>): Promise<T> => {
    const ctx = c.context(`${c.profileName} batch ${label}`, options.timeoutMs);
    return guardedCall(
      ctx,
      options,
      readAnthropicError,
      (dl) => {
        if (dl.left() < 1) throw timeoutFailure(ctx);
        return run({ signal: dl.signal, timeout: dl.left(), maxRetries: 0 });
      },
      'sdk',
    );
  };

  function result(
    line: Anthropic.Messages.Batches.MessageBatchIndividualResponse,
    request: CompletionRequest,
    ctx: FailureContext,
  ): BatchResult {
    const customId = line.custom_id;
    const r = line.result;
    switch (r?.type) {
      case 'succeeded': {
        const plan = c.temperatures.plan(request.model, request.sampling.temperature);
        try {
          return { customId, ok: true, completion: messageToCompletion(r.message, plan, ctx) };
        } catch (err) {
          return { customId, ok: false, kind: 'bad_response', message: (err as Error).message, ran: true };
        }
      }
      case 'errored': {
        const type = r.error?.error?.type ?? 'api_error';
        const failure = httpFailure(STATUS_OF[type] ?? 500, undefined, r.error?.error?.message ?? type, ctx);
        return { customId, ok: false, kind: failure.kind, message: failure.message, ran: true };
      }
      case 'expired':
      case 'canceled':
        return { customId, ok: false, kind: 'server', message: `${ctx.label}: request ${r.type}`, ran: false };
      default:
        return { customId, ok: false, kind: 'bad_response', message: `${ctx.label}: unknown result type`, ran: true };
    }
  }

  return {
    priceFactor: c.priceFactor,
    maxRequests: c.maxRequests,
    submit: (requests, _tag, options) =>
      call('submit', options, async (o) => {
        const ctx = c.context(`${c.profileName} batch`, options.timeoutMs);
        const params = requests.map(({ customId, request }) => {
          if (request.kind !== 'chat') throw unsupported('the Messages API cannot continue a raw prefix', ctx);
          const plan = c.temperatures.plan(request.model, request.sampling.temperature);
          return { custom_id: customId, params: anthropicMessageParams(request, plan.send) };
        });
        return toStatus(await client.messages.batches.create({ requests: params }, o));
      }),
    status: (id, options) =>
      call(id, options, async (o) => toStatus(await client.messages.batches.retrieve(id, {}, o))),
    cancel: (id, options) => call(id, options, async (o) => toStatus(await client.messages.batches.cancel(id, {}, o))),
    results: (id, asked, options) =>
      call(id, options, async (o) => {
        const ctx = c.context(`${c.profileName} batch ${id}`, options.timeoutMs);
        const out: BatchResult[] = [];
        const lines = await client.messages.batches.results(id, {}, o);
        for await (const line of lines) {
          if (!line || typeof line.custom_id !== 'string') throw badResponse('a result line without custom_id', ctx);
          const request = asked.get(line.custom_id);
          if (request) out.push(result(line, request, ctx));
        }
        return out;
      }),
    // Message Batches carry no metadata: a batch we never recorded is recognised by its size and its creation time
    // (after our row was written), among the batches this store does not know.
    find: (_tag, count, since, known, options) =>
      call('find', options, async (o) => {
        const after = Date.parse(since) - 60_000;
        for await (const b of client.messages.batches.list({ limit: 100 }, o)) {
          if (Date.parse(b.created_at) < after) break; // newest first
          if (!known.has(b.id) && toStatus(b).total === count) return b.id;
        }
        return undefined;
      }),
  };
}
