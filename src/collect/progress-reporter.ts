// Collection progress on stderr for the CLI: one line rewritten in place when stderr is a terminal, plain lines
// (at most one every few seconds, plus warnings) when it is a file or a pipe. Results never go here.
import type { RunEvent, RunListener } from '../core/events.js';
import { oneLine } from '../core/sanitize.js';
import { ProgressTracker, type ProgressSnapshot } from './progress.js';
import { formatCost, formatCount, formatDuration } from '../core/format.js';

export interface ProgressReporterOptions {
  readonly stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly tty?: boolean;
  /** Redraw period on a terminal; line period otherwise. */
  readonly intervalMs?: number;
  readonly quiet?: boolean;
}

export interface ProgressReporter {
  readonly listener: RunListener;
  /** Stop the timer and leave the cursor on a fresh line. */
  stop(): void;
}

export function progressLine(s: ProgressSnapshot): string {
  const pct = s.total > 0 ? Math.floor((100 * s.done) / s.total) : 100;
  const eta =
    s.etaMs !== undefined && s.phase === 'running' && s.done < s.total ? ` eta ${formatDuration(s.etaMs)}` : '';
  const paused = s.phase === 'paused' ? ' [paused]' : '';
  const totals = `tokens ${formatCount(s.tokens)}, ${formatCost(s.costUsd)}, ${formatDuration(s.elapsedMs)}`;
  return `${oneLine(s.run)}: ${s.done}/${s.total} (${pct}%) errors ${s.errors}, ${totals}${eta}${paused}`;
}

/** A server-requested wait this long or more is said on its own line, and shown on the progress line until it ends. */
const NOTABLE_WAIT_MS = 2000;

/** `provider waiting until 12:00:05` for each provider told to wait, until that time passes. */
export function waitingText(waits: ReadonlyMap<string, number>, now: number): string {
  const parts: string[] = [];
  for (const [provider, until] of waits)
    if (until > now) parts.push(`${oneLine(provider)} waiting until ${new Date(until).toISOString().slice(11, 19)}`);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

export function startProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean((stream as NodeJS.WriteStream).isTTY);
  const interval = options.intervalMs ?? (tty ? 100 : 5000);
  const tracker = new ProgressTracker();
  let drawn = false;
  let started = false;
  /** Provider (model-ref prefix) -> when its longest current Retry-After wait ends (epoch ms). */
  const waits = new Map<string, number>();

  const draw = (): void => {
    if (options.quiet || !started) return;
    const line = progressLine(tracker.snapshot()) + waitingText(waits, Date.now());
    if (tty) {
      const width = (stream as NodeJS.WriteStream).columns ?? 120;
      stream.write(`\r\u001b[2K${line.slice(0, Math.max(10, width - 1))}`);
      drawn = true;
    } else {
      stream.write(`${line}\n`);
    }
  };
  const say = (text: string): void => {
    if (options.quiet) return;
    if (tty && drawn) stream.write('\r\u001b[2K');
    stream.write(`${oneLine(text)}\n`);
    drawn = false;
  };

  const timer = setInterval(draw, interval);
  timer.unref();

  const listener = (e: RunEvent): void => {
    tracker.apply(e);
    switch (e.type) {
      case 'run-start':
        started = true;
        say(
          `${e.run}: ${e.total} samples to collect` +
            `${e.cached > 0 ? `, ${e.cached} from the cache` : ''} (${e.models.length} models)`,
        );
        break;
      case 'warning':
        say(`warning: ${e.message}`);
        break;
      case 'retry': {
        if (e.waitMs < NOTABLE_WAIT_MS) break;
        const provider = e.model.split(':', 1)[0] ?? e.model;
        const until = Date.now() + e.waitMs;
        const before = waits.get(provider);
        waits.set(provider, Math.max(before ?? 0, until));
        // One line per wait that ends later than the one already said (many requests of a provider wait together).
        if (before === undefined || until - before > 1000)
          say(
            `${provider}: ${e.kind.replace('_', ' ')}, waiting ${Math.round(e.waitMs / 1000)} s ` +
              `until ${new Date(until).toISOString().slice(11, 19)} UTC`,
          );
        break;
      }
      case 'concurrency':
        if (tty) say(`${e.provider}: concurrency ${e.limit} (${e.reason})`);
        break;
      case 'paused':
      case 'resumed':
        say(e.type);
        break;
      case 'run-end':
        draw();
        if (tty) stream.write('\n');
        drawn = false;
        break;
      default:
        break;
    }
  };
  return {
    listener,
    stop() {
      clearInterval(timer);
      if (tty && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
