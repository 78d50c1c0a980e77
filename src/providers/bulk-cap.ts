// Model listings and embedding responses are read with a byte cap too (the keep-alive fetch's maxBodyBytes, as for
// answers), but they are not answers: a cut listing or vector batch is worth nothing, so a body over the cap is an
// error of its own (ResponseTooLargeError), one line naming the provider, what was read and the limit. Not retried:
// the same endpoint sends the same body again.
import { AnswerTooLargeError } from './keepalive-fetch.js';
import type { FailureContext } from './failure.js';
import { ProviderCallError } from './provider.js';

/** Default cap on a listing or embeddings response: 16 MiB (64 vectors of 3,072 floats as JSON are ~4 MB). */
export const DEFAULT_MAX_BULK_BYTES = 16 * 1024 * 1024;

/** What a bulk response is, for the message. */
export type BulkResponse = 'model listing' | 'embeddings response';

/** A listing or embeddings response longer than the profile's maxBulkBytes: refused, never parsed cut. */
export class ResponseTooLargeError extends ProviderCallError {
  constructor(
    readonly what: BulkResponse,
    readonly limit: number,
    message: string,
  ) {
    super('bad_response', message);
  }

  /** The same request would bring the same body: retrying only reads another `limit` bytes. */
  override get retryable(): boolean {
    return false;
  }
}

/** "16 MiB" for a whole number of MiB, else the bytes. */
function size(bytes: number): string {
  return bytes % 1_048_576 === 0 ? `${bytes / 1_048_576} MiB` : `${bytes} bytes`;
}

export function responseTooLarge(what: BulkResponse, limit: number, ctx: FailureContext): ResponseTooLargeError {
  return new ResponseTooLargeError(
    what,
    limit,
    `${ctx.label}: the ${what} from ${ctx.baseURL} is larger than ${size(limit)} (the profile's maxBulkBytes); ` +
      'not read further',
  );
}

/** Run a listing or embeddings call; a body over the cap becomes ResponseTooLargeError, other failures pass. */
export async function refuseOversized<T>(what: BulkResponse, ctx: FailureContext, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof AnswerTooLargeError) throw responseTooLarge(what, err.limit, ctx);
    throw err;
  }
}
