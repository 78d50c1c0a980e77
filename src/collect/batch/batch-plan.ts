// What goes into which vendor batch: the plan's cells that no live batch holds, grouped by provider and endpoint
// (an OpenAI batch has one endpoint), cut at the provider's most requests per batch. Pure.
import type { CompletionRequest } from '../../providers/provider.js';
import { sampleCellKey } from '../../store/sqlite.js';
import type { StoredBatchRequest } from '../../store/batches.js';
import type { PlanItem } from '../plan.js';

/** The request a plan item makes of its model (the same as an interactive call's). */
export function completionRequest(item: PlanItem, modelName: string): CompletionRequest {
  const prompt = item.probe.prompt;
  return prompt.kind === 'chat'
    ? { kind: 'chat', model: modelName, messages: prompt.messages, sampling: item.sampling, sampleIndex: item.index }
    : { kind: 'prefix', model: modelName, prefix: prompt.prefix, sampling: item.sampling, sampleIndex: item.index };
}

export const cellOf = (r: { model: string; probe: string; index: number }): string =>
  sampleCellKey(r.model, r.probe, r.index);

/** A batch to submit: its provider and its items, with the custom id of each (unique within the batch). */
export interface BatchChunk {
  readonly provider: string;
  readonly items: readonly PlanItem[];
  readonly requests: readonly StoredBatchRequest[];
}

/**
 * Chunks of at most `maxRequests(provider)` items, one provider and one prompt kind each, in plan order; items whose
 * cell is in `held` (a live batch has it) are left out.
 */
export function chunkForBatches(
  items: readonly PlanItem[],
  providerOf: (item: PlanItem) => string,
  maxRequests: (provider: string) => number,
  held: ReadonlySet<string>,
): BatchChunk[] {
  const groups = new Map<string, { provider: string; items: PlanItem[] }>();
  for (const item of items) {
    if (held.has(cellOf({ model: item.model, probe: item.probe.id, index: item.index }))) continue;
    const provider = providerOf(item);
    const key = `${provider}\u0000${item.probe.prompt.kind}`;
    let g = groups.get(key);
    if (!g) {
      g = { provider, items: [] };
      groups.set(key, g);
    }
    g.items.push(item);
  }
  const chunks: BatchChunk[] = [];
  for (const g of groups.values()) {
    const size = Math.max(1, Math.floor(maxRequests(g.provider)));
    for (let start = 0; start < g.items.length; start += size) {
      const slice = g.items.slice(start, start + size);
      chunks.push({
        provider: g.provider,
        items: slice,
        requests: slice.map((item, i) => ({
          customId: `r${i}`,
          model: item.model,
          probe: item.probe.id,
          index: item.index,
        })),
      });
    }
  }
  return chunks;
}
