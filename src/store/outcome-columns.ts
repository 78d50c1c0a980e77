// How a sample's outcome maps onto flat columns: shared by the samples table and the exports, so a stored row and
// an exported row say the same thing in the same words.
import type { SampleOutcome } from '../core/types.js';

export function outcomeColumns(o: SampleOutcome) {
  const ok = o.status === 'ok';
  return {
    status: o.status,
    text: ok ? o.text : null,
    finish_reason: ok ? o.finishReason : null,
    error_kind: ok ? null : o.kind,
    error_message: ok ? null : o.message,
    input_tokens: ok ? o.usage.inputTokens : 0,
    output_tokens: ok ? o.usage.outputTokens : 0,
  };
}
