// promptfoo names a model with the API it goes through between the provider and the model id
// (`openai:chat:gpt-4o-mini`, `anthropic:messages:claude-3-5-haiku-latest`, `ollama:chat:llama3.2`). We pick chat or
// raw completion per probe, so that segment only selects what the probe already decides: it is dropped, and the stored
// ref stays canonical (`openai:gpt-4o-mini`). https://www.promptfoo.dev/docs/providers/
const API_SEGMENTS: ReadonlySet<string> = new Set(['chat', 'completion', 'messages']);

/**
 * The model part of a ref with a promptfoo API segment removed: `chat:gpt-4o-mini` -> `gpt-4o-mini`. Anything else
 * (including an Ollama tag such as `llama3.2:latest`, or a bare `chat` with nothing after it) is returned unchanged.
 */
export function withoutPromptfooApiSegment(model: string): string {
  const colon = model.indexOf(':');
  if (colon < 0) return model;
  const segment = model.slice(0, colon);
  const rest = model.slice(colon + 1);
  return API_SEGMENTS.has(segment) && rest.trim() !== '' ? rest : model;
}
