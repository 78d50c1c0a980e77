// A local server speaking the Anthropic Message Batches wire format, for `phylo run --batch` tests:
// POST /v1/messages/batches, GET /v1/messages/batches[/:id], POST /v1/messages/batches/:id/cancel and the results
// JSONL at the batch's results_url.
import {
  advance,
  answer,
  type BatchServerOptions,
  type BatchTestServer,
  lastUserText,
  type ServedBatch,
  startRawServer,
} from './batch-common.js';

const ERROR_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};
const error = (status: number, message: string) => ({
  type: 'error',
  error: { type: ERROR_TYPE[status] ?? 'api_error', message },
});

export async function startAnthropicBatchServer(options: BatchServerOptions = {}): Promise<BatchTestServer> {
  const batches: ServedBatch[] = [];
  let submitted = 0;

  const results = (b: ServedBatch): string[] => {
    const ran = new Set(b.ran);
    return [...b.requests].map(([customId, params]) => {
      if (!ran.has(customId))
        return JSON.stringify({
          custom_id: customId,
          result: { type: b.state === 'expired' ? 'expired' : 'canceled' },
        });
      const model = String(params.model ?? '');
      const a = answer(options, customId, model, lastUserText(params.messages), params.max_tokens as number);
      if (!a.ok)
        return JSON.stringify({ custom_id: customId, result: { type: 'errored', error: error(a.status, a.message) } });
      const message = {
        id: `msg_${customId}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: a.text }],
        stop_reason: a.truncated ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: a.inputTokens, output_tokens: a.outputTokens },
      };
      return JSON.stringify({ custom_id: customId, result: { type: 'succeeded', message } });
    });
  };

  const batchObject = (b: ServedBatch, origin: string) => {
    const done = b.state === 'completed' || b.state === 'expired' || b.state === 'cancelled';
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (!done) counts.processing = b.requests.size;
    else
      for (const line of results(b)) {
        const type = (JSON.parse(line) as { result: { type: string } }).result.type;
        if (type === 'succeeded') counts.succeeded++;
        else if (type === 'errored') counts.errored++;
        else if (type === 'expired') counts.expired++;
        else counts.canceled++;
      }
    const created = new Date(b.createdAt * 1000).toISOString();
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: done ? 'ended' : b.state === 'cancelling' ? 'canceling' : 'in_progress',
      request_counts: counts,
      ended_at: done ? created : null,
      created_at: created,
      expires_at: new Date(b.createdAt * 1000 + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: b.state === 'cancelling' || b.state === 'cancelled' ? created : null,
      results_url: done ? `${origin}/v1/messages/batches/${b.id}/results` : null,
    };
  };

  const raw = await startRawServer((req, reply, origin) => {
    const parts = req.path.split('/').filter(Boolean); // v1, messages, batches, id?, action?
    if (parts[0] !== 'v1' || parts[1] !== 'messages' || parts[2] !== 'batches')
      return reply.json(404, error(404, `Not found: ${req.method} ${req.path}`));
    if (req.method === 'POST' && parts.length === 3) {
      const body = JSON.parse(req.body.toString('utf8') || '{}') as { requests?: unknown };
      if (!Array.isArray(body.requests) || body.requests.length === 0)
        return reply.json(400, error(400, 'requests: at least one request'));
      const requests = new Map<string, Record<string, unknown>>();
      for (const r of body.requests as { custom_id?: unknown; params?: Record<string, unknown> }[]) {
        const id = String(r.custom_id ?? '');
        if (!/^[a-zA-Z0-9_-]{1,64}$/.test(id) || requests.has(id))
          return reply.json(400, error(400, `custom_id ${id}: invalid or duplicate`));
        requests.set(id, r.params ?? {});
      }
      submitted += requests.size;
      const b: ServedBatch = {
        id: `msgbatch_${batches.length + 1}`,
        index: batches.length,
        requests,
        metadata: {},
        createdAt: Math.floor(Date.now() / 1000),
        polls: 0,
        state: 'in_progress',
        ran: [],
      };
      batches.push(b);
      return reply.json(200, batchObject(b, origin));
    }
    if (req.method === 'GET' && parts.length === 3) {
      const data = [...batches].reverse().map((b) => batchObject(b, origin));
      return reply.json(200, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
    }
    const b = batches.find((x) => x.id === parts[3]);
    if (!b) return reply.json(404, error(404, `batch ${parts[3]} not found`));
    if (req.method === 'GET' && parts.length === 4) {
      advance(b, options);
      return reply.json(200, batchObject(b, origin));
    }
    if (req.method === 'POST' && parts[4] === 'cancel') {
      if (b.state === 'in_progress') b.state = 'cancelling';
      return reply.json(200, batchObject(b, origin));
    }
    if (req.method === 'GET' && parts[4] === 'results') {
      const ended = b.state === 'completed' || b.state === 'expired' || b.state === 'cancelled';
      if (!ended) return reply.json(400, error(400, 'batch has not ended'));
      return reply.text(200, `${results(b).join('\n')}\n`, 'application/binary');
    }
    return reply.json(404, error(404, `Not found: ${req.method} ${req.path}`));
  });
  return {
    url: raw.origin,
    batches,
    get submittedRequests() {
      return submitted;
    },
    close: raw.close,
  };
}
