// The vendor batches of a run (`phylo run --batch`) as `phylo show` prints them: one line per batch, live ones first
// in mind: what is still at the vendor, what has landed in the store.
import { oneLine } from '../core/sanitize.js';
import type { StoredBatch } from '../store/batches.js';

export interface BatchLine {
  readonly provider: string;
  readonly id: string;
  readonly state: string;
  readonly requests: number;
  readonly succeeded: number;
  readonly errored: number;
  readonly landed: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function batchLines(batches: readonly StoredBatch[]): BatchLine[] {
  return batches.map((b) => ({
    provider: b.provider,
    id: b.vendorId ?? `#${b.id} (not yet acknowledged)`,
    state: b.state,
    requests: b.requests,
    succeeded: b.succeeded,
    errored: b.errored,
    landed: b.landed,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  }));
}

export function formatBatches(lines: readonly BatchLine[]): string {
  if (lines.length === 0) return '';
  const live = lines.filter((l) => !l.landed).length;
  const head = `\nbatches: ${lines.length} (${live} live, ${lines.length - live} landed)\n`;
  return (
    head +
    lines
      .map(
        (l) =>
          `  ${oneLine(l.provider)} ${oneLine(l.id)}: ${oneLine(l.state)}${l.landed ? ', landed' : ''}, ` +
          `${l.requests} requests (${l.succeeded} ok, ${l.errored} errored so far), updated ${oneLine(l.updatedAt)}`,
      )
      .join('\n') +
    '\n'
  );
}
