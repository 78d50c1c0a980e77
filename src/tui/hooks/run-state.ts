// The run screen's logic without ink: which key does what in which phase (pause and cancel while collecting, the
// results or home once it is over), and the vendor batches of a `--batch` run as the lines the screen draws: one per
// batch with its provider, state, succeeded/errored/requests and age, the live ones before the landed ones. Ids and
// states come from the vendor: control sequences are stripped before they reach the terminal.
import type { BatchProgress, ProgressSnapshot } from '../../collect/progress.js';
import { formatDuration } from '../../core/format.js';
import { oneLine } from '../../core/sanitize.js';
import type { KeyPress } from './key-press.js';

export type RunKeyAction = 'pause' | 'resume' | 'cancel' | 'results' | 'home';

export function runIsOver(progress: ProgressSnapshot | undefined): boolean {
  return progress?.phase === 'finished' || progress?.phase === 'cancelled';
}

export function runKeyAction(
  progress: ProgressSnapshot | undefined,
  input: string,
  key: KeyPress,
): RunKeyAction | undefined {
  if (!progress) return undefined;
  const over = runIsOver(progress);
  if (input === 'p' && !over) return progress.phase === 'paused' ? 'resume' : 'pause';
  if (input === 'x' && !over) return 'cancel';
  if (key.return && over) return 'results';
  if (key.escape && over) return 'home';
  return undefined;
}

/**
 * How a batch stands: live (its answers not in the store yet), landed, or ended short (failed, expired or cancelled
 * at the vendor: what it ran lands, the rest is submitted again).
 */
export type BatchTone = 'live' | 'landed' | 'failed';

export interface BatchLine {
  readonly provider: string;
  readonly batch: string;
  readonly state: string;
  readonly tone: BatchTone;
  /** `succeeded/errored/requests`, as the vendor last counted them. */
  readonly counts: string;
  /** Since the batch was first stored (submit included); '--' when the events do not say. */
  readonly age: string;
}

export interface BatchLines {
  /** `3 batches: 2 live, 1 landed`; empty for a run without batches. */
  readonly summary: string;
  readonly lines: readonly BatchLine[];
  /** Batches left out to fit `max` lines (the oldest landed ones go first). */
  readonly hidden: number;
}

// The vendors' terminal states that do not mean every request ran (OpenAI: failed, expired, cancelled; Anthropic:
// canceled, expired on its results).
const ENDED_SHORT = new Set(['failed', 'expired', 'cancelled', 'canceled']);

function toneOf(b: BatchProgress): BatchTone {
  if (ENDED_SHORT.has(b.state)) return 'failed';
  return b.landed ? 'landed' : 'live';
}

/**
 * The batches as lines, at most `max`: live ones first (in the order they were submitted), then landed or ended
 * ones, most recent first; the age is measured from `nowMs`.
 */
export function batchLines(batches: readonly BatchProgress[], nowMs: number, max = Infinity): BatchLines {
  const lines = batches.map((b, order): BatchLine & { order: number } => {
    const created = b.createdAt === undefined ? NaN : Date.parse(b.createdAt);
    return {
      order,
      provider: oneLine(b.provider),
      batch: oneLine(b.batch),
      state: oneLine(b.landed ? `${b.state}, landed` : b.state),
      tone: toneOf(b),
      counts: `${b.succeeded}/${b.errored}/${b.requests}`,
      age: formatDuration(nowMs - created),
    };
  });
  const live = lines.filter((l) => l.tone === 'live');
  const done = lines.filter((l) => l.tone !== 'live').sort((a, b) => b.order - a.order);
  const shown = [...live, ...done].slice(0, Math.max(0, max));
  const landed = batches.filter((b) => b.landed).length;
  const summary =
    batches.length === 0
      ? ''
      : `${batches.length} batch${batches.length === 1 ? '' : 'es'}: ${live.length} live, ${landed} landed` +
        (done.length > landed ? `, ${done.length - landed} ended unlanded` : '');
  return {
    summary,
    lines: shown.map(({ order: _order, ...line }) => line),
    hidden: lines.length - shown.length,
  };
}
