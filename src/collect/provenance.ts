// Where a sample came from, as stored beside it: the endpoint's base URL with nothing secret in it. The base URL is
// provenance an auditor reads, so it keeps scheme, host, port and path, and drops what may carry a credential: the
// user and password of the URL, its query (`?key=...`) and its fragment.
import type { Completion } from '../core/types.js';
import type { Provider } from '../providers/provider.js';

/** The base URL without user, password, query or fragment; a string that is not a URL is dropped whole if suspect. */
export function publicBaseURL(url: string): string {
  if (url === '') return '';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL: keep it only when nothing in it looks like credentials or a query.
    return /[@?#]/.test(url) ? '[unparsable base URL withheld]' : url;
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}

/** A model's fingerprint from its provider's listing (Ollama's digest), asked once, after a first answer. */
export class ListedFingerprint {
  private listed?: Promise<string | undefined>;

  constructor(
    private readonly provider: Provider,
    private readonly model: string,
  ) {}

  /** The answer, with the listing's fingerprint when it carries none of its own; a failed listing adds nothing. */
  async complete(completion: Completion, signal: AbortSignal, timeoutMs: number): Promise<Completion> {
    if (completion.fingerprint !== undefined || !this.provider.describeModel) return completion;
    this.listed ??= this.provider
      .describeModel(this.model, { signal, timeoutMs })
      .then((d) => d.fingerprint)
      .catch(() => undefined);
    const fingerprint = await this.listed;
    return fingerprint === undefined ? completion : { ...completion, fingerprint };
  }
}
