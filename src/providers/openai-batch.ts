// The OpenAI Batch API through the official SDK: the requests go up as a JSONL file (Files API, purpose "batch"),
// a batch is created on it, polled, and its output and error files are read back. Each line carries our custom id.
// https://platform.openai.com/docs/guides/batch
import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { Completion } from '../core/types.js';
import type { BatchApi, BatchRequest, BatchResult, BatchState, BatchStatus } from './batch.js';
import { badResponse, httpFailure, timeoutFailure, type FailureContext } from './failure.js';
import { guardedCall } from './guarded-call.js';
import { openAIRequestBody, readOpenAIError, toCompletion } from './openai.js';
import type { CallOptions, Capabilities, CompletionRequest } from './provider.js';
import type { TemperaturePolicy } from './temperature.js';

/** The Batch API's ceiling on requests per batch. */
export const OPENAI_BATCH_MAX_REQUESTS = 50_000;
const STATES: Record<OpenAI.Batches.Batch['status'], BatchState> = {
  validating: 'validating',
  in_progress: 'in_progress',
  finalizing: 'finalizing',
  completed: 'completed',
  expired: 'expired',
  cancelling: 'cancelling',
  cancelled: 'cancelled',
  failed: 'failed',
};
const TAG_KEY = 'phylo_batch';

export interface OpenAIBatchContext {
  readonly client: OpenAI;
  readonly profileName: string;
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  readonly capabilities: Capabilities;
  readonly temperatures: TemperaturePolicy;
  readonly context: (label: string, timeoutMs: number) => FailureContext;
  readonly priceFactor: number;
  readonly maxRequests: number;
}

function toStatus(b: OpenAI.Batches.Batch): BatchStatus {
  const c = b.request_counts;
  return {
    id: b.id,
    state: STATES[b.status] ?? 'in_progress',
    succeeded: c?.completed ?? 0,
    errored: c?.failed ?? 0,
    total: c?.total ?? 0,
  };
}

/** One line of an output or error file. */
interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}

export function createOpenAIBatchApi(c: OpenAIBatchContext): BatchApi {
  const { client } = c;
  const call = <T>(label: string, options: CallOptions, run: (o: OpenAI.RequestOptions) => Promise<T>): Promise<T> => {
    const ctx = c.context(`${c.profileName} batch ${label}`, options.timeoutMs);
    return guardedCall(
      ctx,
      options,
      readOpenAIError,
      (dl) => {
        if (dl.left() < 1) throw timeoutFailure(ctx);
        return run({ signal: dl.signal, timeout: dl.left(), maxRetries: 0 });
      },
      'sdk',
    );
  };

  function line(r: BatchRequest): string {
    const plan = c.temperatures.plan(r.request.model, r.request.sampling.temperature);
    const { url, body } = openAIRequestBody(r.request, plan.send, c.maxTokensField, c.capabilities);
    return JSON.stringify({ custom_id: r.customId, method: 'POST', url, body });
  }

  function parse(text: string, asked: ReadonlyMap<string, CompletionRequest>, ctx: FailureContext): BatchResult[] {
    const out: BatchResult[] = [];
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let l: OutputLine;
      try {
        l = JSON.parse(raw) as OutputLine;
      } catch {
        throw badResponse('a line of the batch output is not JSON', ctx);
      }
      if (typeof l.custom_id !== 'string') continue;
      const customId = l.custom_id;
      const status = typeof l.response?.status_code === 'number' ? l.response.status_code : undefined;
      if (status === 200) {
        const request = asked.get(customId);
        if (!request) continue; // not one of ours
        // The same plan the line was written with (the profile's rules are deterministic), so a resumed process
        // records the temperature used and reads the logprobs as the submitting one would have.
        const plan = c.temperatures.plan(request.model, request.sampling.temperature);
        const top = request.sampling.topLogprobs !== undefined && c.capabilities.logprobs;
        try {
          const body = l.response?.body as Parameters<typeof toCompletion>[0];
          const completion: Completion = toCompletion(
            body,
            plan.used,
            plan.note,
            top ? (request.sampling.topLogprobs ?? 0) : undefined,
            ctx,
          );
          out.push({ customId, ok: true, completion });
        } catch (err) {
          out.push({ customId, ok: false, kind: 'bad_response', message: (err as Error).message, ran: true });
        }
        continue;
      }
      if (status !== undefined) {
        const body = l.response?.body as { error?: { message?: unknown } } | undefined;
        const said = typeof body?.error?.message === 'string' ? body.error.message : `status ${status}`;
        const failure = httpFailure(status, undefined, said, ctx);
        out.push({ customId, ok: false, kind: failure.kind, message: failure.message, ran: true });
        continue;
      }
      // No response: the vendor never ran it (batch_expired, batch_cancelled) or could not (a malformed line).
      const code = typeof l.error?.code === 'string' ? l.error.code : 'no response';
      const message = `${ctx.label}: ${code}${typeof l.error?.message === 'string' ? `: ${l.error.message}` : ''}`;
      const ran = !/expired|cancel/i.test(code);
      out.push({ customId, ok: false, kind: ran ? 'bad_request' : 'server', message, ran });
    }
    return out;
  }

  return {
    priceFactor: c.priceFactor,
    maxRequests: c.maxRequests,
    async submit(requests, tag, options) {
      const jsonl = `${requests.map(line).join('\n')}\n`;
      const endpoint = requests[0]?.request.kind === 'prefix' ? '/v1/completions' : '/v1/chat/completions';
      return call('submit', options, async (o) => {
        const file = await client.files.create(
          { file: await toFile(Buffer.from(jsonl), `${tag}.jsonl`), purpose: 'batch' },
          o,
        );
        const batch = await client.batches.create(
          { input_file_id: file.id, endpoint, completion_window: '24h', metadata: { [TAG_KEY]: tag } },
          o,
        );
        return toStatus(batch);
      });
    },
    status: (id, options) => call(id, options, async (o) => toStatus(await client.batches.retrieve(id, o))),
    cancel: (id, options) => call(id, options, async (o) => toStatus(await client.batches.cancel(id, o))),
    results: (id, asked, options) =>
      call(id, options, async (o) => {
        const ctx = c.context(`${c.profileName} batch ${id}`, options.timeoutMs);
        const batch = await client.batches.retrieve(id, o);
        const out: BatchResult[] = [];
        for (const fileId of [batch.output_file_id, batch.error_file_id]) {
          if (!fileId) continue;
          const res = await client.files.content(fileId, o);
          out.push(...parse(await res.text(), asked, ctx));
        }
        return out;
      }),
    find: (tag, _count, since, known, options) =>
      call('find', options, async (o) => {
        const after = Date.parse(since) / 1000 - 60;
        for await (const b of client.batches.list({ limit: 100 }, o)) {
          if (b.created_at < after) break; // newest first
          if (!known.has(b.id) && b.metadata?.[TAG_KEY] === tag) return b.id;
        }
        return undefined;
      }),
  };
}
