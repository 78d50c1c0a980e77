// A local server speaking the OpenAI Files + Batches wire format, for `phylo run --batch` tests: POST /v1/files
// (multipart upload of the JSONL), GET /v1/files/:id/content, POST /v1/batches, GET /v1/batches[/:id],
// POST /v1/batches/:id/cancel. Output and error files are JSONL in the Batch API's line shape.
import {
  advance,
  answer,
  type BatchServerOptions,
  type BatchTestServer,
  lastUserText,
  type ServedBatch,
  startRawServer,
} from './batch-common.js';

const error = (message: string) => ({ error: { message, type: 'invalid_request_error', param: null, code: null } });

export async function startOpenAIBatchServer(options: BatchServerOptions = {}): Promise<BatchTestServer> {
  const files = new Map<string, { bytes: number; content: string; purpose: string; filename: string }>();
  const batches: ServedBatch[] = [];
  let submitted = 0;

  const fileObject = (id: string) => {
    const f = files.get(id)!;
    return { id, object: 'file', bytes: f.bytes, created_at: 1_700_000_000, filename: f.filename, purpose: f.purpose };
  };
  const writeFile = (content: string, purpose: string): string => {
    const id = `file-${files.size + 1}`;
    files.set(id, { bytes: Buffer.byteLength(content), content, purpose, filename: `${id}.jsonl` });
    return id;
  };

  /** The output (200s) and error (everything else, and what it never ran) files of an ended batch. */
  function outputs(b: ServedBatch): { output?: string; errors?: string; completed: number; failed: number } {
    const out: string[] = [];
    const err: string[] = [];
    const ran = new Set(b.ran);
    for (const [customId, body] of b.requests) {
      if (!ran.has(customId)) {
        const code = b.state === 'expired' ? 'batch_expired' : 'batch_cancelled';
        err.push(
          JSON.stringify({
            id: `req_${customId}`,
            custom_id: customId,
            response: null,
            error: { code, message: `This request ${code.slice(6)}` },
          }),
        );
        continue;
      }
      const model = String(body.model ?? '');
      const chat = Array.isArray(body.messages);
      const prompt = chat ? lastUserText(body.messages) : String(body.prompt ?? '');
      const maxTokens = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
      const a = answer(options, customId, model, prompt, maxTokens);
      if (!a.ok) {
        err.push(
          JSON.stringify({
            id: `req_${customId}`,
            custom_id: customId,
            response: { status_code: a.status, request_id: customId, body: error(a.message) },
            error: null,
          }),
        );
        continue;
      }
      const usage = {
        prompt_tokens: a.inputTokens,
        completion_tokens: a.outputTokens,
        total_tokens: a.inputTokens + a.outputTokens,
      };
      const finish_reason = a.truncated ? 'length' : 'stop';
      const choice = chat
        ? { index: 0, message: { role: 'assistant', content: a.text, refusal: null }, logprobs: null, finish_reason }
        : { index: 0, text: a.text, logprobs: null, finish_reason };
      const responseBody = {
        id: `cmpl_${customId}`,
        object: chat ? 'chat.completion' : 'text_completion',
        created: 1_700_000_000,
        model,
        choices: [choice],
        usage,
      };
      out.push(
        JSON.stringify({
          id: `req_${customId}`,
          custom_id: customId,
          response: { status_code: 200, request_id: customId, body: responseBody },
          error: null,
        }),
      );
    }
    return {
      completed: out.length,
      failed: err.length,
      ...(out.length > 0 ? { output: writeFile(`${out.join('\n')}\n`, 'batch_output') } : {}),
      ...(err.length > 0 ? { errors: writeFile(`${err.join('\n')}\n`, 'batch_output') } : {}),
    };
  }

  const ended = new Map<string, ReturnType<typeof outputs>>();
  const batchObject = (b: ServedBatch) => {
    const done = b.state === 'completed' || b.state === 'expired' || b.state === 'cancelled';
    if (done && !ended.has(b.id)) ended.set(b.id, outputs(b));
    const files = ended.get(b.id);
    return {
      id: b.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: 'file-in',
      completion_window: '24h',
      status: b.polls === 0 && b.state === 'in_progress' ? 'validating' : b.state,
      output_file_id: files?.output ?? null,
      error_file_id: files?.errors ?? null,
      created_at: b.createdAt,
      request_counts: { total: b.requests.size, completed: files?.completed ?? 0, failed: files?.failed ?? 0 },
      metadata: b.metadata,
    };
  };

  const raw = await startRawServer(async (req, reply) => {
    const parts = req.path.split('/').filter(Boolean); // v1, files|batches, id?, action?
    if (req.method === 'POST' && req.path === '/v1/files') {
      const form = await new Request('http://local/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(req.body),
      }).formData();
      const file = form.get('file');
      if (!file || typeof file === 'string') return reply.json(400, error('file: required'));
      const id = writeFile(await file.text(), String(form.get('purpose') ?? ''));
      return reply.json(200, fileObject(id));
    }
    if (req.method === 'GET' && parts[1] === 'files' && parts[2] && parts[3] === 'content') {
      const f = files.get(parts[2]);
      return f ? reply.text(200, f.content) : reply.json(404, error(`No such File object: ${parts[2]}`));
    }
    if (req.method === 'POST' && req.path === '/v1/batches') {
      const body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
      const input = files.get(String(body.input_file_id));
      if (!input) return reply.json(400, error('input_file_id: no such file'));
      const requests = new Map<string, Record<string, unknown>>();
      for (const line of input.content.split('\n')) {
        if (!line.trim()) continue;
        const l = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
        if (requests.has(l.custom_id)) return reply.json(400, error(`duplicate custom_id ${l.custom_id}`));
        requests.set(l.custom_id, l.body);
      }
      submitted += requests.size;
      const b: ServedBatch = {
        id: `batch_${batches.length + 1}`,
        index: batches.length,
        requests,
        metadata: (body.metadata as Record<string, string>) ?? {},
        createdAt: Math.floor(Date.now() / 1000),
        polls: 0,
        state: 'in_progress',
        ran: [],
      };
      batches.push(b);
      return reply.json(200, batchObject(b));
    }
    if (req.method === 'GET' && req.path === '/v1/batches') {
      const data = [...batches].reverse().map(batchObject);
      return reply.json(200, {
        object: 'list',
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: false,
      });
    }
    const b = parts[1] === 'batches' && parts[2] ? batches.find((x) => x.id === parts[2]) : undefined;
    if (!b) return reply.json(404, error(`Not found: ${req.method} ${req.path}`));
    if (req.method === 'GET' && parts.length === 3) {
      advance(b, options);
      return reply.json(200, batchObject(b));
    }
    if (req.method === 'POST' && parts[3] === 'cancel') {
      if (b.state === 'in_progress') b.state = 'cancelling';
      return reply.json(200, batchObject(b));
    }
    return reply.json(404, error(`Not found: ${req.method} ${req.path}`));
  });
  return {
    url: `${raw.origin}/v1`,
    batches,
    get submittedRequests() {
      return submitted;
    },
    close: raw.close,
  };
}
