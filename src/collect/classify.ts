// A provider's failure as a kind the scheduler can act on (retry, stop the model, keep as the sample's answer).
import { ProviderCallError } from '../providers/provider.js';

/** Anything a provider throws, as a failure kind; adapters should throw ProviderCallError, the rest is a guess. */
export function classify(err: unknown): ProviderCallError {
  if (err instanceof ProviderCallError) return err;
  const e = err as { name?: string; message?: string; code?: string } | undefined;
  const message = e?.message ?? String(err);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new ProviderCallError('timeout', message);
  if (typeof e?.code === 'string' && /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(e.code))
    return new ProviderCallError('connection', message);
  return new ProviderCallError('bad_response', message);
}
