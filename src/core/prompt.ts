// What a prompt says, as one string: how probes are matched across suites (replay, imports, exports).
import type { Prompt } from './types.js';

/** The text a prompt shows: the raw prefix, or the chat messages' contents joined by blank lines. */
export function promptText(prompt: Prompt): string {
  return prompt.kind === 'prefix' ? prompt.prefix : prompt.messages.map((m) => m.content).join('\n\n');
}
