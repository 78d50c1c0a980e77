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

export function startProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean((stream as NodeJS.WriteStream).isTTY);
  const interval = options.intervalMs ?? (tty ? 100 : 5000);
  const tracker = new ProgressTracker();
  let drawn = false;
  let started = false;

  const draw = (): void => {
    if (options.quiet || !started) return;
    const line = progressLine(tracker.snapshot());
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
