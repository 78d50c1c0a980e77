// Per-token log-probabilities in the wire shape OpenAI's chat API and Ollama share ({ token, logprob, top_logprobs }),
// mapped onto ours; the alternatives only when some were asked for.
import type { TokenLogprob } from '../core/types.js';

interface Alternative {
  readonly token: string;
  readonly logprob: number;
}

export interface WireLogprob extends Alternative {
  readonly top_logprobs?: readonly Alternative[] | null;
}

export function toTokenLogprobs(list: readonly WireLogprob[], top: number): TokenLogprob[] {
  return list.map((t) => ({
    token: t.token,
    logprob: t.logprob,
    ...(top > 0 ? { top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })) } : {}),
  }));
}
