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

/**
 * The most pages of one listing read: Anthropic pages 100 models, so 100,000 models. A server whose pages never end
 * (`has_more` always true) would otherwise be asked forever.
 */
export const MAX_LISTING_PAGES = 1000;

/** What the SDKs' pages (OpenAI's and Anthropic's AbstractPage) offer. */
export interface ListingPage<T> {
  getPaginatedItems(): T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<ListingPage<T>>;
}

/**
 * The sorted ids of a listing: each page under the fetch's byte cap, the ids of all pages together under it too
 * (`limit`), and at most MAX_LISTING_PAGES pages; over any of these, a ResponseTooLargeError.
 */
export async function listedIds<T extends { readonly id: string }>(
  first: Promise<ListingPage<T>>,
  limit: number,
  ctx: FailureContext,
): Promise<string[]> {
  const ids: string[] = [];
  let chars = 0;
  let page = await refuseOversized('model listing', ctx, first);
  for (let pages = 1; ; pages++) {
    for (const item of page.getPaginatedItems()) {
      const id = String(item.id);
      chars += id.length;
      if (chars > limit) throw responseTooLarge('model listing', limit, ctx);
      ids.push(id);
    }
    if (!page.hasNextPage()) return ids.sort();
    if (pages >= MAX_LISTING_PAGES)
      throw new ResponseTooLargeError(
        'model listing',
        limit,
        `${ctx.label}: the model listing from ${ctx.baseURL} has more than ${MAX_LISTING_PAGES} pages; ` +
          'not read further',
      );
    page = await refuseOversized('model listing', ctx, page.getNextPage());
  }
}
